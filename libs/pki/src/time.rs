//! Time as the libraries take it: seconds since the Unix epoch, passed in by the caller.

use core::fmt;
use core::time::Duration;

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z. Libraries never read a clock: callers
/// pass `now` in (ARCHITECTURE.md rule 1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(u64);

impl UnixTime {
    /// From seconds since the epoch.
    pub const fn from_secs(secs: u64) -> Self {
        UnixTime(secs)
    }

    /// Seconds since the epoch.
    pub const fn as_secs(self) -> u64 {
        self.0
    }

    /// `self + secs`, saturating.
    pub const fn plus(self, secs: u64) -> Self {
        UnixTime(self.0.saturating_add(secs))
    }

    /// `self - secs`, saturating at the epoch.
    pub const fn minus(self, secs: u64) -> Self {
        UnixTime(self.0.saturating_sub(secs))
    }

    /// Reads an ASN.1 time.
    pub fn from_x509(time: &x509_cert::time::Time) -> Self {
        UnixTime(time.to_unix_duration().as_secs())
    }

    /// As a DER `GeneralizedTime` (for encoding OCSP messages).
    pub fn to_generalized_time(self) -> Result<der::asn1::GeneralizedTime, der::Error> {
        der::asn1::GeneralizedTime::from_unix_duration(Duration::from_secs(self.0))
    }

    /// As an X.509 `Time` (UTCTime until 2049, GeneralizedTime after, RFC 5280 §4.1.2.5).
    pub fn to_x509(self) -> Result<x509_cert::time::Time, der::Error> {
        let dt = der::DateTime::from_unix_duration(Duration::from_secs(self.0))?;
        if dt.year() < 2050 {
            Ok(x509_cert::time::Time::UtcTime(der::asn1::UtcTime::from_date_time(dt)?))
        } else {
            Ok(x509_cert::time::Time::GeneralTime(
                der::asn1::GeneralizedTime::from_date_time(dt),
            ))
        }
    }
}

impl From<der::asn1::GeneralizedTime> for UnixTime {
    fn from(t: der::asn1::GeneralizedTime) -> Self {
        UnixTime(t.to_unix_duration().as_secs())
    }
}

/// RFC 3339 in UTC, e.g. `2023-01-25T10:43:56Z`.
impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match der::DateTime::from_unix_duration(Duration::from_secs(self.0)) {
            Ok(dt) => write!(f, "{dt}"),
            Err(_) => write!(f, "@{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Every second from 1970 to 9999 survives GeneralizedTime and X.509 Time (UTCTime before 2050).
        #[test]
        fn der_time_round_trips(secs in 0u64..253_402_300_799) {
            let t = UnixTime::from_secs(secs);
            prop_assert_eq!(UnixTime::from(t.to_generalized_time().unwrap()), t);
            let x509 = t.to_x509().unwrap();
            prop_assert_eq!(matches!(x509, x509_cert::time::Time::UtcTime(_)), secs < 2_524_608_000);
            prop_assert_eq!(UnixTime::from_x509(&x509), t);
        }
    }

    #[test]
    fn displays_rfc3339() {
        assert_eq!(UnixTime::from_secs(1_674_643_436).to_string(), "2023-01-25T10:43:56Z");
        assert_eq!(UnixTime::from_secs(0).to_string(), "1970-01-01T00:00:00Z");
    }
}
