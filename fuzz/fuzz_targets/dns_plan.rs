//! Provider zone plans (TOML written by operators, possibly generated): parse and validate; nothing may panic.
//! A valid plan's zones must be stable (the same plan gives the same zone file twice), every zone file must be
//! read back by hickory's zone parser to the same RRsets, and every concentrator's TXT record must parse back to
//! itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiwire_dns::hickory_proto::serialize::txt::Parser;
use tiwire_dns::{PlanPolicy, ServiceZoneTxt, ZonePlan};

fuzz_target!(|data: &[u8]| {
    if data.len() > 64 * 1024 {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The lab policy too, so that smaller mutated plans reach the zone writer.
    let policies = [
        PlanPolicy::default(),
        PlanPolicy::default()
            .with_min_internet_nameservers(1)
            .without_ipv6_requirement(),
    ];
    for policy in &policies {
        let Ok(plan) = ZonePlan::from_toml(text, policy) else {
            continue;
        };
        let again = ZonePlan::from_toml(text, policy).expect("a valid plan stays valid");
        assert_eq!(again, plan);
        for zone in plan.zones() {
            let file = zone.to_zone_file();
            assert_eq!(again.zone(zone.origin()).expect("same zones").to_zone_file(), file);
            let (origin, rrsets) = Parser::new(file.as_str(), None, None)
                .parse()
                .expect("hickory reads our zone file");
            assert_eq!(&origin, zone.origin());
            assert_eq!(rrsets.len(), zone.as_map().len());
            for (key, set) in zone.as_map() {
                let read = rrsets.get(key).expect("same owner names and types");
                assert_eq!(read.ttl(), set.ttl());
                assert!(read.records_without_rrsigs().eq(set.records_without_rrsigs()));
            }
        }
        for c in plan.concentrators() {
            assert_eq!(ServiceZoneTxt::from_wire(&c.txt().to_wire()).as_ref(), Ok(c.txt()));
        }
    }
});
