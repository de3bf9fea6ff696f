//! Which children a dashboard user may read: one rule for every page, report, download and
//! store query of the dashboard (the overview, `/reports`, the CWC report, the gaps CSV, case
//! pages, spot checks, conflicts, reviews). Pure: no IO.
//!
//! A user's areas are districts, or blocks of a district (`user_areas`, block `''` for the
//! whole district). Administrators read everything; supervisors and CWC members read the
//! children of their areas and nothing else; fieldworkers read nothing here (their field app
//! syncs the cases they hold, by the sync scope of `store/sync.rs`). A place outside the
//! user's areas is answered like a missing one, so scope cannot be probed.

use crate::store::{Role, WebUser};

/// The part of one district a user may read: all of it, or some of its blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// The district.
    pub district: String,
    /// The blocks, sorted; empty for the whole district.
    pub blocks: Vec<String>,
}

impl Area {
    /// A whole district.
    pub fn whole(district: &str) -> Area {
        Area {
            district: district.to_owned(),
            blocks: Vec::new(),
        }
    }

    /// Whether the area holds (district, block).
    pub fn covers(&self, district: &str, block: &str) -> bool {
        district == self.district
            && (self.blocks.is_empty() || self.blocks.iter().any(|b| b == block))
    }
}

/// Whether `user` may read the children of `block` in `district`.
pub fn covers(user: &WebUser, district: &str, block: &str) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Fieldworker => false,
        Role::Supervisor | Role::Cwc => user
            .areas
            .iter()
            .any(|(d, b)| d == district && (b.is_empty() || b == block)),
    }
}

/// The places whose children a user reads on the dashboard, as one value: the rule of
/// [`covers`] for a whole region at once, which the store turns into one query over the case
/// summaries (`store/summaries.rs`), so a page never loads the cases it may not show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every case (an administrator).
    Everywhere,
    /// The cases of these (district, block) places; block `""` is the whole district.
    Areas(Vec<(String, String)>),
    /// None (a fieldworker, or a user with no areas).
    Nowhere,
}

impl Reach {
    /// Whether the reach holds `block` of `district`.
    pub fn admits(&self, district: &str, block: &str) -> bool {
        match self {
            Reach::Everywhere => true,
            Reach::Areas(areas) => in_areas(areas, district, block),
            Reach::Nowhere => false,
        }
    }
}

/// What `user` reads: agrees with [`covers`] at every place.
pub fn reach(user: &WebUser) -> Reach {
    match user.role {
        Role::Admin => Reach::Everywhere,
        Role::Supervisor | Role::Cwc if !user.areas.is_empty() => Reach::Areas(user.areas.clone()),
        Role::Supervisor | Role::Cwc | Role::Fieldworker => Reach::Nowhere,
    }
}

/// Which cases a device receives by sync, or may change: one rule per role, which the sync
/// store turns into SQL in one place (`store/sync.rs`, tested against [`SyncScope::admits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncScope {
    /// Every case (an administrator's device).
    Everything,
    /// The cases of the user's areas (a supervisor's or a CWC member's).
    Areas,
    /// The cases the user holds, by assignment (a fieldworker's).
    Held,
    /// None.
    Nothing,
}

impl SyncScope {
    /// What a device of `role` receives.
    pub fn reads(role: Role) -> SyncScope {
        match role {
            Role::Admin => SyncScope::Everything,
            Role::Supervisor | Role::Cwc => SyncScope::Areas,
            Role::Fieldworker => SyncScope::Held,
        }
    }

    /// What a device of `role` may change of an existing case (a fieldworker's former case has
    /// a grace period of its own: `store/sync.rs`'s `may_write`). A CWC member reads and never
    /// writes.
    pub fn writes(role: Role) -> SyncScope {
        match role {
            Role::Cwc => SyncScope::Nothing,
            other => SyncScope::reads(other),
        }
    }

    /// Whether the scope holds a case in (district, block), for a user with `areas` who holds
    /// the case or not.
    pub fn admits(
        self,
        areas: &[(String, String)],
        holds: bool,
        district: &str,
        block: &str,
    ) -> bool {
        match self {
            SyncScope::Everything => true,
            SyncScope::Areas => in_areas(areas, district, block),
            SyncScope::Held => holds,
            SyncScope::Nothing => false,
        }
    }
}

