//! The geo grid.

use lokal_core::geo::{EARTH_RADIUS_M, LatLng};
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::hash::Hash;

/// Cell height and width in degrees (0.01° ≈ 1.1 km of latitude).
const CELL_DEG: f64 = 0.01;

type Cell = (i32, i32);

fn cell_of(p: &LatLng) -> Cell {
    let half = (180.0 / CELL_DEG) as i32;
    let lng = (p.lng() / CELL_DEG).floor() as i32;
    // Longitude 180 is longitude -180: one cell numbering over [-180, 180).
    ((p.lat() / CELL_DEG).floor() as i32, if lng >= half { lng - 2 * half } else { lng })
}

struct Entry<K, V> {
    key: K,
    point: LatLng,
    /// `point.cos_lat()`, for distances from a query's centre.
    cos_lat: f64,
    value: V,
}

/// A result: the value, its key and its distance from the query point.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'a, K, V> {
    /// The entry's key.
    pub key: &'a K,
    /// The entry's value.
    pub value: &'a V,
    /// Great-circle distance in metres.
    pub distance_m: f64,
}

/// Points with keys and values, queried by distance.
pub struct GeoIndex<K, V> {
    entries: Vec<Option<Entry<K, V>>>,
    free: Vec<u32>,
    slots: HashMap<K, u32>,
    cells: HashMap<Cell, Vec<u32>>,
}

impl<K: Clone + Eq + Hash, V> Default for GeoIndex<K, V> {
    fn default() -> Self {
        Self { entries: Vec::new(), free: Vec::new(), slots: HashMap::new(), cells: HashMap::new() }
    }
}

struct Best {
    distance: f64,
    slot: u32,
}

impl PartialEq for Best {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Best {}
impl PartialOrd for Best {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Best {
    fn cmp(&self, other: &Self) -> Ordering {
        self.distance.total_cmp(&other.distance).then(self.slot.cmp(&other.slot))
    }
}

impl<K: Clone + Eq + Hash, V> GeoIndex<K, V> {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Adds an entry or replaces the one with the same key (moving it if the point changed).
    pub fn upsert(&mut self, key: K, point: LatLng, value: V) {
        self.remove(&key);
        let entry = Entry { key: key.clone(), point, cos_lat: point.cos_lat(), value };
        let slot = match self.free.pop() {
            Some(s) => {
                self.entries[s as usize] = Some(entry);
                s
            }
            None => {
                self.entries.push(Some(entry));
                u32::try_from(self.entries.len() - 1).unwrap_or(u32::MAX)
            }
        };
        self.slots.insert(key, slot);
        self.cells.entry(cell_of(&point)).or_default().push(slot);
    }

    /// Removes the entry with `key`; returns whether there was one.
    pub fn remove(&mut self, key: &K) -> bool {
        let Some(slot) = self.slots.remove(key) else { return false };
        if let Some(entry) = self.entries.get_mut(slot as usize).and_then(Option::take) {
            let cell = cell_of(&entry.point);
            if let Some(list) = self.cells.get_mut(&cell) {
                list.retain(|s| *s != slot);
                if list.is_empty() {
                    self.cells.remove(&cell);
                }
            }
        }
        self.free.push(slot);
        true
    }

    /// The value stored under `key`.
    pub fn get(&self, key: &K) -> Option<(&LatLng, &V)> {
        let slot = *self.slots.get(key)?;
        self.entries.get(slot as usize)?.as_ref().map(|e| (&e.point, &e.value))
    }

    /// Every entry within `radius_m` of `center` that passes `keep`, nearest first, at most `limit`.
    pub fn nearby(
        &self,
        center: &LatLng,
        radius_m: f64,
        limit: usize,
        keep: impl Fn(&K, &V) -> bool,
    ) -> Vec<Hit<'_, K, V>> {
        self.scan(center, radius_m, keep, |d, _, _| d, limit, true)
    }

