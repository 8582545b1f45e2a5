//! RFC 2782 target order as the Konnektor applies it (TIP1-A_4376, TUC_VPN-ZD_0001): priorities strictly in
//! order, weights as probabilities (chi-square over many draws with a seeded RNG, so the test is deterministic),
//! weight 0, and the "service absent" target.

use proptest::prelude::*;
use tiwire_dns::hickory_proto::rr::Name;
use tiwire_dns::hickory_proto::rr::rdata::SRV;
use tiwire_dns::{SrvOrder, order_targets};

use crate::SplitMix64;

fn srv(priority: u16, weight: u16, target: &str) -> SRV {
    SRV::new(
        priority,
        weight,
        500,
        Name::from_ascii(format!("{target}.anbieter.de.")).unwrap(),
    )
}

fn ordered(records: &[SRV], rng: &mut SplitMix64) -> Vec<SRV> {
    match order_targets(records, rng) {
        SrvOrder::Targets(t) => t,
        SrvOrder::Absent => panic!("absent"),
    }
}

/// Pearson's chi-square statistic of `observed` against `expected` probabilities over `n` draws.
fn chi_square(observed: &[u64], expected: &[f64], n: u64) -> f64 {
    observed
        .iter()
        .zip(expected)
        .map(|(&o, &p)| {
            let e = p * n as f64;
            (o as f64 - e).powi(2) / e
        })
        .sum()
}

#[test]
fn first_choice_follows_the_weights() {
    // One priority, weights 0, 10, 20, 30, 40: RFC 2782 draws r uniformly from 0..=100 and takes the first
    // running sum >= r, so the weight-0 record wins only for r = 0 (1 in 101), the others w/101.
    let records = [
        srv(10, 0, "z"),
        srv(10, 10, "a"),
        srv(10, 20, "b"),
        srv(10, 30, "c"),
        srv(10, 40, "d"),
    ];
    let names = ["z", "a", "b", "c", "d"];
    let expected: Vec<f64> = [1.0, 10.0, 20.0, 30.0, 40.0].iter().map(|w| w / 101.0).collect();
    let n = 200_000u64;
    let mut rng = SplitMix64(0x7469_7769_7265);
    let mut first = [0u64; 5];
    for _ in 0..n {
        let order = ordered(&records, &mut rng);
        assert_eq!(order.len(), 5);
        let label = order[0].target.iter().next().unwrap();
        first[names.iter().position(|n| n.as_bytes() == label).unwrap()] += 1;
    }
    let chi2 = chi_square(&first, &expected, n);
    // 4 degrees of freedom: the 99.9 % quantile is 18.47.
    assert!(chi2 < 18.47, "chi-square {chi2} for {first:?}");
}

#[test]
fn equal_weights_and_all_zero_weights_are_uniform() {
    for weight in [0u16, 10] {
        let records: Vec<SRV> = (0..6).map(|i| srv(10, weight, &format!("k{i}"))).collect();
        let n = 120_000u64;
        let mut rng = SplitMix64(u64::from(weight) + 1);
        let mut first = [0u64; 6];
        let mut last = [0u64; 6];
        for _ in 0..n {
            let order = ordered(&records, &mut rng);
            let index = |s: &SRV| records.iter().position(|r| r == s).unwrap();
            first[index(&order[0])] += 1;
            last[index(&order[5])] += 1;
        }
        // 5 degrees of freedom: 99.9 % quantile 20.52.
        for counts in [first, last] {
            let chi2 = chi_square(&counts, &[1.0 / 6.0; 6], n);
            assert!(chi2 < 20.52, "weight {weight}: chi-square {chi2} for {counts:?}");
        }
    }
}

#[test]
fn priorities_in_order_and_the_nearest_site_first() {
    // TIP1-A_4296: the customer's nearest site at the best (lowest) priority, the backup site after it.
    let records = [
        srv(20, 10, "k1.ber"),
        srv(10, 10, "k1.ham"),
        srv(20, 10, "k2.ber"),
        srv(10, 30, "k2.ham"),
        srv(30, 0, "k1.fra"),
    ];
    let mut rng = SplitMix64(42);
    for _ in 0..1000 {
        let order = ordered(&records, &mut rng);
        let priorities: Vec<u16> = order.iter().map(|r| r.priority).collect();
        assert_eq!(priorities, [10, 10, 20, 20, 30]);
    }
}

#[test]
fn root_target_means_absent() {
    let absent = [SRV::new(0, 0, 0, Name::root())];
    assert_eq!(order_targets(&absent, &mut SplitMix64(1)), SrvOrder::Absent);
    assert_eq!(order_targets(&[], &mut SplitMix64(1)), SrvOrder::Targets(vec![]));
    // In a larger set "." cannot be contacted and is dropped.
    let mixed = [SRV::new(0, 0, 0, Name::root()), srv(10, 1, "k1")];
    assert_eq!(
        order_targets(&mixed, &mut SplitMix64(1)),
        SrvOrder::Targets(vec![srv(10, 1, "k1")])
    );
}

#[test]
fn deterministic_for_a_seed() {
    let records: Vec<SRV> = (0..50).map(|i| srv(10 + (i % 3), i, &format!("konz{i}"))).collect();
    let a = ordered(&records, &mut SplitMix64(7));
    let b = ordered(&records, &mut SplitMix64(7));
    assert_eq!(a, b);
}

proptest! {
    #[test]
    fn a_permutation_sorted_by_priority(
        spec in proptest::collection::vec((0u16..4, 0u16..100), 0..30),
        seed in any::<u64>(),
    ) {
        let records: Vec<SRV> = spec.iter().enumerate().map(|(i, (p, w))| srv(*p, *w, &format!("t{i}"))).collect();
        let order = ordered(&records, &mut SplitMix64(seed));
        prop_assert_eq!(order.len(), records.len());
        for r in &records {
            prop_assert!(order.contains(r));
        }
        prop_assert!(order.windows(2).all(|w| w[0].priority <= w[1].priority));
    }
}
