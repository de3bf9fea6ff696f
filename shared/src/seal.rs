//! Keys, signatures and sealed files (issue 14): what makes any file transport a safe sync path.
//!
//! Every device and the server hold two key pairs, made from 64 random bytes the caller passes
//! in ([`SecretKeys::from_seed`]; this crate draws no randomness): an Ed25519 pair that signs and
//! an X25519 pair that files are sealed to. Only the public halves ([`PublicKeys`]) leave the
//! device (at enrolment); a key pair is named by its [`KeyId`].
//!
//! A payload is first **signed** ([`Signed`]: its kind, who signed, the bytes, an Ed25519
//! signature over a domain-separated message), then, when it travels as a file, **sealed** to its
//! recipient's X25519 key by HPKE (RFC 9180, base mode: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
//! ChaCha20-Poly1305, the `hpke` crate). Whoever carries a sealed file learns its kind, the id of
//! the key it is sealed to and its size, nothing else; a changed byte anywhere fails the AEAD
//! tag, and a re-sealed file still needs the author's signature inside. A revocation or a key
//! endorsement is signed and not sealed: anyone may read it, nobody may forge it.
//!
//! A sealed file (all integers big-endian):
//!
//! ```text
//! "HWSEAL1\n"   8 bytes, the magic and version
//! kind          1 byte   (Kind)
//! recipient     8 bytes  (the KeyId's bytes)
//! encapsulated  32 bytes (HPKE's X25519 ephemeral public key)
//! ciphertext    the rest: postcard of Signed, then the 16-byte tag
//! ```
//!
//! The header (magic, kind, recipient) is the AEAD's associated data and the kind is in HPKE's
//! `info`, so a file's kind cannot be changed either.

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use hpke::aead::ChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The first bytes of every sealed file.
pub const MAGIC: &[u8; 8] = b"HWSEAL1\n";

/// The header's length: magic, kind, recipient key id, HPKE's encapsulated key.
pub const HEADER_BYTES: usize = 8 + 1 + 8 + 32;

/// The largest sealed file opened (a bundle carrying copies of documents can be large; a week of
/// offline records is some hundreds of KB).
pub const MAX_SEALED_BYTES: usize = 256 * 1024 * 1024;

/// The random bytes a key pair is made from.
pub const SEED_BYTES: usize = 64;

/// The random bytes one sealing takes (HPKE's ephemeral X25519 key).
pub const ENTROPY_BYTES: usize = 32;

/// What a signed payload is. Part of what is signed and sealed, so a payload of one kind is
/// never taken for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[repr(u8)]
pub enum Kind {
    /// A device's unconfirmed changes, for the server ([`crate::bundle::DeviceBundle`]).
    DeviceBundle = 1,
    /// What a device would receive in its next sync ([`crate::bundle::ServerBundle`]).
    ServerBundle = 2,
    /// One case, as a device holds it ([`crate::bundle::CaseExport`]).
    CaseExport = 3,
    /// The server's statement that a device is revoked ([`crate::bundle::Revocation`]).
    Revocation = 4,
    /// A new server key vouched for by an older one ([`crate::bundle::KeyEndorsement`]).
    KeyEndorsement = 5,
    /// The server's statement of a device's keys and user ([`crate::bundle::DeviceCertificate`]).
    DeviceCertificate = 6,
}

impl Kind {
    fn from_byte(b: u8) -> Option<Kind> {
        Some(match b {
            1 => Kind::DeviceBundle,
            2 => Kind::ServerBundle,
            3 => Kind::CaseExport,
            4 => Kind::Revocation,
            5 => Kind::KeyEndorsement,
            6 => Kind::DeviceCertificate,
            _ => return None,
        })
    }

    /// The kind's name, as messages show it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::DeviceBundle => "a phone's changes",
            Kind::ServerBundle => "the server's updates for a phone",
            Kind::CaseExport => "an exported case",
            Kind::Revocation => "a revocation",
            Kind::KeyEndorsement => "a server key",
            Kind::DeviceCertificate => "a phone's certificate",
        }
    }
}

