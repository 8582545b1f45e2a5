//! Signed federation lists (compact JWS) from the VZD, checked against one pinned signer; nothing may panic.
//! What verifies must name the pinned signer, and its payload segment must read as JSON to the same list.
//! Inputs starting with `{` are taken as a payload instead and signed here by the pinned signer, so the fuzzer
//! reaches past the signature: the JWS must then read exactly as the payload does with `from_json`.
#![no_main]

use std::convert::Infallible;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tiwire_fedlist::{FederationList, Limits, ListError, Malformed, SignerTrust};
use tiwire_pki::rand_core::{TryCryptoRng, TryRng};
use tiwire_pki::testpki::{Issued, TestPki, TestPkiOptions};
use tiwire_pki::{CertType, KeyAlgorithm, RUST_CRYPTO, SignatureAlgorithm};

const LIMITS: Limits = Limits {
    max_bytes: 1 << 20,
    max_domains: 10_000,
};

/// SplitMix64 from a fixed seed: the same signer certificate in every run, so crashes replay. Not a CSPRNG;
/// it only makes test keys.
struct FixedRng(u64);

impl TryRng for FixedRng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Ok(z ^ (z >> 31))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let word = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        Ok(())
    }
}

impl TryCryptoRng for FixedRng {}

struct Fixture {
    pki: TestPki,
    signer: Issued,
    trust: SignerTrust,
    /// `BASE64URL({"alg":"BP256R1","x5c":[…],"typ":"JWT"})`.
    header_b64: String,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut rng = FixedRng(0x7469_7769_7265_2d66); // "tiwire-f"
        let options = TestPkiOptions::new(KeyAlgorithm::EcBrainpoolP256r1).leaf_types(&[CertType::FdSig]);
        let pki = TestPki::build(&options, &mut rng).expect("test PKI");
        let signer = pki.leaf(CertType::FdSig).clone();
        let trust = SignerTrust::Pinned(vec![signer.certificate.clone()]);
        let x5c: Vec<String> = pki
            .chain(&signer)
            .iter()
            .map(|c| format!("\"{}\"", encode(c.der(), STANDARD, true)))
            .collect();
        let header = format!(r#"{{"alg":"BP256R1","x5c":[{}],"typ":"JWT"}}"#, x5c.join(","));
        let header_b64 = encode(header.as_bytes(), URL, false);
        Fixture {
            pki,
            signer,
            trust,
            header_b64,
        }
    })
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64 of `bytes` in `alphabet`, padded or not: written here so the target does not share the codec it checks.
fn encode(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(char::from(alphabet[(n >> (18 - 6 * i) & 63) as usize]));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// Unpadded base64url; `None` on a foreign character or an impossible length (trailing bits are not checked:
/// only used on segments the library already accepted).
fn decode_url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = URL.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (text.len() % 4 != 1).then_some(out)
}

fn signed(payload: &[u8]) -> String {
    let f = fixture();
    let signing_input = format!("{}.{}", f.header_b64, encode(payload, URL, false));
    let signature = f
        .signer
        .key
        .sign_deterministic(SignatureAlgorithm::EcdsaSha256Fixed, signing_input.as_bytes())
        .expect("brainpool key signs");
    format!("{signing_input}.{}", encode(&signature, URL, false))
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let now = f.pki.now();
    if data.first() == Some(&b'{') {
        // A payload: signed by the pinned signer, the JWS must read exactly as the JSON does.
        let jws = signed(data);
        let via_jws = FederationList::from_jws(jws.as_bytes(), &f.trust, now, &LIMITS, &RUST_CRYPTO);
        if jws.len() > LIMITS.max_bytes {
            assert!(matches!(via_jws, Err(ListError::Malformed(Malformed::TooBig { .. }))));
            return;
        }
        let via_json = FederationList::from_json(data, &LIMITS);
        assert_eq!(via_jws, via_json, "the signed list reads unlike its payload");
        if let Ok(list) = via_jws {
            let signer = list.signer().expect("a verified list names its signer");
            assert_eq!(signer.certificate, f.signer.certificate);
            assert_eq!(signer.algorithm, "BP256R1");
        }
        return;
    }

    // Any document: what verifies was signed by the pinned signer, over a payload that reads the same as JSON.
    let Ok(list) = FederationList::from_jws(data, &f.trust, now, &LIMITS, &RUST_CRYPTO) else {
        return;
    };
    let signer = list.signer().expect("a verified list names its signer");
    assert_eq!(
        signer.certificate, f.signer.certificate,
        "verified under another signer than the pinned one"
    );
    assert_eq!(signer.algorithm, "BP256R1");
    let text = std::str::from_utf8(data).expect("a verified JWS is UTF-8").trim_ascii();
    let segments: Vec<&str> = text.split('.').collect();
    assert_eq!(segments.len(), 3, "a verified JWS has three segments");
    assert_eq!(segments[2].len(), 86, "a verified signature is 64 bytes");
    let payload = decode_url(segments[1]).expect("the payload segment is base64url");
    let relaxed = Limits {
        max_bytes: usize::MAX,
        ..LIMITS
    };
    let again = FederationList::from_json(&payload, &relaxed).expect("a verified payload reads as JSON");
    assert_eq!(again, list);
    assert_eq!(again.skipped(), list.skipped());
});