/// Whether `areas` hold `block` of `district` (a whole district holds each of its blocks),
/// whatever the role: where a fieldworker may follow a child.
pub fn in_areas(areas: &[(String, String)], district: &str, block: &str) -> bool {
    areas
        .iter()
        .any(|(d, b)| d == district && (b.is_empty() || b == block))
}

/// Whether `actor` may give `target` an enrolment code, revoke their devices, or give them
/// cases: an administrator anyone; a supervisor a fieldworker all of whose areas lie in the
/// supervisor's (a whole district only when the supervisor has the whole district); nobody
/// else anyone. Adding, disabling and enabling users stays with administrators.
pub fn manages(actor: &WebUser, target: &WebUser) -> bool {
    match actor.role {
        Role::Admin => true,
        Role::Supervisor => {
            target.role == Role::Fieldworker
                && !target.areas.is_empty()
                && target.areas.iter().all(|(d, b)| {
                    if b.is_empty() {
                        actor.areas.iter().any(|(ad, ab)| ad == d && ab.is_empty())
                    } else {
                        in_areas(&actor.areas, d, b)
                    }
                })
        }
        Role::Cwc | Role::Fieldworker => false,
    }
}

/// The part of `district` that `user` may read, or `None` when they may read none of it.
/// Agrees with [`covers`]: `area(u, d).is_some_and(|a| a.covers(d, b)) == covers(u, d, b)`.
pub fn area(user: &WebUser, district: &str) -> Option<Area> {
    match user.role {
        Role::Admin => Some(Area::whole(district)),
        Role::Fieldworker => None,
        Role::Supervisor | Role::Cwc => {
            let mut blocks: Vec<String> = Vec::new();
            for (d, b) in &user.areas {
                if d != district {
                    continue;
                }
                if b.is_empty() {
                    return Some(Area::whole(district));
                }
                blocks.push(b.clone());
            }
            blocks.sort();
            blocks.dedup();
            (!blocks.is_empty()).then(|| Area {
                district: district.to_owned(),
                blocks,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, areas: &[(&str, &str)]) -> WebUser {
        WebUser {
            id: "u".into(),
            name: "u".into(),
            role,
            areas: areas
                .iter()
                .map(|(d, b)| ((*d).to_owned(), (*b).to_owned()))
                .collect(),
        }
    }

    /// Checks the rule for one place, and that [`area`] agrees with [`covers`] there.
    #[track_caller]
    fn check(role: Role, areas: &[(&str, &str)], place: (&str, &str), want: bool) {
        let u = user(role, areas);
        let (district, block) = place;
        assert_eq!(
            covers(&u, district, block),
            want,
            "{role:?} with {areas:?} reading {block}, {district}"
        );
        assert_eq!(
            area(&u, district).is_some_and(|a| a.covers(district, block)),
            want,
            "area() agrees with covers() for {role:?} with {areas:?} at {block}, {district}"
        );
        assert_eq!(
            reach(&u).admits(district, block),
            want,
            "reach() agrees with covers() for {role:?} with {areas:?} at {block}, {district}"
        );
    }

    #[test]
    fn a_district_covers_each_of_its_blocks_and_no_other_district() {
        for role in [Role::Supervisor, Role::Cwc] {
            check(role, &[("Gaya", "")], ("Gaya", "Tekari"), true);
            check(role, &[("Gaya", "")], ("Gaya", ""), true);
            check(role, &[("Gaya", "")], ("Nalanda", "Rajgir"), false);
        }
    }

    #[test]
    fn a_block_covers_itself_only_not_its_district_s_other_blocks() {
        for role in [Role::Supervisor, Role::Cwc] {
            check(role, &[("Gaya", "Tekari")], ("Gaya", "Tekari"), true);
            check(role, &[("Gaya", "Tekari")], ("Gaya", "Manpur"), false);
            check(role, &[("Gaya", "Tekari")], ("Gaya", ""), false);
            check(role, &[("Gaya", "Tekari")], ("Nalanda", "Tekari"), false);
            check(
                role,
                &[("Gaya", "Tekari"), ("Gaya", "Manpur")],
                ("Gaya", "Manpur"),
                true,
            );
            check(
                role,
                &[("Gaya", "Tekari"), ("Nalanda", "")],
                ("Nalanda", "Hilsa"),
                true,
            );
        }
    }

    #[test]
    fn names_match_exactly() {
        check(
            Role::Supervisor,
            &[("Gaya", "Tekari")],
            ("gaya", "Tekari"),
            false,
        );
        check(
            Role::Supervisor,
            &[("Gaya", "Tekari")],
            ("Gaya", "Tekari "),
            false,
        );
    }

    #[test]
    fn administrators_read_everything_and_fieldworkers_nothing_on_the_dashboard() {
        check(Role::Admin, &[], ("Katihar", "Barsoi"), true);
        check(
            Role::Fieldworker,
            &[("Gaya", "")],
            ("Gaya", "Tekari"),
            false,
        );
        check(
            Role::Fieldworker,
            &[("Gaya", "Tekari")],
            ("Gaya", "Tekari"),
            false,
        );
        check(Role::Supervisor, &[], ("Gaya", "Tekari"), false);
    }

    #[test]
    fn the_area_of_a_district_lists_the_user_s_blocks_in_it() {
        let u = user(
            Role::Cwc,
            &[("Gaya", "Tekari"), ("Gaya", "Manpur"), ("Nalanda", "Hilsa")],
        );
        assert_eq!(
            area(&u, "Gaya"),
            Some(Area {
                district: "Gaya".into(),
                blocks: vec!["Manpur".into(), "Tekari".into()],
            })
        );
        assert_eq!(area(&u, "Katihar"), None);
        let whole = user(Role::Cwc, &[("Gaya", "Tekari"), ("Gaya", "")]);
        assert_eq!(area(&whole, "Gaya"), Some(Area::whole("Gaya")));
    }

    #[test]
    fn a_supervisor_manages_the_fieldworkers_inside_their_areas_only() {
        let user = |role, areas: &[(&str, &str)]| WebUser {
            id: "u".into(),
            name: "U".into(),
            role,
            areas: areas
                .iter()
                .map(|(d, b)| ((*d).to_owned(), (*b).to_owned()))
                .collect(),
        };
        let gaya = user(Role::Supervisor, &[("Gaya", "")]);
        let tekari = user(Role::Supervisor, &[("Gaya", "Tekari")]);
        let admin = user(Role::Admin, &[]);
        let cwc = user(Role::Cwc, &[("Gaya", "")]);
        let cases = [
            (&gaya, user(Role::Fieldworker, &[("Gaya", "Tekari")]), true),
            (&gaya, user(Role::Fieldworker, &[("Gaya", "")]), true),
            (
                &gaya,
                user(
                    Role::Fieldworker,
                    &[("Gaya", "Tekari"), ("Nawada", "Rajauli")],
                ),
                false,
            ),
            (&gaya, user(Role::Fieldworker, &[]), false),
            (&gaya, user(Role::Supervisor, &[("Gaya", "Tekari")]), false),
            (&gaya, user(Role::Cwc, &[("Gaya", "")]), false),
            (
                &tekari,
                user(Role::Fieldworker, &[("Gaya", "Tekari")]),
                true,
            ),
            (
                &tekari,
                user(Role::Fieldworker, &[("Gaya", "Bodh Gaya")]),
                false,
            ),
            (&tekari, user(Role::Fieldworker, &[("Gaya", "")]), false),
            (&admin, user(Role::Supervisor, &[("Gaya", "")]), true),
            (&cwc, user(Role::Fieldworker, &[("Gaya", "Tekari")]), false),
        ];
        for (actor, target, want) in cases {
            assert_eq!(manages(actor, &target), want, "{actor:?} over {target:?}");
        }
        assert!(in_areas(&gaya.areas, "Gaya", "Tekari"));
        assert!(!in_areas(&tekari.areas, "Gaya", "Bodh Gaya"));
    }
}
