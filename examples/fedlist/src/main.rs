//! Run with: `cargo run -p tiwire-example-fedlist`
//!
//! The federation check of a Messenger-Proxy (gemSpec_TI-Messenger-FD §5.2.1.2) as a vendor embeds it: the
//! proxy takes the signed federation list its Registrierungs-Dienst hands out, keeps it fresh, and admits an
//! inbound federation request only with a valid X-Matrix signature for our server from a listed domain. Every
//! refusal becomes the Matrix error JSON the peer gets.
#![allow(clippy::print_stdout)]

use rand_core::UnwrapErr;
use ruma_common::ServerName;
use tiwire_fedlist::xmatrix::{
    KeyId, KeyRing, PublishedKey, RequestHead, ServerSigningKey, Verification, XMatrix, XMatrixPolicy, authorize,
    sign_request,
};
use tiwire_fedlist::{DomainEntry, DomainForm, FederationList, FederationState, Limits, SignerTrust};
use tiwire_pki::path::TrustAnchors;
use tiwire_pki::testpki::{TestPki, TestPkiOptions};
use tiwire_pki::{CertType, KeyAlgorithm, RUST_CRYPTO};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The VZD signs the list on brainpoolP256r1 (here: a test PKI's C.FD.SIG with role oid_vzd_ti).
    let options = TestPkiOptions::new(KeyAlgorithm::EcBrainpoolP256r1).leaf_types(&[CertType::FdSig]);
    let pki = TestPki::build(&options, &mut UnwrapErr(getrandom::SysRng))?;
    let now = pki.now();
    let vzd_signer = pki.leaf(CertType::FdSig);
    let entries = ["tim.praxis-a.de", "tim.klinik-b.de"].map(DomainEntry::new).to_vec();
    let jws =
        FederationList::new(1650, DomainForm::Clear, entries)?.sign_jws(&vzd_signer.key, &pki.chain(vzd_signer))?;

    // The proxy: verify the list (GEM.KOMP-CA as anchor) and hold it; a 304 from the registry only confirms it.
    let trust = SignerTrust::Anchors(TrustAnchors::new(vec![pki.root().certificate.clone()]));
    let list = FederationList::from_jws(jws.as_bytes(), &trust, now, &Limits::default(), &RUST_CRYPTO)?;
    let mut federation = FederationState::new(tiwire_fedlist::DEFAULT_MAX_AGE);
    federation.offer(list, now, 0)?;
    println!(
        "federation list version {:?}, {} domains",
        federation.version(),
        federation.list().map_or(0, |l| l.len())
    );

    // A listed homeserver sends us a transaction; the daemon has fetched its key from /_matrix/key/v2/server.
    let ours = ServerName::parse("tim.praxis-a.de")?;
    let policy = XMatrixPolicy::new(ours.clone());
    let mut keys = KeyRing::new();
    let peer_key = |server: &str| -> Result<_, Box<dyn std::error::Error>> {
        let key = ServerSigningKey::from_seed(KeyId::parse("ed25519:auto")?, &[server.len() as u8; 32]);
        Ok((ServerName::parse(server)?, key))
    };
    let body = br#"{"origin":"tim.klinik-b.de","pdus":[],"edus":[]}"#;
    let head = RequestHead::new("PUT", "/_matrix/federation/v1/send/1700000000001").with_body(body);
    for (peer, listed_key) in [
        ("tim.klinik-b.de", true),
        ("spam.example.org", true),
        ("tim.klinik-b.de", false),
    ] {
        let (origin, key) = peer_key(peer)?;
        if listed_key {
            keys.insert(
                origin.clone(),
                key.key_id().clone(),
                PublishedKey::new(key.verify_key(), u64::MAX, now),
            );
        }
        // What arrives on the wire: the peer's Authorization header (a forger signs with another key).
        let signer = if listed_key {
            key
        } else {
            ServerSigningKey::from_seed(KeyId::parse("ed25519:auto")?, &[9; 32])
        };
        let header = sign_request(&head, &origin, &ours, &signer)?.to_string();
        let verdict = XMatrix::parse(&header).and_then(|x| authorize(&head, &x, &policy, &keys, &federation, now));
        match verdict {
            Ok(Verification::Verified(v)) => println!("{peer}: admitted (key {})", v.key_id().as_str()),
            Ok(Verification::NeedKeys(request)) => println!("{peer}: fetch key {} first", request.key_id().as_str()),
            Err(refusal) => {
                let reply = refusal.matrix_error();
                println!(
                    "{peer}: refused with {} {{\"errcode\":\"{}\",\"error\":\"{}\"}}",
                    reply.status, reply.errcode, reply.error
                );
            }
        }
    }

    // Three days without a confirmation from the registry: nobody is admitted until the list is confirmed.
    let later = now.plus(tiwire_fedlist::DEFAULT_MAX_AGE + 1);
    println!(
        "after 72 h without confirmation: {:?}",
        federation.check("tim.klinik-b.de", later)
    );
    Ok(())
}
