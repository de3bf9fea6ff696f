//! Duplicate children: one table of pairs, an existing case and a child about to be registered,
//! in Latin and Devanagari script, with the facts a match must name or none for a near miss.
//! Every name is invented.

use homeward_shared::duplicates::{Fact, similar};
use homeward_shared::model::{Birth, Caregiver, Case, Sex};
use homeward_shared::schema;

use crate::support::{actor, ctx, d, profile};

const RETURNED: &str = "2026-01-10";
const TODAY: &str = "2026-06-01";

/// A child as the table writes it.
#[derive(Debug, Clone)]
struct Kid {
    name: &'static str,
    other_names: &'static [&'static str],
    sex: Sex,
    age: u8,
    district: &'static str,
    village: &'static str,
    caregiver: Option<&'static str>,
}

fn kid(
    name: &'static str,
    sex: Sex,
    age: u8,
    district: &'static str,
    village: &'static str,
    caregiver: Option<&'static str>,
) -> Kid {
    Kid {
        name,
        other_names: &[],
        sex,
        age,
        district,
        village,
        caregiver,
    }
}

impl Kid {
    fn also(mut self, other_names: &'static [&'static str]) -> Kid {
        self.other_names = other_names;
        self
    }

    fn profile(&self, id: &str) -> homeward_shared::model::Profile {
        let mut p = profile(
            id,
            Birth::Estimated {
                years: self.age,
                as_of: d(RETURNED),
            },
            RETURNED,
        );
        p.child.name = self.name.into();
        p.child.other_names = self.other_names.iter().map(|n| (*n).into()).collect();
        p.child.sex = self.sex;
        p.child.address.district = self.district.into();
        p.child.address.village = self.village.into();
        p.child.caregiver = self.caregiver.map(|name| Caregiver {
            name: name.into(),
            relation: "parent".into(),
            phone: None,
        });
        p
    }

    /// The child registered as a case, the way the app does it.
    fn case(&self, id: &str) -> Case {
        let doc = schema::new_case(actor(1), &self.profile(id), &ctx(RETURNED))
            .expect("a valid registration");
        schema::read_case(&doc).expect("the case reads back")
    }
}

use Fact::{Age as A, Caregiver as C, District as D, Name as N, Village as V};
use Sex::{Female as F, Male as M};
const NONE: &[Fact] = &[];

