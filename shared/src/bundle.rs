//! What sealed files carry (issue 14), for phone and server alike: a device's changes for the
//! server ([`DeviceBundle`]), the server's updates for one device ([`ServerBundle`]), one case
//! ([`CaseExport`]), the server's signed statements ([`Revocation`], [`KeyEndorsement`]) and the
//! list of server keys a device trusts ([`ServerKey`], [`trusted_keys`]).
//!
//! Each is postcard inside a [`crate::seal::Signed`]; the sync messages inside bundles are the
//! wire format's own bytes ([`crate::wire::encode`]), so a bundle is read with the same bounds
//! as a sync body.

use serde::{Deserialize, Serialize};

use crate::seal::{KeyId, Kind, PublicKeys, SealError, SecretKeys, Signed, Signer};
use crate::wire::Cursor;

/// A device's changes carried by hand: every change the server has not confirmed and the
/// spot-check outcomes not yet recorded, as one sync request would push them, and the pages of
/// copies not yet uploaded. Cumulative: a newer bundle of a device holds everything an older
/// one did that is still unconfirmed, so the server refuses an older one after a newer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceBundle {
    /// The device that made it (and signed it).
    pub device: String,
    /// The device's bundle counter, from 1: higher is newer.
    pub seq: u64,
    /// When it was made, by the device's clock (RFC 3339).
    pub made_at: String,
    /// A [`crate::wire::SyncRequest`] in the wire format: the cursor, the push and the
    /// spot-check outcomes (its budget and versions unused).
    pub request: Vec<u8>,
    /// Pages of copies of documents made on the device and not yet uploaded.
    pub pages: Vec<BundlePage>,
    /// Set when the device made this bundle on a revocation it verified, just before wiping:
    /// the server's signed statement ([`Revocation`]) as bytes. Only an admin imports such a
    /// bundle.
    pub revocation: Option<Vec<u8>>,
}

/// One page of a copy of a document, carried whole in a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundlePage {
    /// Its SHA-256, lowercase hex.
    pub hash: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// What one device would receive in its next sync, made by the server from where the device
/// stood (`from`): one whole sync response (not paged) in the wire format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerBundle {
    /// The device it is for.
    pub device: String,
    /// When the server made it (RFC 3339).
    pub made_at: String,
    /// The cursor it starts from: what the server knew the device had.
    pub from: Cursor,
    /// A [`crate::wire::SyncResponse`] in the wire format; its cursor is where the device
    /// stands once it has applied it.
    pub response: Vec<u8>,
}

/// One case as a device holds it, for the server or a named recipient: the whole saved
/// document, so that its changes keep their authors (the author device signs the file; the
/// server takes each change by its author's scope).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseExport {
    /// The device that exported it.
    pub device: String,
    /// When (RFC 3339).
    pub made_at: String,
    /// The case id.
    pub case: String,
    /// The saved Automerge document.
    pub document: Vec<u8>,
    /// The exporting device's certificate ([`DeviceCertificate`], signed by the server, as
    /// bytes): another phone checks offline who made the file with it.
    pub certificate: Vec<u8>,
}

/// The server's statement that a device is revoked. A device wipes its store only on one it
/// verifies with a server key it trusts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    /// The device.
    pub device: String,
    /// When it was revoked (RFC 3339).
    pub revoked_at: String,
}

/// A new server key, vouched for by an older one: a device that trusts the older key takes
/// the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEndorsement {
    /// The new key.
    pub key: PublicKeys,
    /// Since when it signs (RFC 3339).
    pub since: String,
}

/// A server key as devices receive it: the key, since when it is in use, and its endorsement
/// by the key before it (none for the first key, which a device takes at enrolment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ServerKey {
    /// The public keys.
    pub key: PublicKeys,
    /// Since when (RFC 3339).
    pub since: String,
    /// The endorsement: a [`Signed`] of [`Kind::KeyEndorsement`] by the previous key, as bytes.
    pub endorsement: Option<Vec<u8>>,
}

impl ServerKey {
    /// The key's name.
    pub fn id(&self) -> KeyId {
        self.key.id()
    }
}

