//! The message catalogues: per language the words of the field app, the reports and the command
//! line (`locales/en.ftl`, `locales/hi.ftl`) and the dashboard's own words (`locales/web.en.ftl`,
//! `locales/web.hi.ftl`, ids `web-*`) and those of the resource map and referrals in the server's
//! pages and reports (`locales/map.*.ftl`, ids `map-*`), one catalogue read by every part alike.

use std::fmt;
use std::str::FromStr;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};

use crate::model::{CaseState, DocumentKind, ReferralState, Risk};
use crate::need::{Dimension, Status};
use crate::prompt::PromptKind;
use crate::resource::ResourceKind;

/// The English catalogue.
pub const EN: &str = include_str!("../locales/en.ftl");
/// The Hindi catalogue.
pub const HI: &str = include_str!("../locales/hi.ftl");
/// The dashboard's English words.
pub const WEB_EN: &str = include_str!("../locales/web.en.ftl");
/// The dashboard's Hindi words.
pub const WEB_HI: &str = include_str!("../locales/web.hi.ftl");
/// The words of the resource map and referrals in the server's pages and reports (ids `map-*`).
pub const MAP_EN: &str = include_str!("../locales/map.en.ftl");
/// The same in Hindi.
pub const MAP_HI: &str = include_str!("../locales/map.hi.ftl");

/// A language Homeward speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Hindi.
    Hi,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Hi];

    /// The language code (`en`, `hi`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Hi => "hi",
        }
    }

    fn sources(self) -> [&'static str; 3] {
        match self {
            Lang::En => [EN, WEB_EN, MAP_EN],
            Lang::Hi => [HI, WEB_HI, MAP_HI],
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = crate::need::UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code() == s)
            .ok_or_else(|| crate::need::UnknownName {
                what: "language",
                value: s.to_owned(),
                expected: vec!["en", "hi"],
            })
    }
}

/// One language's messages.
pub struct Catalogue {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

impl fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalogue")
            .field("lang", &self.lang)
            .finish()
    }
}

impl Catalogue {
    /// The catalogue of `lang`. The catalogues ship with the crate and a test parses both, so
    /// this cannot fail at run time.
    pub fn new(lang: Lang) -> Catalogue {
        let langid = lang
            .code()
            .parse()
            .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
        let mut bundle = FluentBundle::new(vec![langid]);
        // No Unicode isolation marks around arguments: they would end up in CSV and PDF text.
        bundle.set_use_isolating(false);
        for source in lang.sources() {
            let resource = match FluentResource::try_new(source.to_owned()) {
                Ok(r) => r,
                Err((r, _)) => r,
            };
            // A duplicate message id would be a catalogue bug; the test below catches it.
            let _ = bundle.add_resource(resource);
        }
        Catalogue { lang, bundle }
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `id` with arguments; the id itself when the message is missing (a test
    /// makes sure none is).
    pub fn text(&self, id: &str, args: &[(&str, &str)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, arg(v));
        }
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, Some(&fargs), &mut errors)
            .into_owned()
    }

    /// The message `id` without arguments.
    pub fn get(&self, id: &str) -> String {
        self.text(id, &[])
    }

    /// Why a visit was drawn for a spot check, in words.
    pub fn anomaly(&self, a: &crate::spotcheck::Anomaly) -> String {
        use crate::spotcheck::Anomaly;
        match a {
            Anomaly::ManyPlacesOneDay { villages, blocks } => self.text(
                "spot-anomaly-many_places_one_day",
                &[
                    ("villages", &villages.to_string()),
                    ("blocks", &blocks.to_string()),
                ],
            ),
            Anomaly::RecordedLate { days } => {
                self.text("spot-anomaly-recorded_late", &[("days", &days.to_string())])
            }
            Anomaly::IdenticalNote { visits, cases } => self.text(
                "spot-anomaly-identical_note",
                &[
                    ("visits", &visits.to_string()),
                    ("cases", &cases.to_string()),
                ],
            ),
        }
    }