/// (why, the existing case, the child being registered, the facts a match names or NONE).
fn table() -> Vec<(&'static str, Kid, Kid, &'static [Fact])> {
    let suraj = kid(
        "Suraj Yadav",
        M,
        12,
        "Gaya",
        "Keshopur",
        Some("Ramesh Yadav"),
    );
    let rani = kid(
        "Rani Kumari",
        F,
        10,
        "Nalanda",
        "Pilkhi",
        Some("Sunita Devi"),
    );
    vec![
        // Matches.
        (
            "a doubled vowel is the same name",
            suraj.clone(),
            kid(
                "Sooraj Yadav",
                M,
                12,
                "Gaya",
                "Keshopur",
                Some("Ramesh Yadav"),
            ),
            &[N, D, A, V, C],
        ),
        (
            "the same child written in Devanagari, place and caregiver too",
            suraj.clone(),
            kid("सूरज यादव", M, 12, "गया", "केशोपुर", Some("रमेश यादव")),
            &[N, D, A, V, C],
        ),
        (
            "Kumar in the middle says nothing; a year older on the new estimate",
            suraj.clone(),
            kid(
                "Suraj Kumar Yadav",
                M,
                13,
                "Gaya",
                "Keshopur",
                Some("Ramesh Yadav"),
            ),
            &[N, D, A, V, C],
        ),
        (
            "a given name alone, no caregiver known: the village",
            suraj.clone(),
            kid("Suraj", M, 11, "Gaya", "Keshopur", None),
            &[N, D, A, V],
        ),
        (
            "moved to another village with the same caregiver",
            suraj.clone(),
            kid(
                "Suraj Yadav",
                M,
                12,
                "Gaya",
                "Madhopur",
                Some("Ramesh Yadav"),
            ),
            &[N, D, A, C],
        ),
        (
            "the existing case knows the child by another name",
            kid("Golu Yadav", M, 12, "Gaya", "Keshopur", None).also(&["Suraj Yadav"]),
            kid("Suraj Yadav", M, 12, "Gaya", "Keshopur", None),
            &[N, D, A, V],
        ),
        (
            "the new child's other name, in Devanagari, is the existing case's name",
            suraj.clone(),
            kid("Chhotu", M, 12, "Gaya", "Keshopur", None).also(&["सूरज यादव"]),
            &[N, D, A, V],
        ),
        (
            "a girl's name in Devanagari without Kumari",
            rani.clone(),
            kid("रानी", F, 10, "नालंदा", "पिलखी", None),
            &[N, D, A, V],
        ),
        (
            "Pooja and Puja, two years apart on the estimates",
            kid("Puja Kumari", F, 9, "Gaya", "Tekari", Some("Lalita Devi")),
            kid("Pooja", F, 11, "Gaya", "Tekari", Some("Lalita Devi")),
            &[N, D, A, V, C],
        ),
        (
            "the inherent a and the aspirate of कमला मांझी",
            kid("Kamla Manjhi", F, 13, "Gaya", "Bodh Gaya", None),
            kid("कमला मांझी", F, 13, "गया", "बोधगया", None),
            &[N, D, A, V],
        ),
        (
            "Laxmi and Lakshmi; the village spelt unlike but the mother the same",
            kid(
                "Laxmi Paswan",
                F,
                8,
                "Nalanda",
                "Chandi",
                Some("Sunita Devi"),
            ),
            kid(
                "Lakshmi Paswan",
                F,
                8,
                "Nalanda",
                "Chandpura",
                Some("सुनीता देवी"),
            ),
            &[N, D, A, C],
        ),
        (
            "Pinky and पिंकी",
            kid("Pinky Kumari", F, 7, "Nalanda", "Pilkhi", None),
            kid("पिंकी कुमारी", F, 7, "Nalanda", "Pilkhi", None),
            &[N, D, A, V],
        ),
        (
            "Vikas and Bikash, as Bihar says them",
            kid("Vikas Ram", M, 14, "Gaya", "Wazirganj", None),
            kid("Bikash Ram", M, 15, "Gaya", "Wajirganj", None),
            &[N, D, A, V],
        ),
        (
            "Md before a Muslim boy's name says nothing",
            kid(
                "Md Arif Ansari",
                M,
                11,
                "Muzaffarpur",
                "Kanti",
                Some("Md Salim Ansari"),
            ),
            kid(
                "Arif Ansari",
                M,
                11,
                "मुज़फ़्फ़रपुर",
                "काँटी",
                Some("Salim Ansari"),
            ),
            &[N, D, A, V, C],
        ),
        (
            "a sex recorded as other rules nothing out",
            suraj.clone(),
            kid("Suraj Yadav", Sex::Other, 12, "Gaya", "Keshopur", None),
            &[N, D, A, V],
        ),
        // Near misses.
        (
            "a brother: same surname, village and father, another given name",
            suraj.clone(),
            kid(
                "Sunil Yadav",
                M,
                10,
                "Gaya",
                "Keshopur",
                Some("Ramesh Yadav"),
            ),
            NONE,
        ),
        (
            "a brother in Devanagari",
            suraj.clone(),
            kid("सुनील यादव", M, 12, "गया", "केशोपुर", Some("रमेश यादव")),
            NONE,
        ),
        (
            "a sister: Rina is not Rani",
            rani.clone(),
            kid(
                "Rina Kumari",
                F,
                11,
                "Nalanda",
                "Pilkhi",
                Some("Sunita Devi"),
            ),
            NONE,
        ),
        (
            "a sister in Devanagari: रीना is not Rani",
            rani.clone(),
            kid("रीना", F, 10, "Nalanda", "Pilkhi", Some("Sunita Devi")),
            NONE,
        ),
        (
            "a brother Ravi beside a sister Rani",
            rani.clone(),
            kid("Ravi Kumar", M, 9, "Nalanda", "Pilkhi", Some("Sunita Devi")),
            NONE,
        ),
        (
            "Kamal and Kamla fold alike, but a boy is not a girl",
            kid("Kamla Manjhi", F, 13, "Gaya", "Bodh Gaya", None),
            kid("Kamal Manjhi", M, 13, "Gaya", "Bodh Gaya", None),
            NONE,
        ),
        (
            "the same name in another district",
            suraj.clone(),
            kid(
                "Suraj Yadav",
                M,
                12,
                "Nalanda",
                "Keshopur",
                Some("Ramesh Yadav"),
            ),
            NONE,
        ),
        (
            "the same name, five years apart",
            suraj.clone(),
            kid(
                "Suraj Yadav",
                M,
                17,
                "Gaya",
                "Keshopur",
                Some("Ramesh Yadav"),
            ),
            NONE,
        ),
        (
            "three years apart is past the tolerance",
            suraj.clone(),
            kid(
                "Suraj Yadav",
                M,
                9,
                "Gaya",
                "Keshopur",
                Some("Ramesh Yadav"),
            ),
            NONE,
        ),
        (
            "the same name in the district, another village and another caregiver",
            suraj.clone(),
            kid(
                "Suraj Yadav",
                M,
                12,
                "Gaya",
                "Madhopur",
                Some("Dinesh Yadav"),
            ),
            NONE,
        ),
        (
            "the same name in the district, another village, no caregiver on one side",
            suraj.clone(),
            kid("Suraj Yadav", M, 12, "Gaya", "Madhopur", None),
            NONE,
        ),
        (
            "the same given name with another surname, in the same village",
            suraj.clone(),
            kid(
                "Suraj Paswan",
                M,
                12,
                "Gaya",
                "Keshopur",
                Some("Ramesh Paswan"),
            ),
            NONE,
        ),
        (
            "Kumari alone is not a name to match on",
            rani.clone(),
            kid("Kumari", F, 10, "Nalanda", "Pilkhi", None),
            NONE,
        ),
    ]
}

