//! The TI-Messenger profile (gemSpec_TI-Messenger-FD §5.2.1.3): `orig` is the inviter and `dest` the
//! invitee, both as `matrix:u/<localpart>:<server>` URIs (the Matrix URI scheme).

use ruma_common::{OwnedUserId, UserId};

use crate::error::{Malformed, PartyMismatch};
use crate::token::{Claims, Identity};
use crate::verify::VerifiedPassport;

const PREFIX: &str = "matrix:u/";

/// `@me:example.org` → `matrix:u/me:example.org`. Characters outside RFC 3986 `unreserved`, sub-delims,
/// `:` and `@` (notably `/`) are percent-encoded.
pub fn matrix_uri(user: &UserId) -> String {
    let mut out = String::from(PREFIX);
    for b in user.localpart().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push(':');
    out.push_str(user.server_name().as_str());
    out
}

/// `matrix:u/me:example.org` → `@me:example.org`. Query and fragment parts are refused.
pub fn user_from_matrix_uri(uri: &str) -> Result<OwnedUserId, Malformed> {
    let bad = Malformed::Identity("matrix uri");
    let rest = uri.strip_prefix(PREFIX).ok_or(bad.clone())?;
    if rest.contains(['?', '#', '/']) {
        return Err(bad);
    }
    let (local, server) = rest.split_once(':').ok_or(bad.clone())?;
    let local = percent_decode(local).ok_or(bad.clone())?;
    UserId::parse(format!("@{local}:{server}")).map_err(|_| bad)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = core::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

impl Claims {
    /// The TI-M claims for an invite from `inviter` to `invitee` at `iat`.
    pub fn ti_messenger(inviter: &UserId, invitee: &UserId, iat: u64) -> Self {
        Claims {
            iat,
            orig: Identity::Uri(matrix_uri(inviter)),
            dest: vec![Identity::Uri(matrix_uri(invitee))],
            extra: Default::default(),
        }
    }
}

impl VerifiedPassport {
    /// Does this PASSporT authorize `inviter` to invite `invitee`? (`orig` is the inviter, some `dest` URI
    /// is the invitee; identities are compared as parsed MXIDs, not as strings.)
    pub fn authorizes_invite(&self, inviter: &UserId, invitee: &UserId) -> Result<(), PartyMismatch> {
        let claims = self.claims();
        let Identity::Uri(orig) = &claims.orig else {
            return Err(PartyMismatch::OrigNotMatrixUser);
        };
        let orig = user_from_matrix_uri(orig).map_err(|_| PartyMismatch::OrigNotMatrixUser)?;
        if orig != inviter {
            return Err(PartyMismatch::NotTheInviter);
        }
        let names_invitee = claims.dest.iter().any(|d| match d {
            Identity::Uri(u) => user_from_matrix_uri(u).is_ok_and(|u| u == invitee),
            Identity::Tn(_) => false,
        });
        if names_invitee {
            Ok(())
        } else {
            Err(PartyMismatch::NotTheInvitee)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mxid_and_matrix_uri_round_trip() {
        for mxid in [
            "@me:example.org",
            "@a.b_c=d-e/f+g:tim.example.de:8448",
            "@x:[::1]:443",
            "@x:127.0.0.1",
        ] {
            let user = UserId::parse(mxid).unwrap();
            let uri = matrix_uri(&user);
            assert_eq!(user_from_matrix_uri(&uri).unwrap(), user, "{uri}");
        }
        assert_eq!(
            matrix_uri(&UserId::parse("@a/b:x.org").unwrap()),
            "matrix:u/a%2Fb:x.org"
        );
        for bad in [
            "matrix:r/room:x.org",
            "matrix:u/me",
            "matrix:u/me:x.org?action=chat",
            "mxc:u/me:x.org",
            "matrix:u/%zz:x",
        ] {
            assert!(user_from_matrix_uri(bad).is_err(), "{bad}");
        }
    }
}