    /// What a supervisor found on a spot check, in words.
    pub fn outcome(&self, o: crate::spotcheck::Outcome) -> String {
        use crate::spotcheck::Outcome;
        self.get(match o {
            Outcome::Verified => "spot-outcome-verified",
            Outcome::HasIssues => "spot-outcome-has_issues",
            Outcome::CouldNotVerify => "spot-outcome-could_not_verify",
        })
    }

    /// A dimension's name.
    pub fn dimension(&self, d: Dimension) -> String {
        self.get(&format!("dim-{}", d.key()))
    }

    /// A status's name.
    pub fn status(&self, s: Status) -> String {
        self.get(&format!("status-{}", s.key()))
    }

    /// A risk level's name.
    pub fn risk(&self, r: Risk) -> String {
        self.get(&format!("risk-{}", r.key()))
    }

    /// A case state's name.
    pub fn state(&self, s: CaseState) -> String {
        self.get(&format!("state-{}", s.key()))
    }

    /// Where a case stands, in words: its state, and for a case closed as registered in error
    /// that too ("closed: registered in error"), so no one reads it as a child followed.
    pub fn standing(&self, s: &crate::model::CaseStatus) -> String {
        if s.registered_in_error() {
            self.get("state-closed-in-error")
        } else {
            self.state(s.state)
        }
    }

    /// A closure reason's name.
    pub fn closure(&self, r: crate::model::ClosureReason) -> String {
        self.get(&format!("closure-{}", r.key()))
    }

    /// A date as people in India write it: day, month name, year ("28 November 2026",
    /// "28 नवंबर 2026").
    pub fn date(&self, d: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        format!(
            "{} {} {}",
            d.day(),
            self.get(&format!("month-{}", d.month())),
            d.year()
        )
    }

    /// When a prompt is due, seen on `on`: "due 3 December" ahead, "was due 14 October" past
    /// (in Hindi "3 दिसंबर तक" ahead, "14 अक्टूबर से बाकी" past: "… तक" alone reads as a
    /// deadline still to come).
    pub fn due(&self, due: chrono::NaiveDate, on: chrono::NaiveDate) -> String {
        let id = if due < on {
            "prompt-was-due"
        } else {
            "prompt-due"
        };
        self.text(id, &[("date", &self.date(due))])
    }

    /// A field two devices set at once, in words: `needs.education.status` is "Education:
    /// status", `documents.bank_account.state` "Bank account in the child's name: state"; a path
    /// no case field has is shown as it is.
    pub fn conflict_field(&self, path: &str) -> String {
        let parts: Vec<&str> = path.split('.').collect();
        let (area, key) = match parts[..] {
            ["needs", d, key] => match d.parse::<Dimension>() {
                Ok(d) => (self.dimension(d), key),
                Err(_) => return path.to_owned(),
            },
            ["documents", k, key] => match k.parse::<DocumentKind>() {
                Ok(k) => (self.document(k), key),
                Err(_) => return path.to_owned(),
            },
            ["education", key] => (self.get("conflict-area-school"), key),
            ["child", "caregiver", key] => (self.get("conflict-area-caregiver"), key),
            ["child", "address", key] => (self.get("conflict-area-address"), key),
            ["legal", key] => (self.get("conflict-area-court"), key),
            ["status", key] => (self.get("conflict-area-status"), key),
            ["services", _, key] => (self.get("conflict-area-claim"), key),
            ["risk_override", key] => (self.get("conflict-area-risk"), key),
            _ => return path.to_owned(),
        };
        let id = format!("conflict-key-{key}");
        let word = self.get(&id);
        let word = if word == id {
            key.replace('_', " ")
        } else {
            word
        };
        format!("{area}: {word}")
    }

    /// A month as "November 2026" / "नवंबर 2026".
    pub fn month(&self, m: crate::indicators::Month) -> String {
        format!("{} {}", self.get(&format!("month-{}", m.month)), m.year)
    }

    /// A document's name.
    pub fn document(&self, k: DocumentKind) -> String {
        self.get(&format!("doc-{}", k.key()))
    }

    /// A kind of resource's name.
    pub fn resource_kind(&self, k: ResourceKind) -> String {
        self.get(&format!("resource-kind-{}", k.key()))
    }

    /// A referral state's name.
    pub fn referral_state(&self, s: ReferralState) -> String {
        self.get(&format!("referral-{}", s.key()))
    }

