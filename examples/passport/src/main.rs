//! Run with: `cargo run -p tiwire-example-passport`
//!
//! The TI-Messenger invite check (gemSpec_TI-Messenger-FD §5.2.1.3) as two vendors embed it: Bob's
//! PASSporT-Service issues a token that lets Alice invite Bob; Alice's Messenger-Proxy validates the
//! PASSporT-Service's certificate once (as distributed by the Registrierungs-Dienst) and checks each invite.
#![allow(clippy::print_stdout)]

use rand_core::UnwrapErr;
use ruma_common::UserId;
use tiwire_passport::{Claims, Header, Passport, TrustedSigner, VerifyPolicy, X5uPolicy, issue};
use tiwire_pki::path::TrustAnchors;
use tiwire_pki::testpki::{TestPki, TestPkiOptions};
use tiwire_pki::{CertType, KeyAlgorithm, RUST_CRYPTO};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The TI component PKI (here: a test PKI on P-256, as ES256 needs).
    let options = TestPkiOptions::new(KeyAlgorithm::EcP256).leaf_types(&[CertType::FdSig]);
    let pki = TestPki::build(&options, &mut UnwrapErr(getrandom::SysRng))?;
    let service = pki.passport_signer().ok_or("the test PKI has a PASSporT signer")?;
    let now = pki.now();

    // Bob's PASSporT-Service: orig = the inviter (Alice), dest = Bob.
    let alice = UserId::parse("@alice:praxis.tim.example.de")?;
    let bob = UserId::parse("@bob:klinik.tim.example.de")?;
    let header = Header {
        x5u: "https://klinik.tim.example.de/passport.pem".into(),
        extra: Default::default(),
    };
    let token = issue(
        &header,
        &Claims::ti_messenger(&alice, &bob, now.as_secs()),
        &service.key,
    )?;
    println!("issued: {}…", &token[..60]);

    // Alice's Messenger-Proxy: the x5u must be acceptable before it is looked up …
    let policy = VerifyPolicy {
        x5u: X5uPolicy::hosts(&["tim.example.de"]),
        ..VerifyPolicy::default()
    };
    let passport = Passport::parse(&token)?;
    let url = passport.certificate_url(&policy.x5u)?;
    println!("certificate needed from {url}");
    // … the certificate is validated once and kept …
    let anchors = TrustAnchors::new(vec![pki.root().certificate.clone()]);
    let signer = TrustedSigner::validate(&pki.chain(service), &anchors, now, &RUST_CRYPTO)?;
    // … and every invite costs one ES256 verification.
    let verified = passport.verify_with(&signer, now, &policy, &RUST_CRYPTO)?;
    println!("Alice may invite Bob:   {:?}", verified.authorizes_invite(&alice, &bob));
    println!(
        "Bob may invite Alice:   {:?}",
        verified.authorizes_invite(&bob, &alice).map_err(|e| e.to_string())
    );
    let later = Passport::parse(&token)?.verify_with(&signer, now.plus(3600), &policy, &RUST_CRYPTO);
    println!(
        "an hour later:          {:?}",
        later.map(|_| ()).map_err(|e| e.to_string())
    );
    Ok(())
}
