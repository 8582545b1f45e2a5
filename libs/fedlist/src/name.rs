//! Matrix server names as the federation check needs them: validated with ruma's grammar, port stripped,
//! ASCII lower case, written into a stack buffer so the hot path allocates nothing.

use ruma_common::ServerName;

use crate::error::ServerNameError;

/// Longest host part of a Matrix server name (a DNS name of 255 bytes; IPv6 literals are shorter).
const MAX_HOST: usize = 255;

/// The normalized host of a server name, on the stack.
pub(crate) struct Host {
    buf: [u8; MAX_HOST],
    len: usize,
    port: bool,
}

impl Host {
    /// Validates `server_name` (`host[:port]`) and keeps its host in lower case, without the one trailing
    /// dot of an absolute DNS name (`a.de.` is the host `a.de`; whoever controls one controls the other).
    /// Non-ASCII input is refused with its own error before the grammar check: internationalized names must
    /// come as A-labels.
    pub(crate) fn parse(server_name: &str) -> Result<Host, ServerNameError> {
        if !server_name.is_ascii() {
            return Err(ServerNameError::NotAscii);
        }
        let name = <&ServerName>::try_from(server_name).map_err(|_| ServerNameError::Invalid)?;
        let host = name.host();
        let port = host.len() != server_name.len();
        let host = match host.strip_suffix('.') {
            Some(stripped) if !stripped.is_empty() && !stripped.ends_with('.') && !host.starts_with('[') => stripped,
            Some(_) => return Err(ServerNameError::Invalid),
            None => host,
        }
        .as_bytes();
        let mut buf = [0u8; MAX_HOST];
        let slot = buf.get_mut(..host.len()).ok_or(ServerNameError::Invalid)?;
        slot.copy_from_slice(host);
        slot.make_ascii_lowercase();
        Ok(Host {
            buf,
            len: host.len(),
            port,
        })
    }

    /// Whether the name carried a port.
    pub(crate) fn had_port(&self) -> bool {
        self.port
    }

    /// The host, lower case, without port.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII bytes were copied in, so this never fails; the empty fallback cannot match any entry.
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_lower_case_without_port() {
        let host = |s: &str| Host::parse(s).map(|h| h.as_str().to_owned());
        assert_eq!(host("Tim.Example.ORG:8448"), Ok("tim.example.org".into()));
        assert_eq!(host("tim.example.org"), Ok("tim.example.org".into()));
        assert!(Host::parse("a.de:8448").unwrap().had_port() && !Host::parse("a.de").unwrap().had_port());
        assert_eq!(host("[::1]:443"), Ok("[::1]".into()));
        assert_eq!(host("1.2.3.4"), Ok("1.2.3.4".into()));
        assert_eq!(host("xn--mnchen-3ya.de"), Ok("xn--mnchen-3ya.de".into()));
        assert_eq!(host("Tim.Example.org.:8448"), Ok("tim.example.org".into()));
        assert_eq!(host("tim.example.org.."), Err(ServerNameError::Invalid));
        assert_eq!(host("."), Err(ServerNameError::Invalid));
        assert_eq!(host("münchen.de"), Err(ServerNameError::NotAscii));
        assert_eq!(host(""), Err(ServerNameError::Invalid));
        assert_eq!(host("a b.de"), Err(ServerNameError::Invalid));
        assert_eq!(host("a.de:99999"), Err(ServerNameError::Invalid));
        assert_eq!(host("a.de:"), Err(ServerNameError::Invalid));
        assert_eq!(host(&"a".repeat(256)), Err(ServerNameError::Invalid));
        assert!(host(&"a".repeat(255)).is_ok());
    }
}
