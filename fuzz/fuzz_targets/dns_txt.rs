//! `txtvers=1` TXT RDATA from untrusted name servers (a Konnektor reads it off the Internet, TUC_VPN-ZD_0001):
//! parse the wire form; nothing may panic. What parses must write back to RDATA that parses to the same record
//! and writes the same bytes again, the same through hickory's TXT and the character-string list, and the
//! Konnektor's reading of a one-record RRset must give the record's values for its role and refuse the other.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiwire_dns::{Role, ServiceZoneTxt, SisServiceZone, TiServiceZone, TxtError};

fuzz_target!(|data: &[u8]| {
    let Ok(record) = ServiceZoneTxt::from_wire(data) else {
        return;
    };
    let wire = record.to_wire();
    assert!(wire.len() <= tiwire_dns::MAX_RDATA_LEN);
    let again = ServiceZoneTxt::from_wire(&wire).expect("our own RDATA parses");
    assert_eq!(again, record);
    assert_eq!(again.to_wire(), wire);
    let rdata = record.to_rdata();
    assert_eq!(ServiceZoneTxt::from_rdata(&rdata).expect("our own TXT parses"), record);
    assert_eq!(
        ServiceZoneTxt::from_strings(&record.to_strings()).expect("our own strings parse"),
        record
    );
    assert!(record.nameservers().len() >= tiwire_dns::MIN_NAMESERVERS);

    match record.role() {
        Role::Ti => {
            let zone = TiServiceZone::from_rrset([&rdata]).expect("a TI record configures TI");
            assert_eq!(zone.dns_servers_ti(), record.nameservers());
            assert_eq!(zone.domain_srvzone_ti(), record.domain());
            assert!(matches!(
                SisServiceZone::from_rrset([&rdata]),
                Err(TxtError::WrongRole { .. })
            ));
        }
        Role::Sis => {
            let zone = SisServiceZone::from_rrset([&rdata]).expect("a SIS record configures SIS");
            assert_eq!(zone.dns_servers_sis(), record.nameservers());
            assert_eq!(zone.domain_srvzone_sis(), record.domain());
            assert!(matches!(
                TiServiceZone::from_rrset([&rdata]),
                Err(TxtError::WrongRole { .. })
            ));
        }
    }
});