/// Why a sealed or signed payload was refused. Nothing was read or stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// The bytes are not a Homeward sealed file at all.
    #[error("this is not a Homeward sealed file")]
    NotSealed,
    /// A sealed file of a version or kind this build does not know.
    #[error("this sealed file is of a kind or version this Homeward does not know: update it")]
    Unknown,
    /// Sealed to a key this side does not hold: another device's file, or a server key retired
    /// and forgotten.
    #[error(
        "this file is sealed to key {recipient}, which is not this {holder}'s: it is meant for another {holder}"
    )]
    NotForUs {
        /// The key the file is sealed to.
        recipient: KeyId,
        /// "phone" or "server".
        holder: &'static str,
    },
    /// The AEAD tag does not match: a byte was changed, or the file was cut.
    #[error(
        "this file is damaged or was changed after it was made (it was cut short, or a byte in it differs): nothing in it was read"
    )]
    Damaged,
    /// The signature is not the named signer's.
    #[error("the signature does not match {signer}: the file was not made by who it says")]
    BadSignature {
        /// The signer as named in the file.
        signer: String,
    },
    /// The signer's key is not known here.
    #[error("{signer} is not known here (key {key}): its signature cannot be checked")]
    UnknownSigner {
        /// The signer as named in the file.
        signer: String,
        /// The key named.
        key: KeyId,
    },
    /// A payload of another kind than asked for.
    #[error("this file holds {found}, not {wanted}")]
    WrongKind {
        /// What was asked for.
        wanted: &'static str,
        /// What the file holds.
        found: &'static str,
    },
    /// Signed, but its payload cannot be read (a bug, or a newer format).
    #[error("this file's content cannot be read: {0}")]
    Malformed(String),
    /// Larger than [`MAX_SEALED_BYTES`].
    #[error("this file is larger than {} MB, more than any sealed file Homeward makes", MAX_SEALED_BYTES / (1024 * 1024))]
    TooLarge,
    /// A key in text that cannot be read.
    #[error("not a Homeward public key (expected hwkey1: followed by 128 hexadecimal digits)")]
    BadKeyText,
    /// The server's file for another device.
    #[error("this file is for device {device}, not this phone: nothing changed")]
    OtherDevice {
        /// The device it is for.
        device: String,
    },
    /// The server's file holds nothing newer than what the phone has: a replay.
    #[error("this file is older than what this phone already has (a replay): nothing changed")]
    Replay,
    /// The server's file starts after where this phone stands: applying it would leave a gap.
    #[error(
        "this file was made for a phone further along than this one (it lacks what came before): ask for a new file, or sync; nothing changed"
    )]
    Ahead,
}

/// The name of a key pair: the first 8 bytes of the SHA-256 of its two public keys, in hex.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct KeyId(pub String);

impl std::fmt::Display for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl KeyId {
    fn from_bytes(b: &[u8; 8]) -> KeyId {
        KeyId(hex::encode(b))
    }

    fn to_bytes(&self) -> [u8; 8] {
        let mut out = [0u8; 8];
        if let Ok(v) = hex::decode(&self.0)
            && v.len() == 8
        {
            out.copy_from_slice(&v);
        }
        out
    }
}

/// The public halves of a key pair: what a device gives the server at enrolment and the server
/// gives devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKeys {
    /// Ed25519 verifying key.
    pub sign: [u8; 32],
    /// X25519 public key (HPKE).
    pub seal: [u8; 32],
}

impl PublicKeys {
    /// The key pair's name.
    pub fn id(&self) -> KeyId {
        let mut h = Sha256::new();
        h.update(self.sign);
        h.update(self.seal);
        let d = h.finalize();
        let mut b = [0u8; 8];
        b.copy_from_slice(&d[..8]);
        KeyId::from_bytes(&b)
    }

    /// As text, to be given on a command line or in a form: `hwkey1:` and 128 hex digits.
    pub fn to_text(&self) -> String {
        format!(
            "hwkey1:{}{}",
            hex::encode(self.sign),
            hex::encode(self.seal)
        )
    }

    /// Reads [`PublicKeys::to_text`]'s form (spaces and a trailing newline allowed).
    pub fn from_text(s: &str) -> Result<PublicKeys, SealError> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let hex_part = s.strip_prefix("hwkey1:").ok_or(SealError::BadKeyText)?;
        let bytes = hex::decode(hex_part).map_err(|_| SealError::BadKeyText)?;
        if bytes.len() != 64 {
            return Err(SealError::BadKeyText);
        }
        let mut sign = [0u8; 32];
        let mut seal = [0u8; 32];
        sign.copy_from_slice(&bytes[..32]);
        seal.copy_from_slice(&bytes[32..]);
        let keys = PublicKeys { sign, seal };
        keys.check()?;
        Ok(keys)
    }

    /// Whether both halves are valid public keys.
    pub fn check(&self) -> Result<(), SealError> {
        VerifyingKey::from_bytes(&self.sign).map_err(|_| SealError::BadKeyText)?;
        <X25519HkdfSha256 as hpke::Kem>::PublicKey::from_bytes(&self.seal)
            .map_err(|_| SealError::BadKeyText)?;
        Ok(())
    }
}

