//! Any interleaving of offline edits on three devices converges to the same case and loses no
//! visit, service or incident.

use automerge::AutoCommit;
use homeward_shared::edit::{Edit, NewIncident, NewService, NewSummons};
use homeward_shared::model::{DocumentKind, DocumentState, ServiceDimension, VisitKind};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::schema;
use proptest::prelude::*;

use crate::support::{Doc, actor, ctx_by, d, visit_edit};

#[derive(Debug, Clone)]
enum Op {
    /// Device records a visit updating one need.
    Visit {
        device: usize,
        day: u8,
        dim: usize,
        status: usize,
    },
    /// Device records a service.
    Service { device: usize, day: u8 },
    /// Device records an incident.
    Incident { device: usize, day: u8 },
    /// Device records a summons.
    Summons { device: usize, day: u8 },
    /// Device marks a document.
    Document {
        device: usize,
        kind: usize,
        state: usize,
    },
    /// Device `from` sends everything it has to device `to` (a partial sync through the server).
    Sync { from: usize, to: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize, 1..28u8, 0..7usize, 0..6usize).prop_map(|(device, day, dim, status)| Op::Visit { device, day, dim, status }),
        1 => (0..3usize, 1..28u8).prop_map(|(device, day)| Op::Service { device, day }),
        1 => (0..3usize, 1..28u8).prop_map(|(device, day)| Op::Incident { device, day }),
        1 => (0..3usize, 1..28u8).prop_map(|(device, day)| Op::Summons { device, day }),
        2 => (0..3usize, 0..10usize, 0..3usize).prop_map(|(device, kind, state)| Op::Document { device, kind, state }),
        2 => (0..3usize, 0..3usize).prop_map(|(from, to)| Op::Sync { from, to }),
    ]
}

fn day(n: u8) -> String {
    format!("2026-02-{n:02}")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn any_interleaving_of_offline_edits_converges_and_loses_nothing(ops in proptest::collection::vec(op(), 1..40)) {
        let base = Doc::new("2026-01-20");
        let mut devices: Vec<AutoCommit> = (0..3u8)
            .map(|i| {
                let mut doc = base.doc.clone();
                doc.fork().with_actor(actor(i + 1))
            })
            .collect();
        let mut visits = Vec::new();
        let mut services = Vec::new();
        let mut incidents = Vec::new();
        let mut summonses = Vec::new();
        for (n, op) in ops.iter().enumerate() {
            let ctx = |device: usize, on: &str| ctx_by(u8::try_from(device).unwrap_or(0) + 1, on);
            match op {
                Op::Visit { device, day: dd, dim, status } => {
                    let dimension = Dimension::ALL[*dim];
                    let statuses = dimension.statuses();
                    let status = statuses[status % statuses.len()];
                    let id = format!("v{n}");
                    let edit = visit_edit(&id, &day(*dd), VisitKind::FollowUp, &[(dimension, status)]);
                    schema::apply(&mut devices[*device], &edit, &ctx(*device, &day(*dd))).expect("visit");
                    visits.push(id);
                }
                Op::Service { device, day: dd } => {
                    let id = format!("s{n}");
                    let edit = Edit::AddService(NewService {
                        id: id.clone(),
                        dimension: ServiceDimension::Entitlements,
                        // One open claim per scheme: each op claims its own.
                        scheme: format!("scheme_{n}"),
                        applied_on: Some(d(&day(*dd))),
                        sanctioned_on: None,
                        paid_on: None,
                        amount: Some(500),
                        stuck_reason: None,
                    });
                    schema::apply(&mut devices[*device], &edit, &ctx(*device, &day(*dd))).expect("service");
                    services.push(id);
                }
                Op::Incident { device, day: dd } => {
                    let id = format!("i{n}");
                    let edit = Edit::AddIncident(NewIncident { id: id.clone(), on: d(&day(*dd)), what: "threat".into(), police_informed: true });
                    schema::apply(&mut devices[*device], &edit, &ctx(*device, &day(*dd))).expect("incident");
                    incidents.push(id);
                }
                Op::Summons { device, day: dd } => {
                    let id = format!("m{n}");
                    let edit = Edit::AddSummons(NewSummons { id: id.clone(), received_on: d(&day(*dd)), hearing_on: d("2026-04-01"), mode: None });
                    schema::apply(&mut devices[*device], &edit, &ctx(*device, &day(*dd))).expect("summons");
                    summonses.push(id);
                }
                Op::Document { device, kind, state } => {
                    let states = [DocumentState::Missing, DocumentState::Received, DocumentState::Verified];
                    let edit = Edit::SetDocument { kind: DocumentKind::ALL[*kind], state: states[*state], on: d("2026-02-01") };
                    schema::apply(&mut devices[*device], &edit, &ctx(*device, "2026-02-01")).expect("document");
                }
                Op::Sync { from, to } if from != to => {
                    let mut source = devices[*from].clone();
                    devices[*to].merge(&mut source).expect("merge");
                }
                Op::Sync { .. } => {}
            }
        }
        // Everyone meets at last: each device receives the others' changes.
        for i in 0..3 {
            for j in 0..3 {
                if i != j {
                    let mut source = devices[j].clone();
                    devices[i].merge(&mut source).expect("merge");
                }
            }
        }
        let cases: Vec<_> = devices.iter().map(|doc| schema::read_case(doc).expect("reads")).collect();
        prop_assert_eq!(&cases[0], &cases[1], "devices 1 and 2 converge");
        prop_assert_eq!(&cases[0], &cases[2], "devices 1 and 3 converge");
        let heads: Vec<_> = devices.iter_mut().map(|doc| doc.get_heads()).collect();
        prop_assert_eq!(&heads[0], &heads[1]);
        prop_assert_eq!(&heads[0], &heads[2]);

        let case = &cases[0];
        let mut got: Vec<_> = case.visits.iter().map(|v| v.id.clone()).collect();
        got.sort();
        visits.sort();
        prop_assert_eq!(got, visits, "every visit kept, none doubled");
        let mut got: Vec<_> = case.services.iter().map(|s| s.id.clone()).collect();
        got.sort();
        services.sort();
        prop_assert_eq!(got, services, "every service kept");
        let mut got: Vec<_> = case.legal.incidents.iter().map(|i| i.id.clone()).collect();
        got.sort();
        incidents.sort();
        prop_assert_eq!(got, incidents, "every incident kept");
        let mut got: Vec<_> = case.legal.summonses.iter().map(|s| s.id.clone()).collect();
        got.sort();
        summonses.sort();
        prop_assert_eq!(got, summonses, "every summons kept");
        let history: usize = case.needs.iter().map(|n| n.history.len()).sum();
        prop_assert_eq!(history, case.visits.len(), "every need update kept");
        // Whatever the merge shows as current, it is one of the values someone set.
        for need in &case.needs {
            prop_assert!(need.status == Status::NotAssessed || need.history.iter().any(|h| h.status == need.status));
        }
    }
}
