//! Certificates (DER or PEM bundles) from untrusted peers: parse, and what parses must re-parse to the same
//! value from its own DER, expose every accessor without panicking and keep its signed part inside it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiwire_pki::Certificate;

fuzz_target!(|data: &[u8]| {
    let Ok(certs) = Certificate::parse_any(data) else { return };
    assert!(!certs.is_empty() && certs.len() <= tiwire_pki::MAX_PEM_CERTS);
    for cert in certs {
        let again = Certificate::from_der(cert.der()).expect("a parsed certificate re-parses from its DER");
        assert_eq!(again, cert);
        let tbs = cert.tbs_der();
        assert!(!tbs.is_empty() && tbs.len() < cert.der().len());
        assert!(cert.der().windows(tbs.len()).any(|w| w == tbs));
        let _ = (cert.public_key(), cert.signature_algorithm(), cert.cert_types(), cert.roles());
        let _ = (cert.telematik_id(), cert.key_usage_names(), cert.fingerprint_display(), cert.serial_hex());
        let _ = (cert.not_before().to_string(), cert.not_after().to_string(), cert.subject().to_string());
        assert_eq!(Certificate::from_pem(&cert.to_pem()).expect("PEM round trip"), cert);
    }
});
