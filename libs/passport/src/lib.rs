//! # tiwire-passport
//!
//! RFC 8225 PASSporTs and the TI-Messenger invite profile (gemSpec_TI-Messenger-FD §5.2.1.3), sans I/O.
//!
//! - [`Passport::parse`]: JWS compact full form only, `typ` passport, `alg` ES256 only, `x5u` required,
//!   `ppt`/`crit` refused, strict unpadded canonical base64url, duplicate JSON members refused, integer
//!   `iat`, exactly one `orig`, one or more `dest`; unknown claims kept.
//! - [`Passport::certificate_url`] → the caller resolves the certificate (fetch or the Registrierungs-Dienst's
//!   copy) → [`Passport::verify`]: x5u policy, `iat` window, the chain as C.FD.SIG with role `oid_tim` at
//!   `now` and at `iat` (tiwire-pki), ES256 over the received signing input (64-byte r‖s only).
//!   Proxies validate a signer once ([`TrustedSigner`]) and call [`Passport::verify_with`] per token.
//! - [`VerifiedPassport::authorizes_invite`]: does it let inviter X invite Y?
//! - [`issue`]: canonical JSON (RFC 8225 §9), deterministic ECDSA (RFC 6979).
//!
//! Not here: fetching (the daemon does it), replay caches (key them on [`Passport::signing_input`], never
//! on the signature: ECDSA signatures are malleable, high-S variants verify as RFC 8225 allows).
//!
//! ## Example
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use ruma_common::UserId;
//! use tiwire_passport::{Claims, Header, Passport, VerifyPolicy, issue};
//! use tiwire_pki::testpki::{CertSpec, TestPki, TestPkiOptions};
//! use tiwire_pki::path::TrustAnchors;
//! use tiwire_pki::{CertType, KeyAlgorithm, RUST_CRYPTO, Role};
//!
//! // A P-256 test PKI and a C.FD.SIG with role oid_tim for the PASSporT-Service.
//! let mut rng = tiwire_pki::rand_core::UnwrapErr(getrandom::SysRng);
//! let pki = TestPki::build(&TestPkiOptions::new(KeyAlgorithm::EcP256).leaf_types(&[CertType::FdSig]), &mut rng)?;
//! let mut spec = CertSpec::typical(CertType::FdSig, pki.now(), "-");
//! (spec.profession, spec.telematik_id) = (Role::Tim.oid(), None);
//! let signer = pki.issue(&spec, &mut rng)?;
//!
//! // B's PASSporT-Service issues a token for A's invite to B.
//! let (a, b) = (UserId::parse("@a:tim.example.org")?, UserId::parse("@b:tim.example.org")?);
//! let header = Header { x5u: "https://tim.example.org/passport.pem".into(), extra: Default::default() };
//! let token = issue(&header, &Claims::ti_messenger(&a, &b, pki.now().as_secs()), &signer.key)?;
//!
//! // A's Messenger-Proxy checks it when A invites B.
//! let passport = Passport::parse(&token)?;
//! let _url = passport.certificate_url(&VerifyPolicy::default().x5u)?; // the daemon resolves this
//! let anchors = TrustAnchors::new(vec![pki.root().certificate.clone()]);
//! let verified = passport.verify(&pki.chain(&signer), &anchors, pki.now(), &VerifyPolicy::default(), &RUST_CRYPTO)?;
//! verified.authorizes_invite(&a, &b)?;
//! assert!(verified.authorizes_invite(&b, &a).is_err());
//! # Ok(())
//! # }
//! ```

mod error;
mod issue;
pub mod json;
mod matrix;
mod token;
mod verify;

pub use error::{CertificateProblem, Malformed, Part, PartyMismatch, PassportError, Unsupported, excerpt};
pub use issue::{IssueError, issue};
pub use matrix::{matrix_uri, user_from_matrix_uri};
pub use token::{Claims, CompactJws, Header, Identity, MAX_DEST, MAX_IDENTITY_LEN, MAX_TOKEN_LEN, Passport};
pub use verify::{DEFAULT_MAX_AGE, DEFAULT_MAX_FUTURE, TrustedSigner, VerifiedPassport, VerifyPolicy, X5uPolicy};