/// A device's or the server's secret keys. Kept only in an encrypted store.
#[derive(Clone)]
pub struct SecretKeys {
    seed: [u8; SEED_BYTES],
}

impl std::fmt::Debug for SecretKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKeys({})", self.public().id())
    }
}

impl SecretKeys {
    /// The key pairs made from 64 random bytes: the first 32 are the Ed25519 secret key, the
    /// last 32 HPKE's input keying material for the X25519 pair (`DeriveKeyPair`).
    pub fn from_seed(seed: [u8; SEED_BYTES]) -> SecretKeys {
        SecretKeys { seed }
    }

    /// The 64 bytes to keep (and give back to [`SecretKeys::from_seed`]).
    pub fn to_seed(&self) -> [u8; SEED_BYTES] {
        self.seed
    }

    /// Reads kept bytes (hex, as stores keep them).
    pub fn from_hex(s: &str) -> Result<SecretKeys, SealError> {
        let v = hex::decode(s.trim()).map_err(|_| SealError::Malformed("secret keys".into()))?;
        let seed: [u8; SEED_BYTES] = v
            .try_into()
            .map_err(|_| SealError::Malformed("secret keys".into()))?;
        Ok(SecretKeys { seed })
    }

    /// The kept bytes as hex.
    pub fn to_hex(&self) -> String {
        hex::encode(self.seed)
    }

    fn signing(&self) -> SigningKey {
        let mut s = [0u8; 32];
        s.copy_from_slice(&self.seed[..32]);
        SigningKey::from_bytes(&s)
    }

    fn sealing(
        &self,
    ) -> (
        <X25519HkdfSha256 as hpke::Kem>::PrivateKey,
        <X25519HkdfSha256 as hpke::Kem>::PublicKey,
    ) {
        X25519HkdfSha256::derive_keypair(&self.seed[32..])
    }

    /// The public halves.
    pub fn public(&self) -> PublicKeys {
        let mut seal = [0u8; 32];
        seal.copy_from_slice(&self.sealing().1.to_bytes());
        PublicKeys {
            sign: self.signing().verifying_key().to_bytes(),
            seal,
        }
    }

    /// Signs a payload of a kind as `signer`.
    pub fn sign(&self, kind: Kind, signer: Signer, payload: Vec<u8>) -> Signed {
        let sig = self.signing().sign(&message(kind, &signer, &payload));
        Signed {
            kind: kind as u8,
            signer,
            payload,
            signature: sig.to_bytes().to_vec(),
        }
    }
}

/// Who signed a payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Signer {
    /// A device, by its id, with its key pair's name.
    Device {
        /// The device id.
        device: String,
        /// Its key.
        key: KeyId,
    },
    /// The server, with the name of the key pair that signed.
    Server {
        /// The server key.
        key: KeyId,
    },
}

impl Signer {
    /// The key named.
    pub fn key(&self) -> &KeyId {
        match self {
            Signer::Device { key, .. } | Signer::Server { key } => key,
        }
    }
}

impl std::fmt::Display for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Signer::Device { device, .. } => write!(f, "device {device}"),
            Signer::Server { .. } => f.write_str("the server"),
        }
    }
}

/// What a signature covers: a domain tag, the kind, the signer and the payload.
fn message(kind: Kind, signer: &Signer, payload: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(payload.len() + 64);
    m.extend_from_slice(b"homeward signed v1\0");
    m.push(kind as u8);
    m.extend_from_slice(&postcard::to_allocvec(signer).unwrap_or_default());
    m.extend_from_slice(payload);
    m
}

/// A payload with its signer and signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    /// The [`Kind`] as its byte.
    pub kind: u8,
    /// Who signed.
    pub signer: Signer,
    /// The payload (postcard).
    pub payload: Vec<u8>,
    /// Ed25519 signature (64 bytes).
    pub signature: Vec<u8>,
}