    /// Every entry within `radius_m` that passes `keep`, ordered by `score(distance, key, value)`
    /// ascending (lower is better), at most `limit`. Distance ties keep a stable order.
    pub fn within(
        &self,
        center: &LatLng,
        radius_m: f64,
        keep: impl Fn(&K, &V) -> bool,
        score: impl Fn(f64, &K, &V) -> f64,
        limit: usize,
    ) -> Vec<Hit<'_, K, V>> {
        self.scan(center, radius_m, keep, score, limit, false)
    }

    /// [`Self::within`]; when the score is the distance itself (`by_distance`), an entry whose
    /// latitude alone puts it farther than the worst of a full heap is passed over before its
    /// distance is computed (a great circle is never shorter than its change of latitude).
    #[allow(clippy::too_many_arguments)]
    fn scan(
        &self,
        center: &LatLng,
        radius_m: f64,
        keep: impl Fn(&K, &V) -> bool,
        score: impl Fn(f64, &K, &V) -> f64,
        limit: usize,
        by_distance: bool,
    ) -> Vec<Hit<'_, K, V>> {
        if limit == 0 || radius_m <= 0.0 {
            return Vec::new();
        }
        let dlat = (radius_m / EARTH_RADIUS_M).to_degrees();
        let cos = center.lat().to_radians().cos().max(1e-6);
        let dlng = (dlat / cos).min(180.0);
        let lat_lo = ((center.lat() - dlat) / CELL_DEG).floor() as i32;
        let lat_hi = ((center.lat() + dlat) / CELL_DEG).floor() as i32;
        let lng_lo = ((center.lng() - dlng) / CELL_DEG).floor() as i64;
        let lng_hi = ((center.lng() + dlng) / CELL_DEG).floor() as i64;
        let wrap = (360.0 / CELL_DEG) as i64;
        let center_cos = center.cos_lat();
        let mut heap: BinaryHeap<Best> = BinaryHeap::with_capacity(limit + 1);
        let mut visited_lng = Vec::new();
        for lng in lng_lo..=lng_hi.min(lng_lo + wrap - 1) {
            // Normalise across the antimeridian into the cell numbering of [-180, 180).
            let mut c = lng;
            let half = wrap / 2;
            while c < -half {
                c += wrap;
            }
            while c >= half {
                c -= wrap;
            }
            visited_lng.push(c as i32);
        }
        visited_lng.sort_unstable();
        visited_lng.dedup();
        for lat in lat_lo..=lat_hi {
            for lng in &visited_lng {
                let Some(slots) = self.cells.get(&(lat, *lng)) else { continue };
                for slot in slots {
                    let Some(Some(e)) = self.entries.get(*slot as usize) else { continue };
                    // Cheap reject on latitude alone before the trigonometry.
                    let lat_apart = (e.point.lat() - center.lat()).abs();
                    if lat_apart > dlat {
                        continue;
                    }
                    // A millimetre's margin for rounding: the bound only skips sure losers.
                    if by_distance
                        && heap.len() == limit
                        && heap.peek().is_some_and(|w| lat_apart.to_radians() * EARTH_RADIUS_M - 1e-3 > w.distance)
                    {
                        continue;
                    }
                    let d = center.distance_with_cos(center_cos, &e.point, e.cos_lat);
                    if d > radius_m || !keep(&e.key, &e.value) {
                        continue;
                    }
                    let b = Best { distance: score(d, &e.key, &e.value), slot: *slot };
                    // A full heap keeps its worst unless this one beats it (what pushing and
                    // popping would leave, without either).
                    if heap.len() < limit {
                        heap.push(b);
                    } else if heap.peek().is_some_and(|worst| b < *worst) {
                        heap.pop();
                        heap.push(b);
                    }
                }
            }
        }
        let mut best = heap.into_vec();
        best.sort();
        best.into_iter()
            .filter_map(|b| {
                let e = self.entries.get(b.slot as usize)?.as_ref()?;
                Some(Hit {
                    key: &e.key,
                    value: &e.value,
                    distance_m: center.distance_with_cos(center_cos, &e.point, e.cos_lat),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(lat: f64, lng: f64) -> LatLng {
        LatLng::new(lat, lng).expect("valid")
    }

    #[test]
    fn nearest_first_within_the_radius() {
        let c = p(31.2304, 121.4737);
        let mut idx = GeoIndex::new();
        idx.upsert(1, c.offset_m(500.0, 0.0), "a");
        idx.upsert(2, c.offset_m(0.0, 100.0), "b");
        idx.upsert(3, c.offset_m(-2_500.0, 0.0), "c");
        idx.upsert(4, c.offset_m(0.0, 9_000.0), "far");
        let hits = idx.nearby(&c, 3_000.0, 10, |_, _| true);
        assert_eq!(hits.iter().map(|h| *h.key).collect::<Vec<_>>(), vec![2, 1, 3]);
        assert!((hits[0].distance_m - 100.0).abs() < 1.0);
        assert_eq!(idx.nearby(&c, 3_000.0, 10, |_, v| *v != "b").len(), 2);
    }

    #[test]
    fn updates_move_and_remove_entries() {
        let c = p(31.2304, 121.4737);
        let mut idx = GeoIndex::new();
        idx.upsert("s", c.offset_m(5_000.0, 0.0), 1);
        assert!(idx.nearby(&c, 1_000.0, 5, |_, _| true).is_empty());
        idx.upsert("s", c.offset_m(200.0, 0.0), 2);
        let hits = idx.nearby(&c, 1_000.0, 5, |_, _| true);
        assert_eq!((hits.len(), *hits[0].value), (1, 2));
        assert_eq!(idx.len(), 1);
        assert!(idx.remove(&"s"));
        assert!(idx.nearby(&c, 10_000.0, 5, |_, _| true).is_empty());
        assert!(idx.is_empty());
    }

    #[test]
    fn queries_cross_the_antimeridian() {
        let mut idx = GeoIndex::new();
        idx.upsert(1, p(0.0, 179.999), ());
        idx.upsert(2, p(0.0, -179.999), ());
        let hits = idx.nearby(&p(0.0, 180.0), 1_000.0, 10, |_, _| true);
        assert_eq!(hits.len(), 2);
    }

    proptest! {
        /// The grid answers exactly what a scan of every entry answers.
        #[test]
        fn matches_a_brute_force_scan(
            points in proptest::collection::vec((-3000.0f64..3000.0, -3000.0f64..3000.0, 0u8..4), 0..200),
            qn in -3000.0f64..3000.0, qe in -3000.0f64..3000.0, radius in 1.0f64..4000.0, limit in 1usize..30, cat in 0u8..4,
        ) {
            let origin = p(31.2304, 121.4737);
            let mut idx = GeoIndex::new();
            let mut all = Vec::new();
            for (i, (n, e, c)) in points.iter().enumerate() {
                let pt = origin.offset_m(*n, *e);
                idx.upsert(i, pt, *c);
                all.push((i, pt, *c));
            }
            let q = origin.offset_m(qn, qe);
            let mut expected: Vec<(f64, usize)> = all.iter()
                .filter(|(_, pt, c)| q.distance_m(pt) <= radius && *c != cat)
                .map(|(i, pt, _)| (q.distance_m(pt), *i))
                .collect();
            expected.sort_by(|a, b| a.0.total_cmp(&b.0));
            expected.truncate(limit);
            let got: Vec<f64> = idx.nearby(&q, radius, limit, |_, c| *c != cat).iter().map(|h| h.distance_m).collect();
            let want: Vec<f64> = expected.iter().map(|e| e.0).collect();
            prop_assert_eq!(got, want);
        }
    }
}
