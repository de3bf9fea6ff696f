//! One case sealed to the server or to a colleague's phone, and read back on that phone
//! (issue 14). The file is a [`CaseExport`] (the whole saved document and this device's
//! certificate), signed by this device and sealed ([`homeward_shared::seal`]): whoever carries
//! it learns nothing of the child.
//!
//! A phone that imports a case sealed to it checks it offline ([`bundle::open_case_export`]:
//! the certificate by a trusted server key, the signature by the certified keys) and merges
//! every change in it, another device's included: they are the author's, and the server takes
//! them by the author's signature, from the author's file re-sealed to the server and kept in
//! `relay` in the same transaction (the next sync sends it before this device's own rounds).
//! Only this device's own changes enter its journal and outbox: the author's never go up as
//! this device's.

use automerge::AutoCommit;
use homeward_shared::attachment::sha256_hex;
use homeward_shared::bundle::{self, CaseExport};
use homeward_shared::seal::{self, ENTROPY_BYTES, KeyId, Kind, PublicKeys, Signed, Signer};

use super::cases::record_changes;
use super::*;
use crate::key::random_bytes;

/// Whom a sealed file is for, as this phone sees it from the file's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealedFor {
    /// This phone's keys: it opens here.
    ThisPhone,
    /// A server key this phone trusts: it goes to the server (carried, or relayed by a sync).
    Server,
    /// Any other key: another phone's (or another server's) file.
    Another(KeyId),
}

impl Store {
    /// Case `case_id` as a sealed file: a [`CaseExport`] of the whole saved document with this
    /// device's certificate, signed by this device and sealed to `to` (a colleague's phone, by
    /// the keys it printed) or, when `None`, to the server's newest trusted key. `entropy`:
    /// 32 fresh random bytes.
    ///
    /// Needs this device's keys and certificate (a sync with a network after enrolment).
    pub fn export_sealed_case(
        &self,
        case_id: &str,
        to: Option<&PublicKeys>,
        entropy: [u8; ENTROPY_BYTES],
    ) -> Result<Vec<u8>> {
        let document = self.export(case_id)?;
        let (keys, signer) = self.signer()?;
        let Signer::Device { device, .. } = &signer else {
            return Err(FieldError::Corrupt("the device's signer".into()));
        };
        let export = CaseExport {
            device: device.clone(),
            made_at: now().to_rfc3339(),
            case: case_id.to_owned(),
            document,
            certificate: self.certificate()?,
        };
        let recipient = match to {
            Some(k) => k.clone(),
            None => self.server_seal_key()?,
        };
        let sealed =
            bundle::sign(&keys, Kind::CaseExport, signer, &export).seal(&recipient, entropy);
        if sealed.is_empty() {
            return Err(FieldError::Sealed(seal::SealError::BadKeyText));
        }
        Ok(sealed)
    }

    /// Whom a sealed file is for, from its header: this phone, the server, or another.
    pub fn sealed_for(&self, sealed: &[u8]) -> Result<(Kind, SealedFor)> {
        let h = seal::header(sealed)?;
        let mine = self.device_keys()?.map(|k| k.public().id());
        let to = if mine.as_ref() == Some(&h.recipient) {
            SealedFor::ThisPhone
        } else if self
            .trusted_server_keys()?
            .iter()
            .any(|k| k.id() == h.recipient)
        {
            SealedFor::Server
        } else {
            SealedFor::Another(h.recipient)
        };
        Ok((h.kind, to))
    }