    /// A prompt's reason in this language, from its facts: dates as the reports write them,
    /// schemes by their name in the programme for this language. Empty for
    /// [`crate::prompt::Why::Unknown`] (a prompt stored before reasons carried facts).
    pub fn reason(
        &self,
        why: &crate::prompt::Why,
        programme: &crate::programme::Programme,
    ) -> String {
        use crate::prompt::{Waiting, Why};
        let date = |d: chrono::NaiveDate| self.date(d);
        let scheme = |key: &str| programme.scheme_name(key, self.lang.code());
        match why {
            Why::Unknown => String::new(),
            Why::CourtSummons {
                received_on,
                hearing_on,
            } => self.text(
                "why-court_summons",
                &[
                    ("received", &date(*received_on)),
                    ("hearing", &date(*hearing_on)),
                ],
            ),
            Why::PrepareHearing {
                hearing_on,
                lawyer,
                video,
            } => {
                let mut steps = Vec::new();
                if *lawyer {
                    steps.push(self.get("why-step-lawyer"));
                }
                if *video {
                    steps.push(self.get("why-step-video"));
                }
                self.text(
                    "why-prepare_hearing",
                    &[
                        ("hearing", &date(*hearing_on)),
                        ("steps", &steps.join("; ")),
                    ],
                )
            }
            Why::HearingOutcome { hearing_on } => {
                self.text("why-hearing_outcome", &[("hearing", &date(*hearing_on))])
            }
            Why::Harassment {
                on,
                police_informed,
            } => {
                let mut text = self.text("why-harassment", &[("date", &date(*on))]);
                if !police_informed {
                    text.push(' ');
                    text.push_str(&self.get("why-harassment-no-police"));
                }
                text
            }
            Why::InitialAssessment { returned_on, due } => self.text(
                "why-initial_assessment",
                &[("returned", &date(*returned_on)), ("due", &date(*due))],
            ),
            Why::SchoolEnrolment { age, status } => {
                let id = match status {
                    Status::DroppedOut => "why-school-dropped_out",
                    Status::NotEnrolled => "why-school-not_enrolled",
                    _ => "why-school-unknown",
                };
                self.text(id, &[("age", &age.to_string())])
            }
            Why::HealthCare => self.get("why-health_care"),
            Why::LivelihoodSupport => self.get("why-livelihood_support"),
            Why::FollowUpReferral {
                resource,
                state,
                since,
                days,
            } => self.text(
                if *state == ReferralState::Accepted {
                    "why-follow_up_referral-accepted"
                } else {
                    "why-follow_up_referral-referred"
                },
                &[
                    ("resource", resource),
                    ("since", &date(*since)),
                    ("days", &days.to_string()),
                ],
            ),
            Why::ApplyForScheme { scheme: key } => {
                self.text("why-apply_for_scheme", &[("scheme", &scheme(key))])
            }
            Why::ObtainDocument { document, schemes } => {
                let names: Vec<String> = schemes.iter().map(|k| scheme(k)).collect();
                self.text(
                    "why-obtain_document",
                    &[
                        ("document", &self.document(*document)),
                        ("schemes", &names.join(", ")),
                    ],
                )
            }
            Why::Claim {
                scheme: key,
                waiting,
                since,
                limit,
                escalate,
                stuck,
            } => {
                let id = match waiting {
                    Waiting::Sanction => "why-claim-sanction",
                    Waiting::Payment => "why-claim-payment",
                };
                let mut text = self.text(
                    id,
                    &[
                        ("scheme", &scheme(key)),
                        ("since", &date(*since)),
                        ("days", &limit.to_string()),
                    ],
                );
                text.push(' ');
                text.push_str(&self.get(if *escalate {
                    "why-claim-escalate"
                } else {
                    "why-claim-follow-up"
                }));
                if let Some(stuck) = stuck {
                    text.push(' ');
                    text.push_str(&self.text("why-claim-stuck", &[("why", stuck)]));
                }
                text
            }
            Why::Visit {
                due,
                last_visit,
                interval_days,
                overdue,
            } => self.text(
                if *overdue {
                    "why-visit-overdue"
                } else {
                    "why-visit-due"
                },
                &[
                    ("due", &date(*due)),
                    ("last", &date(*last_visit)),
                    ("days", &interval_days.to_string()),
                ],
            ),
        }
    }

