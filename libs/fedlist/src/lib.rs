//! # tiwire-fedlist
//!
//! TI-Messenger federation (gemSpec_TI-Messenger-FD §5.2.1.2, §5.2.2; gemSpec_VZD_FHIR_Directory §5.2.3),
//! sans I/O: the Messenger-Proxy admits federation traffic only between domains on the VZD's FederationList.
//!
//! - [`FederationList::from_jws`]: the signed list (`alg` BP256R1 or ES256, signer in `x5c`), verified with
//!   tiwire-pki against CA anchors or pinned signer certificates ([`SignerTrust`]) as a C.FD.SIG with role
//!   `oid_vzd_ti`; [`FederationList::from_json`]: the unsigned v1.0.2 list (hashed domains) and the registry's
//!   JSON. All three payload shapes ([`DomainForm`]) are read; limits on size and count ([`Limits`]).
//! - [`FederationList::contains`]: Matrix server name → listed? Port stripped, ASCII case folded, non-ASCII
//!   refused (IDNA A-labels only), O(1), no allocation.
//! - [`FederationState`]: the held list, versions only go up, [`Membership::Stale`] after 72 h without
//!   confirmation, distinct from [`Membership::NotListed`].
//! - [`xmatrix`]: the `Authorization: X-Matrix` check of inbound federation requests.
//! - [`parse_passport_certificates`]: the VZD's PASSporT signer certificates.
//!
//! Not here: fetching (tiwire-registry does it), OAuth2, persistence.
//!
//! ## Example
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use tiwire_fedlist::{DomainEntry, DomainForm, FederationList, FederationState, Limits, Membership, SignerTrust};
//! use tiwire_pki::testpki::{TestPki, TestPkiOptions};
//! use tiwire_pki::path::TrustAnchors;
//! use tiwire_pki::{CertType, KeyAlgorithm, RUST_CRYPTO};
//!
//! // The VZD's side: a brainpool test PKI with a C.FD.SIG (role oid_vzd_ti) signs a list.
//! let mut rng = tiwire_pki::rand_core::UnwrapErr(getrandom::SysRng);
//! let pki = TestPki::build(&TestPkiOptions::new(KeyAlgorithm::EcBrainpoolP256r1).leaf_types(&[CertType::FdSig]), &mut rng)?;
//! let signer = pki.leaf(CertType::FdSig);
//! let list = FederationList::new(7, DomainForm::Clear, vec![DomainEntry::new("tim.example.org")])?;
//! let jws = list.sign_jws(&signer.key, &pki.chain(signer))?;
//!
//! // The registry's and proxy's side.
//! let trust = SignerTrust::Anchors(TrustAnchors::new(vec![pki.root().certificate.clone()]));
//! let list = FederationList::from_jws(jws.as_bytes(), &trust, pki.now(), &Limits::default(), &RUST_CRYPTO)?;
//! let mut state = FederationState::new(tiwire_fedlist::DEFAULT_MAX_AGE);
//! state.offer(list, pki.now(), 0)?; // age 0: straight from the VZD; a registry's answer carries `Age`
//! assert_eq!(state.check("TIM.example.org:8448", pki.now()), Membership::Listed);
//! assert_eq!(state.check("evil.example.org", pki.now()), Membership::NotListed);
//! assert!(matches!(state.check("tim.example.org", pki.now().plus(73 * 3600)), Membership::Stale { .. }));
//! # Ok(())
//! # }
//! ```

mod certs;
mod error;
mod list;
mod name;
mod signed;
mod state;
pub mod xmatrix;

pub use certs::{
    MAX_PASSPORT_CERTIFICATES, MAX_PASSPORT_CERTIFICATES_LEN, parse_passport_certificates, passport_certificates_json,
};
pub use error::{ListError, Malformed, ServerNameError, Unsupported, Untrusted, VersionRegression};
pub use list::{DomainEntry, DomainForm, FederationList, Limits, domain_hash};
pub use signed::{MAX_X5C, Signer, SignerTrust};
pub use state::{DEFAULT_MAX_AGE, FederationState, MAX_CLOCK_SKEW, Membership, Offer};
