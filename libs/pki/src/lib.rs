//! # tiwire-pki
//!
//! The Telematikinfrastruktur's certificate layer, sans I/O.
//!
//! - [`Certificate`]: X.509 v3 parsing (DER and PEM) with what TI rules need: the certificate type OID
//!   ([`CertType`]), role and institution OIDs and the Telematik-ID from the Admission extension, key usage,
//!   policies, OCSP URLs, fingerprints.
//! - [`path`]: certificate path validation against configured trust anchors at a given `now`, with typed
//!   errors saying which rule failed and a report listing every rule.
//! - [`ocsp`]: RFC 6960 requests and verified responses. The caller does the HTTP.
//! - [`CryptoProvider`]: signature verification behind one trait; [`RustCrypto`] (P-256, brainpoolP256r1,
//!   RSA PKCS#1 v1.5 and PSS, all with SHA-256) is the default; feature `aws-lc-rs` adds `AwsLc` for P-256
//!   and RSA.
//! - [`PrivateKey`]: generate, read, write and sign, for issuers (PASSporT, OCSP responders, tests).
//! - feature `test-pki`: a realistic TI test PKI in memory and an OCSP responder function.
//!
//! What it does not do: fetch anything (no sockets, files or clock: `now` and fetched bytes are arguments),
//! CRLs (the TI uses OCSP), name constraints or policy mapping (a path with such a critical extension is
//! refused rather than half-checked).
//!
//! ## Example
//!
//! ```
//! # #[cfg(feature = "test-pki")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use tiwire_pki::path::{TrustAnchors, ValidationPolicy};
//! use tiwire_pki::testpki::{TestPki, TestPkiOptions};
//! use tiwire_pki::{CertType, KeyAlgorithm, RUST_CRYPTO, UnixTime};
//!
//! // A test PKI on brainpoolP256r1: root, CAs, one leaf of every TI type. Randomness is passed in.
//! let mut rng = tiwire_pki::rand_core::UnwrapErr(getrandom::SysRng);
//! let pki = TestPki::build(&TestPkiOptions::new(KeyAlgorithm::EcBrainpoolP256r1), &mut rng)?;
//! let now = pki.now();
//! let leaf = pki.leaf(CertType::NkVpn).certificate.clone();
//! let chain = [leaf, pki.component_ca().certificate.clone()];
//!
//! let anchors = TrustAnchors::new(vec![pki.root().certificate.clone()]);
//! let policy = ValidationPolicy::for_type(CertType::NkVpn);
//! let valid = anchors.validate(&chain, now, &policy, &RUST_CRYPTO)?;
//! assert_eq!(valid.end_entity().cert_types(), vec![CertType::NkVpn]);
//!
//! // The same chain ten years later: expired, and the error says where.
//! let later = UnixTime::from_secs(now.as_secs() + 10 * 365 * 86_400);
//! assert!(anchors.validate(&chain, later, &policy, &RUST_CRYPTO).is_err());
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "test-pki"))]
//! # fn main() {}
//! ```

mod admission;
#[cfg(feature = "aws-lc-rs")]
mod aws_lc;
mod cert;
pub mod crypto;
mod error;
mod key;
pub mod ocsp;
pub mod oid;
pub mod path;
#[cfg(feature = "test-pki")]
pub mod testpki;
mod time;

pub use admission::{Admission, ProfessionInfo};
#[cfg(feature = "aws-lc-rs")]
pub use aws_lc::{AWS_LC, AwsLc};
pub use cert::{Certificate, MAX_CERT_LEN, MAX_EXTENSIONS, MAX_PEM_CERTS, key_usage_name};
pub use crypto::{CryptoProvider, KeyAlgorithm, PublicKeyRef, RUST_CRYPTO, RustCrypto, SignatureAlgorithm};
pub use error::{KeyError, OcspError, ParseError, PathError, SignatureError, TypeList};
pub use key::{PrivateKey, RSA_GENERATED_BITS, Zeroizing};
pub use oid::{CertType, Institution, Role, SiteType};
pub use time::UnixTime;

/// The `rand_core` this crate's APIs take generators of.
pub use rand_core;
/// `KeyUsages` flags, as [`Certificate::has_key_usage`] takes them.
pub use x509_cert::ext::pkix::KeyUsages;