    /// A prompt kind as a short action.
    pub fn prompt(&self, k: PromptKind) -> String {
        self.get(&format!("prompt-{}", prompt_key(k)))
    }
}

/// The key of a prompt kind (its serde name).
pub fn prompt_key(k: PromptKind) -> &'static str {
    match k {
        PromptKind::CourtSummons => "court_summons",
        PromptKind::Harassment => "harassment",
        PromptKind::PrepareHearing => "prepare_hearing",
        PromptKind::HearingOutcome => "hearing_outcome",
        PromptKind::InitialAssessment => "initial_assessment",
        PromptKind::SchoolEnrolment => "school_enrolment",
        PromptKind::EscalateClaim => "escalate_claim",
        PromptKind::FollowUpClaim => "follow_up_claim",
        PromptKind::ApplyForScheme => "apply_for_scheme",
        PromptKind::ObtainDocument => "obtain_document",
        PromptKind::HealthCare => "health_care",
        PromptKind::LivelihoodSupport => "livelihood_support",
        PromptKind::FollowUpReferral => "follow_up_referral",
        PromptKind::VisitOverdue => "visit_overdue",
        PromptKind::VisitDue => "visit_due",
    }
}

/// An argument as Fluent should see it: a whole number as a number, so that a message's plural
/// variants (`[one]`) select by it (given as text, "1 cases" was written); anything else, a
/// number with a leading zero included (a phone number), as text, written as given.
fn arg(v: &str) -> FluentValue<'_> {
    let digits = v.strip_prefix('-').unwrap_or(v);
    let plain = !digits.is_empty()
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    match v.parse::<i64>() {
        Ok(n) if plain => FluentValue::from(n),
        _ => FluentValue::from(v),
    }
}