#[test]
fn duplicates_the_table_of_likely_same_children_and_near_misses() {
    let today = d(TODAY);
    let rows = table();
    assert!(rows.len() >= 20, "the table keeps at least 20 pairs");
    let mut wrong = Vec::new();
    for (why, existing, new, want) in &rows {
        let case = existing.case("existing");
        let got = similar(&new.profile("new"), [&case], today);
        let got_facts: &[Fact] = got.first().map_or(NONE, |l| &l.matched);
        if got_facts != *want || got.len() > 1 {
            wrong.push(format!(
                "{why}: {:?} against the case of {:?}: want {want:?}, got {got:?}",
                new.name, existing.name
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} rows differ:\n{}",
        wrong.len(),
        rows.len(),
        wrong.join("\n")
    );
}

#[test]
fn duplicates_the_match_names_the_case_and_the_name_that_matched() {
    let existing = kid("Golu Yadav", M, 12, "Gaya", "Keshopur", None).also(&["सूरज"]);
    let case = existing.case("c-golu");
    let new = kid("Suraj Yadav", M, 13, "Gaya", "Keshopur", None);
    let got = similar(&new.profile("new"), [&case], d(TODAY));
    assert_eq!(got.len(), 1, "{got:?}");
    let l = &got[0];
    assert_eq!(
        (
            l.case_id.as_str(),
            l.name.as_str(),
            l.matched_name.as_str(),
            l.village.as_str(),
            l.district.as_str(),
            l.age
        ),
        ("c-golu", "Golu Yadav", "सूरज", "Keshopur", "Gaya", 12),
        "a screen can say which case, under which name, where and how old"
    );
}

#[test]
fn duplicates_come_best_first_and_never_include_the_child_itself() {
    let new = kid(
        "Suraj Yadav",
        M,
        12,
        "Gaya",
        "Keshopur",
        Some("Ramesh Yadav"),
    );
    let cases = [
        // Caregiver only, three facts and one: last.
        kid("Suraj", M, 12, "Gaya", "Madhopur", Some("Ramesh Yadav")).case("d-caregiver"),
        // Everything: first.
        kid(
            "Sooraj Yadav",
            M,
            12,
            "Gaya",
            "Keshopur",
            Some("Ramesh Yadav"),
        )
        .case("b-all"),
        // The village, the whole name, two years apart.
        kid("Suraj Yadav", M, 10, "Gaya", "Keshopur", None).case("c-village-far"),
        // The village, the whole name, same age: before the one two years apart.
        kid("सूरज यादव", M, 12, "गया", "केशोपुर", None).case("c-village-near"),
        // The village, the given name only: after the whole names.
        kid("Suraj", M, 12, "Gaya", "Keshopur", None).case("a-village-given"),
        // The child's own case (same id) is never its own duplicate.
        new.case("new"),
        // A brother.
        kid(
            "Sunil Yadav",
            M,
            10,
            "Gaya",
            "Keshopur",
            Some("Ramesh Yadav"),
        )
        .case("e-brother"),
    ];
    let got: Vec<String> = similar(&new.profile("new"), &cases, d(TODAY))
        .into_iter()
        .map(|l| l.case_id)
        .collect();
    assert_eq!(
        got,
        [
            "b-all",
            "c-village-near",
            "c-village-far",
            "a-village-given",
            "d-caregiver"
        ],
        "more facts first, then a whole name, then the nearer age, then the id"
    );
}