/// The server keys a device trusts after receiving `offered` while trusting `trusted`: each
/// offered key already trusted, or endorsed by one that is (in order, so a chain of rotations
/// is followed); a key the server no longer offers is dropped once the server offers at least
/// one trusted key (the overlap has ended). An offer with no trusted key at all changes
/// nothing. Newest (last `since`) last.
pub fn trusted_keys(trusted: &[ServerKey], offered: &[ServerKey]) -> Vec<ServerKey> {
    let mut known: Vec<ServerKey> = trusted.to_vec();
    let mut progress = true;
    while progress {
        progress = false;
        for k in offered {
            if known.iter().any(|t| t.key == k.key) {
                continue;
            }
            let Some(bytes) = &k.endorsement else {
                continue;
            };
            let Ok(signed) = Signed::from_bytes(bytes) else {
                continue;
            };
            let Some(by) = known.iter().find(|t| t.id() == *signed.signer.key()) else {
                continue;
            };
            let Ok(e) = signed.open_as::<KeyEndorsement>(Kind::KeyEndorsement, &by.key) else {
                continue;
            };
            if e.key == k.key {
                known.push(k.clone());
                progress = true;
            }
        }
    }
    let kept: Vec<ServerKey> = known
        .iter()
        .filter(|t| offered.iter().any(|k| k.key == t.key))
        .cloned()
        .collect();
    let mut out = if kept.is_empty() { known } else { kept };
    out.sort_by(|a, b| a.since.cmp(&b.since));
    out
}

/// A new server key endorsed by the current one.
pub fn endorse(current: &SecretKeys, new: &PublicKeys, since: &str) -> ServerKey {
    let payload = postcard::to_allocvec(&KeyEndorsement {
        key: new.clone(),
        since: since.to_owned(),
    })
    .unwrap_or_default();
    let signed = current.sign(
        Kind::KeyEndorsement,
        Signer::Server {
            key: current.public().id(),
        },
        payload,
    );
    ServerKey {
        key: new.clone(),
        since: since.to_owned(),
        endorsement: Some(signed.to_bytes()),
    }
}

/// The server's statement that a device holds these keys and belongs to this user: a device
/// receives its own at enrolment and puts it in every case it exports, so another phone can
/// check offline who made the file (with the server keys it trusts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceCertificate {
    /// The device id.
    pub device: String,
    /// Its public keys.
    pub keys: PublicKeys,
    /// Its user's id.
    pub user_id: String,
    /// Its user's name.
    pub user_name: String,
    /// When the server issued it (RFC 3339).
    pub issued_at: String,
}

/// Checks a device certificate against the server keys a device trusts.
pub fn verify_certificate(
    bytes: &[u8],
    trusted: &[ServerKey],
) -> Result<DeviceCertificate, SealError> {
    let signed = Signed::from_bytes(bytes)?;
    let by = server_key(trusted, &signed.signer)?;
    signed.open_as(Kind::DeviceCertificate, by)
}

/// Opens a case another phone sealed to this one ([`Kind::CaseExport`]), checked offline: the
/// certificate it carries must be signed by a server key in `trusted`, the file signed with
/// the keys that certificate names, by the device it names, which must also be the exporter.
/// Nothing of the payload is used before every check passed.
pub fn open_case_export(
    signed: &Signed,
    trusted: &[ServerKey],
) -> Result<(CaseExport, DeviceCertificate), SealError> {
    let found = signed.kind().ok_or(SealError::Unknown)?;
    if found != Kind::CaseExport {
        return Err(SealError::WrongKind {
            wanted: Kind::CaseExport.name(),
            found: found.name(),
        });
    }
    let Signer::Device { device, .. } = &signed.signer else {
        return Err(SealError::BadSignature {
            signer: format!("{}, not a phone,", signed.signer),
        });
    };
    // Read before the signature only to find the certificate the signature is checked with.
    let claimed: CaseExport =
        postcard::from_bytes(&signed.payload).map_err(|e| SealError::Malformed(e.to_string()))?;
    let cert = verify_certificate(&claimed.certificate, trusted)?;
    let export: CaseExport = signed.open_as(Kind::CaseExport, &cert.keys)?;
    if cert.device != *device || export.device != *device {
        return Err(SealError::BadSignature {
            signer: format!(
                "device {device}, whose certificate is device {}'s,",
                cert.device
            ),
        });
    }
    Ok((export, cert))
}

