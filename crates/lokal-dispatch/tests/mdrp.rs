//! A real MDRP instance (copied into tests/data with its source) reads whole and plays by the rules.

use lokal_dispatch::Instance;
use lokal_dispatch::rules::timeline;
use std::path::Path;

#[test]
fn a_real_grubhub_day_reads_whole() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/0r50t100s1p100");
    let i = Instance::read(&dir).expect("instance");
    assert_eq!(i.orders.len(), 242);
    assert_eq!(i.params.meters_per_minute, 320);
    assert!(!i.restaurants.is_empty() && !i.couriers.is_empty());
    assert!(i.orders.iter().all(|o| o.ready >= o.placed), "food is ready after the order is placed");
    // Any order, delivered alone by the first courier from shift start, picks up no earlier than ready.
    let c = &i.couriers[0];
    for (n, o) in i.orders.iter().enumerate() {
        let t = timeline(&i, c.at, c.on, &[n]).expect("timeline");
        assert!(t.pickup >= o.ready && t.dropoffs[0] > t.pickup && t.free_at > t.dropoffs[0]);
    }
    assert!(Instance::read(&dir.join("missing")).is_err_and(|e| e.to_string().contains("instance_parameters.txt")));
}
