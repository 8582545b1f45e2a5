//! Federation lists as JSON from the VZD or our registry (all three shapes): parse; nothing may panic. What
//! parses must write its payload back to JSON that parses to the same list with nothing left to skip, must
//! rebuild from its own entries, must hold its counts together, and must answer `contains` for its own
//! entries (clear lists) or by the hashes it holds (hashed lists). Every `domainList` entry is listed or skipped.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use tiwire_fedlist::{DomainForm, FederationList, Limits, ServerNameError, domain_hash};
use tiwire_passport::CompactJws;

const LIMITS: Limits = Limits {
    max_bytes: 1 << 20,
    max_domains: 10_000,
};

/// Names to look up in every list: valid ones (with port and case variants) and invalid ones.
const PROBES: &[&str] = &[
    "tim.example.org",
    "TIM.Example.ORG:8448",
    "one-bob.ujumbelabs.com",
    "[::1]:443",
    "1.2.3.4",
    "",
    "a b.de",
    "tim.exämple.org",
    "a.de:99999",
];

/// The host of `name` as the list compares it (lower case, port stripped), or `None` where the name is no
/// plain `host[:port]` this target can cut up on its own (the library's grammar decides those).
fn plain_host(name: &str) -> Option<String> {
    let host = match name.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => host,
        Some(_) => return None,
        None => name,
    };
    // One trailing dot names the same host (`a.de.` is `a.de`).
    let host = host.strip_suffix('.').unwrap_or(host);
    host.is_ascii().then(|| host.to_ascii_lowercase())
}

/// How many `domainList` entries the document has, read by a second JSON parser (the strict one behind
/// tiwire-passport's JWS header, reached by posing the document as a header); `None` where that parser refuses
/// it (e.g. a member repeated in an entry, which serde ignores for unknown members).
fn domain_list_len(document: &[u8]) -> Option<usize> {
    const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut token = String::with_capacity(document.len().div_ceil(3) * 4 + 5);
    for chunk in document.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            token.push(char::from(URL[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    token.push_str(".e30.");
    let jws = CompactJws::parse_limited(&token, usize::MAX).ok()?;
    jws.header().get("domainList")?.as_array().map(Vec::len)
}

fn check_lookups(list: &FederationList, names: &[&str]) {
    for name in names {
        let found = list.lookup(name);
        assert_eq!(list.contains(name), found == Ok(true));
        if !name.is_ascii() {
            assert_eq!(found, Err(ServerNameError::NotAscii));
        }
        let (Ok(found), Some(host)) = (found, plain_host(name)) else {
            continue;
        };
        let expected = match list.form() {
            DomainForm::Clear => list.entries().iter().any(|e| e.domain == host),
            _ => {
                let hash = domain_hash(&host);
                list.entries().iter().any(|e| e.domain == hash)
            }
        };
        assert_eq!(found, expected, "lookup disagrees with the entries");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(list) = FederationList::from_json(data, &LIMITS) else {
        return;
    };
    assert!(data.len() <= LIMITS.max_bytes);
    let entries = list.entries();
    assert!(entries.len() <= LIMITS.max_domains);
    match list.form() {
        DomainForm::Clear => {
            // Invalid and repeated clear domains are left out of the entries and counted as skipped.
            assert_eq!(list.len(), entries.len());
            let mut seen = HashSet::with_capacity(entries.len());
            for entry in entries {
                assert!(seen.insert(entry.domain.as_str()), "repeated clear domain kept");
                assert!(entry.domain.is_ascii() && !entry.domain.bytes().any(|b| b.is_ascii_uppercase()));
                assert_eq!(list.lookup(&entry.domain), Ok(true), "a listed domain is not found");
                assert!(list.contains(&entry.domain.to_ascii_uppercase()));
                let with_port = format!("{}:8448", entry.domain);
                assert!(matches!(
                    list.lookup(&with_port),
                    Ok(true) | Err(ServerNameError::Invalid)
                ));
            }
        }
        DomainForm::HashStrings | DomainForm::HashObjects => {
            // Hashed entries are all kept (repeats too); repeats count as skipped.
            assert_eq!(list.len() + list.skipped(), entries.len());
            for entry in entries {
                assert_eq!(entry.domain.len(), 64);
                assert!(entry.domain.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
            }
            if list.form() == DomainForm::HashStrings {
                assert!(
                    entries
                        .iter()
                        .all(|e| e.telematik_id.is_none() && e.ik.is_empty() && !e.is_insurance)
                );
            } else {
                assert!(!entries.is_empty(), "an empty hashed list reads as v1.0.2 strings");
            }
        }
        _ => unreachable!("a new DomainForm needs its invariants here"),
    }
    assert_eq!(list.is_empty(), list.len() == 0);
    // Every domainList entry is either listed or skipped (invalid, or a repeat).
    if let Some(count) = domain_list_len(data) {
        assert_eq!(list.len() + list.skipped(), count, "entries neither listed nor skipped");
    }
    assert!(list.signer().is_none());

    // Our own payload: parses back to the same list (version, form, entries); re-serializing is stable. Written
    // JSON may be longer than the input (defaults written out), so the byte limit is lifted for the re-read.
    let written = list.to_payload_json();
    let relaxed = Limits {
        max_bytes: usize::MAX,
        ..LIMITS
    };
    let again = FederationList::from_json(&written, &relaxed).expect("our own payload parses");
    assert_eq!(again, list);
    assert_eq!(again.len(), list.len());
    let expected_skipped = if list.form().is_hashed() { list.skipped() } else { 0 };
    assert_eq!(
        again.skipped(),
        expected_skipped,
        "clear entries of our own payload were skipped"
    );
    assert_eq!(again.to_payload_json(), written);

    // The entries rebuild the same list.
    let rebuilt = FederationList::new(list.version(), list.form(), entries.to_vec()).expect("own entries rebuild");
    assert_eq!(rebuilt, list);
    assert_eq!(rebuilt.skipped(), expected_skipped);

    // Lookups: fixed probes, the first entry, and names cut from the input; none may panic.
    check_lookups(&list, PROBES);
    if let Some(first) = entries.first() {
        check_lookups(&list, &[first.domain.as_str()]);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let cut: Vec<&str> = text.split(['"', ',', ' ', '\n']).take(64).collect();
        check_lookups(&list, &cut);
    }
});