impl Signed {
    /// The kind, if known.
    pub fn kind(&self) -> Option<Kind> {
        Kind::from_byte(self.kind)
    }

    /// Checks the signature with the signer's public keys and returns the payload.
    pub fn verify(&self, by: &PublicKeys) -> Result<&[u8], SealError> {
        let kind = self.kind().ok_or(SealError::Unknown)?;
        let bad = || SealError::BadSignature {
            signer: self.signer.to_string(),
        };
        if by.id() != *self.signer.key() {
            return Err(bad());
        }
        let key = VerifyingKey::from_bytes(&by.sign).map_err(|_| bad())?;
        let sig: [u8; 64] = self.signature.as_slice().try_into().map_err(|_| bad())?;
        key.verify_strict(
            &message(kind, &self.signer, &self.payload),
            &Signature::from_bytes(&sig),
        )
        .map_err(|_| bad())?;
        Ok(&self.payload)
    }

    /// Checks the signature and the kind, and reads the payload.
    pub fn open_as<T: for<'de> Deserialize<'de>>(
        &self,
        wanted: Kind,
        by: &PublicKeys,
    ) -> Result<T, SealError> {
        let found = self.kind().ok_or(SealError::Unknown)?;
        if found != wanted {
            return Err(SealError::WrongKind {
                wanted: wanted.name(),
                found: found.name(),
            });
        }
        let payload = self.verify(by)?;
        postcard::from_bytes(payload).map_err(|e| SealError::Malformed(e.to_string()))
    }

    /// The signed payload as bytes (for a signed statement that travels unsealed).
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// Reads [`Signed::to_bytes`]. The signature is still to be checked.
    pub fn from_bytes(b: &[u8]) -> Result<Signed, SealError> {
        if b.len() > MAX_SEALED_BYTES {
            return Err(SealError::TooLarge);
        }
        postcard::from_bytes(b).map_err(|e| SealError::Malformed(e.to_string()))
    }

    /// Seals this signed payload to a recipient's keys. `entropy` must be fresh random bytes.
    pub fn seal(&self, to: &PublicKeys, entropy: [u8; ENTROPY_BYTES]) -> Vec<u8> {
        let kind = self.kind().unwrap_or(Kind::DeviceBundle);
        let mut header = Vec::with_capacity(HEADER_BYTES);
        header.extend_from_slice(MAGIC);
        header.push(kind as u8);
        header.extend_from_slice(&to.id().to_bytes());
        let plain = self.to_bytes();
        let Ok(pk) = <X25519HkdfSha256 as hpke::Kem>::PublicKey::from_bytes(&to.seal) else {
            // Keys are checked when they are received; an invalid one yields an empty file
            // that every reader refuses.
            return Vec::new();
        };
        let mut rng = Entropy::new(entropy);
        let sealed = hpke::single_shot_seal_with_rng::<
            ChaCha20Poly1305,
            HkdfSha256,
            X25519HkdfSha256,
        >(&OpModeS::Base, &pk, &info(kind), &plain, &header, &mut rng);
        let Ok((encapped, ciphertext)) = sealed else {
            return Vec::new();
        };
        let mut out = header;
        out.extend_from_slice(&encapped.to_bytes());
        out.extend_from_slice(&ciphertext);
        out
    }
}

fn info(kind: Kind) -> [u8; 19] {
    let mut i = *b"homeward sealed v1\0";
    i[18] = kind as u8;
    i
}

/// What a sealed file's header says, readable without any key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// What it holds.
    pub kind: Kind,
    /// The key it is sealed to.
    pub recipient: KeyId,
}

/// Reads a sealed file's header.
pub fn header(sealed: &[u8]) -> Result<Header, SealError> {
    if sealed.len() < MAGIC.len() || &sealed[..MAGIC.len()] != MAGIC {
        if sealed.len() >= 6 && &sealed[..6] == b"HWSEAL" {
            return Err(SealError::Unknown);
        }
        return Err(SealError::NotSealed);
    }
    if sealed.len() < HEADER_BYTES + 16 {
        return Err(SealError::Damaged);
    }
    if sealed.len() > MAX_SEALED_BYTES {
        return Err(SealError::TooLarge);
    }
    let kind = Kind::from_byte(sealed[8]).ok_or(SealError::Unknown)?;
    let mut r = [0u8; 8];
    r.copy_from_slice(&sealed[9..17]);
    Ok(Header {
        kind,
        recipient: KeyId::from_bytes(&r),
    })
}

