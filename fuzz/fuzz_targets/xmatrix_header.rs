//! X-Matrix `Authorization` header values from untrusted servers: parse; nothing may panic. What parses must
//! write back (our canonical form) to a value that parses to the same header and writes the same text again, and
//! a request re-signed for its origin and destination must verify at that destination.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiwire_fedlist::xmatrix::{
    KeyRing, MAX_HEADER_LEN, PublishedKey, RequestHead, ServerSigningKey, Verification, XMatrix, XMatrixPolicy,
    sign_request, verify_request,
};
use tiwire_pki::UnixTime;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = std::str::from_utf8(data) else { return };
    let Ok(header) = XMatrix::parse(value) else { return };
    let written = header.to_string();
    assert!(written.len() <= MAX_HEADER_LEN);
    let again = XMatrix::parse(&written).expect("our own header parses");
    assert_eq!(again, header);
    assert_eq!(again.to_string(), written);

    let now = UnixTime::from_secs(1_767_225_600);
    let key = ServerSigningKey::from_seed(header.key_id().clone(), &[0x5a; 32]);
    let head = RequestHead::new("PUT", "/_matrix/federation/v1/send/1").with_body(br#"{"pdus":[]}"#);
    let signed = sign_request(&head, header.origin(), header.destination(), &key).expect("a JSON body signs");
    let mut keys = KeyRing::new();
    keys.insert(
        header.origin().to_owned(),
        key.key_id().clone(),
        PublishedKey::new(key.verify_key(), u64::MAX, now),
    );
    let policy = XMatrixPolicy::new(header.destination().to_owned());
    let verdict = verify_request(
        &head,
        &XMatrix::parse(&signed.to_string()).expect("signed header parses"),
        &policy,
        &keys,
        now,
    );
    assert!(matches!(verdict, Ok(Verification::Verified(_))), "{verdict:?}");
});