/// The message ids of a catalogue, in file order.
pub fn message_ids(lang: Lang) -> Vec<String> {
    lang.sources()
        .iter()
        .flat_map(|s| s.lines())
        .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
        .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_number_selects_the_plural_and_a_phone_number_stays_as_typed() {
        // Found on the dashboard: "1 cases" (every argument went to Fluent as text).
        let en = Catalogue::new(Lang::En);
        assert_eq!(en.text("web-cases-found", &[("count", "1")]), "1 case");
        assert_eq!(en.text("web-cases-found", &[("count", "12")]), "12 cases");
        assert_eq!(en.text("web-cases-found", &[("count", "0")]), "0 cases");
        assert_eq!(
            arg("0631 000"),
            FluentValue::from("0631 000"),
            "text stays text"
        );
        assert_eq!(arg("0000012345"), FluentValue::from("0000012345"));
        assert_eq!(arg("-3"), FluentValue::from(-3));
        assert_eq!(arg("42"), FluentValue::from(42));
    }

    #[test]
    fn both_catalogues_parse_and_hold_the_same_messages() {
        for lang in Lang::ALL {
            for source in lang.sources() {
                assert!(
                    FluentResource::try_new(source.to_owned()).is_ok(),
                    "a {lang} catalogue parses"
                );
            }
        }
        let (en, hi) = (message_ids(Lang::En), message_ids(Lang::Hi));
        let missing_hi: Vec<_> = en.iter().filter(|id| !hi.contains(id)).collect();
        let missing_en: Vec<_> = hi.iter().filter(|id| !en.contains(id)).collect();
        assert!(missing_hi.is_empty(), "missing in hi.ftl: {missing_hi:?}");
        assert!(missing_en.is_empty(), "missing in en.ftl: {missing_en:?}");
        let mut sorted = en.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), en.len(), "no id twice");
    }

    #[test]
    fn every_dimension_status_risk_state_and_prompt_has_a_message_in_both_languages() {
        for lang in Lang::ALL {
            let c = Catalogue::new(lang);
            let mut ids = Vec::new();
            for d in Dimension::ALL {
                ids.push(format!("dim-{}", d.key()));
                for s in d.statuses() {
                    ids.push(format!("status-{}", s.key()));
                }
            }
            ids.extend(Risk::ALL.iter().map(|r| format!("risk-{}", r.key())));
            ids.extend(CaseState::ALL.iter().map(|s| format!("state-{}", s.key())));
            ids.extend(
                crate::model::ClosureReason::ALL
                    .iter()
                    .map(|r| format!("closure-{}", r.key())),
            );
            ids.push("state-closed-in-error".into());
            ids.extend(
                PromptKind::ALL
                    .iter()
                    .map(|k| format!("prompt-{}", prompt_key(*k))),
            );
            ids.extend(DocumentKind::ALL.iter().map(|k| format!("doc-{}", k.key())));
            ids.extend((1..=12).map(|m| format!("month-{m}")));
            for id in ids {
                assert_ne!(c.get(&id), id, "{lang}: {id} has a message");
            }
        }
    }

    /// Every kind of reason, worded in both languages: no message id left unworded, no scheme
    /// key shown raw, the dates as the reports write them.
    #[test]
    fn every_reason_is_worded_in_both_languages_without_raw_keys() {
        use crate::prompt::{Waiting, Why};
        let d = |s: &str| s.parse::<chrono::NaiveDate>().expect("date");
        let programme = crate::programme::Programme::default();
        let claim = |waiting, escalate| Why::Claim {
            scheme: "victim_compensation".into(),
            waiting,
            since: d("2026-08-20"),
            limit: 90,
            escalate,
            stuck: Some("bank account missing".into()),
        };
        let visit = |overdue| Why::Visit {
            due: d("2026-11-14"),
            last_visit: d("2026-10-31"),
            interval_days: 14,
            overdue,
        };
        let whys = [
            Why::CourtSummons {
                received_on: d("2026-11-20"),
                hearing_on: d("2026-12-05"),
            },
            Why::PrepareHearing {
                hearing_on: d("2026-12-05"),
                lawyer: true,
                video: true,
            },
            Why::HearingOutcome {
                hearing_on: d("2026-11-05"),
            },
            Why::Harassment {
                on: d("2026-11-21"),
                police_informed: false,
            },
            Why::InitialAssessment {
                returned_on: d("2026-11-01"),
                due: d("2026-11-08"),
            },
            Why::SchoolEnrolment {
                age: 12,
                status: Status::NotEnrolled,
            },
            Why::SchoolEnrolment {
                age: 12,
                status: Status::DroppedOut,
            },
            Why::SchoolEnrolment {
                age: 12,
                status: Status::NotAssessed,
            },
            Why::HealthCare,
            Why::LivelihoodSupport,
            Why::ApplyForScheme {
                scheme: "child_labour_rehabilitation".into(),
            },
            Why::ObtainDocument {
                document: DocumentKind::BankAccount,
                schemes: vec!["victim_compensation".into(), "sponsorship".into()],
            },
            claim(Waiting::Sanction, true),
            claim(Waiting::Payment, false),
            visit(true),
            visit(false),
            Why::FollowUpReferral {
                resource: "Jeevika VO".into(),
                state: ReferralState::Referred,
                since: d("2026-11-01"),
                days: 14,
            },
            Why::FollowUpReferral {
                resource: "ITI Gaya".into(),
                state: ReferralState::Accepted,
                since: d("2026-11-01"),
                days: 14,
            },
        ];
        for lang in Lang::ALL {
            let c = Catalogue::new(lang);
            for why in &whys {
                let text = c.reason(why, &programme);
                assert!(!text.is_empty(), "{lang}: {why:?}");
                assert!(!text.contains("why-"), "{lang}: a message id in {text:?}");
                assert!(!text.contains('_'), "{lang}: a raw key in {text:?}");
            }
        }
        let hi = Catalogue::new(Lang::Hi);
        let summons = hi.reason(&whys[0], &programme);
        assert!(
            summons.contains("20 नवंबर 2026") && summons.contains("5 दिसंबर 2026"),
            "{summons}"
        );
        let blocked = hi.reason(&whys[11], &programme);
        assert!(
            blocked.contains("पीड़ित मुआवज़ा"),
            "scheme names in Hindi: {blocked}"
        );
        assert!(!blocked.contains("Victim"), "{blocked}");
        assert_eq!(
            Catalogue::new(Lang::En).reason(&Why::Unknown, &programme),
            "",
            "a stored prompt without its facts keeps its English reason"
        );
    }

    /// A conflict's field in words in both languages (the queue showed
    /// `needs.education.status`), never a message id; an unknown path as it is.
    #[test]
    fn a_conflicting_field_is_named_in_words() {
        let en = Catalogue::new(Lang::En);
        assert_eq!(
            en.conflict_field("needs.education.status"),
            "Education: status"
        );
        assert_eq!(
            en.conflict_field("documents.bank_account.on"),
            format!("{}: date", en.document(DocumentKind::BankAccount))
        );
        assert_eq!(en.conflict_field("services.c1.paid_on"), "Claim: paid on");
        let hi = Catalogue::new(Lang::Hi);
        assert_eq!(hi.conflict_field("needs.health.status"), "स्वास्थ्य: स्थिति");
        assert_eq!(hi.conflict_field("education.class"), "पढ़ाई: कक्षा");
        for path in [
            "needs.livelihood.note",
            "child.caregiver.phone",
            "legal.court",
            "status.state",
            "risk_override.level",
        ] {
            for c in [&en, &hi] {
                let w = c.conflict_field(path);
                assert!(!w.contains("conflict-") && !w.contains('.'), "{path}: {w}");
            }
        }
        assert_eq!(en.conflict_field("somewhere.else"), "somewhere.else");
    }

    /// One Hindi word for a visit across the app, the dashboard and the reports (issue 12):
    /// मुलाक़ात, the one most used, never भेंट, दौरा or मुलाकात spelt without its nukta.
    #[test]
    fn hindi_names_a_visit_with_one_word_everywhere() {
        let hi = Catalogue::new(Lang::Hi);
        let mut visit = 0;
        for id in message_ids(Lang::Hi) {
            let text = hi.get(&id);
            for other in ["भेंट", "दौरा", "दौरे", "मुलाकात"] {
                assert!(!text.contains(other), "{id}: {other} in {text}");
            }
            visit += usize::from(text.contains("मुलाक़ात"));
        }
        assert!(visit > 30, "मुलाक़ात names the visits ({visit} messages)");
    }

    /// A due date already past does not read as a deadline to come (issue 12: "(14 अक्टूबर
    /// तक)" for an overdue visit read as "by 14 October").
    #[test]
    fn a_past_due_date_reads_as_past_in_both_languages() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().expect("date");
        let (due, before, after) = (d("2026-10-14"), d("2026-10-01"), d("2026-11-29"));
        let en = Catalogue::new(Lang::En);
        assert_eq!(en.due(due, before), "due 14 October 2026");
        assert_eq!(en.due(due, after), "was due 14 October 2026");
        let hi = Catalogue::new(Lang::Hi);
        assert_eq!(hi.due(due, before), "14 अक्टूबर 2026 तक");
        assert_eq!(hi.due(due, after), "14 अक्टूबर 2026 से बाकी");
        assert_eq!(
            en.due(due, due),
            "due 14 October 2026",
            "due today is not past"
        );
    }

    #[test]
    fn arguments_are_filled_without_isolation_marks() {
        let hi = Catalogue::new(Lang::Hi);
        let text = hi.text(
            "report-district-month",
            &[("district", "गया"), ("month", "2026-10")],
        );
        assert_eq!(text, "ज़िला गया, 2026-10");
        assert_eq!(
            Catalogue::new(Lang::En).status(Status::Enrolled),
            "enrolled"
        );
        assert_eq!(hi.dimension(Dimension::Education), "शिक्षा");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("date");
        assert_eq!(hi.date(day), "28 नवंबर 2026");
        assert_eq!(Catalogue::new(Lang::En).date(day), "28 November 2026");
        assert_eq!(
            hi.month(crate::indicators::Month {
                year: 2026,
                month: 10
            }),
            "अक्टूबर 2026"
        );
        assert_eq!("xx".parse::<Lang>().map_err(|e| e.value), Err("xx".into()));
    }
}