/// Opens a sealed file with one of `keys` (the one it is sealed to) and returns what is inside;
/// the signature is still to be checked ([`Signed::verify`]) against the signer's keys.
/// `holder` names this side in the error when no key fits ("phone", "server").
pub fn open(sealed: &[u8], keys: &[SecretKeys], holder: &'static str) -> Result<Signed, SealError> {
    let h = header(sealed)?;
    let key = keys
        .iter()
        .find(|k| k.public().id() == h.recipient)
        .ok_or_else(|| SealError::NotForUs {
            recipient: h.recipient.clone(),
            holder,
        })?;
    let (sk, _) = key.sealing();
    let encapped =
        <X25519HkdfSha256 as hpke::Kem>::EncappedKey::from_bytes(&sealed[17..HEADER_BYTES])
            .map_err(|_| SealError::Damaged)?;
    let plain = hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256>(
        &OpModeR::Base,
        &sk,
        &encapped,
        &info(h.kind),
        &sealed[HEADER_BYTES..],
        &sealed[..17],
    )
    .map_err(|_| SealError::Damaged)?;
    let signed = Signed::from_bytes(&plain)?;
    if signed.kind != h.kind as u8 {
        return Err(SealError::Damaged);
    }
    Ok(signed)
}

/// A CSPRNG over the caller's 32 random bytes (SHA-256 in counter mode): HPKE draws its
/// ephemeral key from it. This crate draws no randomness of its own.
struct Entropy {
    seed: [u8; 32],
    counter: u64,
    buf: Vec<u8>,
}

impl Entropy {
    fn new(seed: [u8; 32]) -> Entropy {
        Entropy {
            seed,
            counter: 0,
            buf: Vec::new(),
        }
    }
}

impl hpke::rand_core::TryRng for Entropy {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for d in dst.iter_mut() {
            if self.buf.is_empty() {
                let mut h = Sha256::new();
                h.update(b"homeward entropy");
                h.update(self.seed);
                h.update(self.counter.to_le_bytes());
                self.counter += 1;
                self.buf = h.finalize().to_vec();
            }
            *d = self.buf.remove(0);
        }
        Ok(())
    }
}

impl hpke::rand_core::TryCryptoRng for Entropy {}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: u8) -> SecretKeys {
        SecretKeys::from_seed([n; SEED_BYTES])
    }

    #[test]
    fn a_sealed_payload_opens_only_for_its_recipient_and_only_unchanged() {
        let (author, server, other) = (keys(1), keys(2), keys(3));
        let signer = Signer::Device {
            device: "d1".into(),
            key: author.public().id(),
        };
        let signed = author.sign(Kind::DeviceBundle, signer, b"the changes".to_vec());
        let sealed = signed.seal(&server.public(), [9; 32]);
        assert!(!sealed.windows(11).any(|w| w == b"the changes"));
        let opened = open(&sealed, &[other.clone(), server.clone()], "server").expect("opens");
        assert_eq!(
            opened.verify(&author.public()).expect("signed"),
            b"the changes"
        );
        assert!(matches!(
            open(&sealed, &[other], "phone"),
            Err(SealError::NotForUs { .. })
        ));
        for i in [0usize, 8, 9, 20, HEADER_BYTES + 3, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert!(
                open(&bad, std::slice::from_ref(&server), "server").is_err(),
                "byte {i}"
            );
        }
        assert_eq!(
            open(
                &sealed[..sealed.len() - 5],
                std::slice::from_ref(&server),
                "server"
            ),
            Err(SealError::Damaged)
        );
        // Another key's signature under the same name is refused.
        assert!(matches!(
            opened.verify(&keys(4).public()),
            Err(SealError::BadSignature { .. })
        ));
        let mut forged = opened.clone();
        forged.payload = b"other changes".to_vec();
        assert!(forged.verify(&author.public()).is_err());
    }

    #[test]
    fn public_keys_read_back_from_text() {
        let p = keys(5).public();
        assert_eq!(PublicKeys::from_text(&p.to_text()).expect("reads"), p);
        assert_eq!(
            PublicKeys::from_text("hwkey1:00"),
            Err(SealError::BadKeyText)
        );
        assert_eq!(header(b"plain text"), Err(SealError::NotSealed));
    }
}