    /// Opens a case another phone sealed to this one and imports it
    /// ([`Store::import_sealed_case`]). A file sealed to the server or another phone, or of
    /// another kind, is refused with what to do; nothing changes.
    pub fn import_sealed_file(&mut self, sealed: &[u8]) -> Result<(String, bool)> {
        let (kind, to) = self.sealed_for(sealed)?;
        if kind != Kind::CaseExport {
            return Err(FieldError::Sealed(seal::SealError::WrongKind {
                wanted: Kind::CaseExport.name(),
                found: kind.name(),
            }));
        }
        match to {
            SealedFor::ThisPhone => {}
            SealedFor::Server => {
                return Err(FieldError::BadInput(
                    "this file is sealed to the server, not to this phone: give it to the office (homeward-sync-server bundle import), or let this phone carry it (homeward receive FILE) to the server at its next sync".into(),
                ));
            }
            SealedFor::Another(recipient) => {
                return Err(FieldError::Sealed(seal::SealError::NotForUs {
                    recipient,
                    holder: "phone",
                }));
            }
        }
        let keys = self.device_keys()?.ok_or_else(|| {
            FieldError::BadInput("this device has no keys yet: sync once with a network".into())
        })?;
        let signed = seal::open(sealed, &[keys], "phone")?;
        self.import_sealed_case(signed)
    }

    /// Imports a case another phone exported and sealed to this one, already opened: checks
    /// its certificate against the server keys this phone trusts, the signature against the
    /// certified keys and that the signer is the certified device; then merges the document
    /// (a new case is added, a known one merged) and, when the file brought changes this phone
    /// lacked, keeps the author's signed file re-sealed to the server in `relay`, all in one
    /// transaction. Returns the case id and whether it was new. A refusal changes nothing.
    ///
    /// The author's changes are not journaled here: they reach the server by the author's
    /// signature (the relay goes before this device's rounds); this device's own changes in the
    /// file that its journal lacks are journaled to be pushed, as [`Store::import`] does.
    pub fn import_sealed_case(&mut self, signed: Signed) -> Result<(String, bool)> {
        let trusted = self.trusted_server_keys()?;
        if trusted.is_empty() {
            // The same words as every sealed file needing the server's keys.
            self.server_seal_key()?;
        }
        let (export, _certificate) = bundle::open_case_export(&signed, &trusted)?;
        let mut incoming = schema::load(&export.document, self.actor.clone())
            .map_err(|e| FieldError::BadInput(format!("not a Homeward case file: {e}")))?;
        let case = schema::read_case(&incoming)
            .map_err(|e| FieldError::BadInput(format!("not a readable Homeward case: {e}")))?;
        if case.id != export.case {
            return Err(FieldError::BadInput(format!(
                "the file says it holds case {} but its document is case {}",
                export.case, case.id
            )));
        }
        let server = self.server_seal_key()?;
        let relayed = signed.seal(&server, random_bytes::<ENTROPY_BYTES>()?);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let known = case_known(&tx, &case.id)?;
        let mut doc = if known {
            load_doc(&tx, &case.id, &self.actor)?
        } else {
            AutoCommit::new().with_actor(self.actor.clone())
        };
        let heads = doc.get_heads();
        let added = untrusted::changes_added(&mut doc, &mut incoming)
            .map_err(|e| FieldError::BadInput(format!("cannot compare the imported case: {e}")))?;
        let foreign = added.iter().any(|c| c.actor_id() != &self.actor);
        let mut doc = untrusted::merge(doc, incoming)
            .map_err(|e| FieldError::BadInput(format!("cannot merge the imported case: {e}")))?;
        schema::read_case(&doc)
            .map_err(|e| FieldError::BadInput(format!("the merged case does not read: {e}")))?;
        materialise(&tx, &mut doc, today(), &self.programme, !known)?;
        let own: Vec<automerge::Change> = doc
            .get_changes(&heads)
            .into_iter()
            .filter(|c| c.actor_id() == &self.actor)
            .collect();
        record_changes(&tx, &case.id, &own, now())?;
        if foreign {
            keep_for_relay(&tx, &relayed, Kind::CaseExport)?;
        }
        tx.commit()?;
        Ok((case.id, !known))
    }
}

/// Keeps a sealed file for the server in `relay` (sent at the start of the next sync), inside
/// the caller's transaction. `false`: this very file was already kept.
pub(crate) fn keep_for_relay(conn: &Connection, sealed: &[u8], kind: Kind) -> Result<bool> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO relay (id, sealed, kind, received_at) VALUES (?1, ?2, ?3, ?4)",
        params![sha256_hex(sealed), sealed, kind.name(), now().to_rfc3339()],
    )?;
    Ok(n > 0)
}