/// What the server gives a device for its keys, at enrolment (`POST /api/v1/enrol` with
/// `keys`) or later (`POST /api/v1/keys`, for a device enrolled before keys existed). JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyGrant {
    /// The server's keys in use, oldest first ([`trusted_keys`]); a device enrolling takes them
    /// as given (it trusts the server it enrols with).
    pub server_keys: Vec<ServerKey>,
    /// The device's certificate: a [`Signed`] [`DeviceCertificate`], as bytes.
    pub certificate: Vec<u8>,
    /// The device's SMS key ([`crate::sms`]), 32 bytes in hex.
    pub sms_key: String,
    /// The number urgent SMS go to, when the server has one.
    pub sms_number: Option<String>,
}

/// What the server did with a bundle: the answer to `POST /api/v1/bundles`, the dashboard's
/// upload and `homeward-sync-server bundle import`. JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleReceipt {
    /// The bundle's id: the SHA-256 of the sealed file, hex.
    pub bundle: String,
    /// What it held.
    pub kind: String,
    /// The device that made it.
    pub device: String,
    /// That device's user's name.
    pub user_name: String,
    /// The bundle's number (0 for an exported case).
    pub seq: u64,
    /// `true` when this very bundle was imported before: nothing was stored again, and the
    /// cases are the first import's answer.
    pub already: bool,
    /// Per case: stored, or refused and why (as a push would be).
    pub cases: Vec<CaseResult>,
    /// Spot-check outcomes: each id, and `None` when recorded or why it was refused.
    pub outcomes: Vec<(String, Option<String>)>,
    /// Pages of copies stored.
    pub pages: u32,
}

/// One case of a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseResult {
    /// The case.
    pub case: String,
    /// Changes the server now holds for it from this bundle (stored now or before).
    pub changes: u32,
    /// Why it was refused, when it was: nothing of that case was stored.
    pub refused: Option<String>,
}

/// Signs a payload of a kind as `signer` with `keys`.
pub fn sign<T: Serialize>(keys: &SecretKeys, kind: Kind, signer: Signer, payload: &T) -> Signed {
    keys.sign(
        kind,
        signer,
        postcard::to_allocvec(payload).unwrap_or_default(),
    )
}

/// The server's signed revocation of a device.
pub fn revocation(server: &SecretKeys, device: &str, revoked_at: &str) -> Signed {
    sign(
        server,
        Kind::Revocation,
        Signer::Server {
            key: server.public().id(),
        },
        &Revocation {
            device: device.to_owned(),
            revoked_at: revoked_at.to_owned(),
        },
    )
}

/// Checks a revocation statement against the server keys a device trusts and that it names
/// this device.
pub fn verify_revocation(
    bytes: &[u8],
    trusted: &[ServerKey],
    device: &str,
) -> Result<Revocation, SealError> {
    let signed = Signed::from_bytes(bytes)?;
    let by = server_key(trusted, &signed.signer)?;
    let r: Revocation = signed.open_as(Kind::Revocation, by)?;
    if r.device != device {
        return Err(SealError::BadSignature {
            signer: format!("a revocation of device {}", r.device),
        });
    }
    Ok(r)
}

/// The trusted server key that signed, or why none.
pub fn server_key<'a>(
    trusted: &'a [ServerKey],
    signer: &Signer,
) -> Result<&'a PublicKeys, SealError> {
    match signer {
        Signer::Server { key } => trusted
            .iter()
            .find(|k| k.id() == *key)
            .map(|k| &k.key)
            .ok_or_else(|| SealError::UnknownSigner {
                signer: signer.to_string(),
                key: key.clone(),
            }),
        Signer::Device { .. } => Err(SealError::BadSignature {
            signer: format!("{signer}, not the server,"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::SEED_BYTES;

    fn keys(n: u8) -> SecretKeys {
        SecretKeys::from_seed([n; SEED_BYTES])
    }

    fn first(k: &SecretKeys) -> ServerKey {
        ServerKey {
            key: k.public(),
            since: "2026-01-01T00:00:00Z".into(),
            endorsement: None,
        }
    }

    #[test]
    fn a_rotated_key_is_trusted_through_its_endorsement_and_the_old_one_kept_while_offered() {
        let (k1, k2, k3) = (keys(1), keys(2), keys(3));
        let trusted = vec![first(&k1)];
        let e2 = endorse(&k1, &k2.public(), "2026-06-01T00:00:00Z");
        let now = trusted_keys(&trusted, &[first(&k1), e2.clone()]);
        assert_eq!(now.len(), 2, "old and new during the overlap");
        assert_eq!(now[1].key, k2.public(), "newest last");
        // The overlap ends: the server stops offering k1.
        let later = trusted_keys(&now, std::slice::from_ref(&e2));
        assert_eq!(later.len(), 1);
        // A key endorsed by nobody trusted is not taken, and an offer of only unknown keys
        // changes nothing.
        let rogue = endorse(&k3, &keys(4).public(), "2026-07-01T00:00:00Z");
        assert_eq!(trusted_keys(&trusted, &[rogue]), trusted);
        // An endorsement of another key than offered is not taken.
        let mut swapped = endorse(&k1, &k2.public(), "2026-06-01T00:00:00Z");
        swapped.key = k3.public();
        assert_eq!(trusted_keys(&trusted, &[first(&k1), swapped]).len(), 1);
    }

    #[test]
    fn a_revocation_verifies_only_for_its_device_and_by_a_trusted_key() {
        let k1 = keys(1);
        let r = revocation(&k1, "dev1", "2026-11-01T10:00:00Z").to_bytes();
        let trusted = vec![first(&k1)];
        assert_eq!(
            verify_revocation(&r, &trusted, "dev1")
                .expect("valid")
                .device,
            "dev1"
        );
        assert!(verify_revocation(&r, &trusted, "dev2").is_err());
        assert!(verify_revocation(&r, &[first(&keys(2))], "dev1").is_err());
        let forged = revocation(&keys(2), "dev1", "2026-11-01T10:00:00Z").to_bytes();
        assert!(verify_revocation(&forged, &trusted, "dev1").is_err());
        assert!(verify_revocation(b"gone", &trusted, "dev1").is_err());
    }

    #[test]
    fn a_case_export_opens_only_with_a_trusted_certificate_and_its_devices_signature() {
        let (server, phone, other) = (keys(1), keys(2), keys(3));
        let cert = |k: &SecretKeys, by: &SecretKeys, device: &str| {
            sign(
                by,
                Kind::DeviceCertificate,
                Signer::Server {
                    key: by.public().id(),
                },
                &DeviceCertificate {
                    device: device.into(),
                    keys: k.public(),
                    user_id: "u1".into(),
                    user_name: "Anita".into(),
                    issued_at: "2026-11-01T00:00:00Z".into(),
                },
            )
            .to_bytes()
        };
        let export = |k: &SecretKeys, device: &str, certificate: Vec<u8>| {
            sign(
                k,
                Kind::CaseExport,
                Signer::Device {
                    device: device.into(),
                    key: k.public().id(),
                },
                &CaseExport {
                    device: device.into(),
                    made_at: "2026-11-02T00:00:00Z".into(),
                    case: "c1".into(),
                    document: vec![1, 2, 3],
                    certificate,
                },
            )
        };
        let trusted = vec![first(&server)];
        let good = export(&phone, "d1", cert(&phone, &server, "d1"));
        let (e, c) = open_case_export(&good, &trusted).expect("a valid export opens");
        assert_eq!((e.case.as_str(), c.device.as_str()), ("c1", "d1"));
        let refused = [
            (
                "a certificate by an unknown key",
                export(&phone, "d1", cert(&phone, &other, "d1")),
            ),
            (
                "signed by keys not certified",
                export(&other, "d1", cert(&phone, &server, "d1")),
            ),
            (
                "another device's certificate",
                export(&phone, "d1", cert(&phone, &server, "d2")),
            ),
        ];
        for (why, signed) in refused {
            assert!(open_case_export(&signed, &trusted).is_err(), "{why}");
        }
        let mut forged = good.clone();
        forged.payload.push(0);
        assert!(
            open_case_export(&forged, &trusted).is_err(),
            "a changed payload"
        );
    }
}
