//! Discovery indexes, kept in memory and rebuilt from the database at start.
//!
//! [`GeoIndex`] answers "the k nearest stores within r metres that pass this filter" from a uniform
//! grid of cells about 1.1 km high. A query visits only the cells that overlap the circle's
//! bounding box, checks each candidate with a cheap planar bound and the exact haversine distance,
//! and keeps the best k in a bounded heap. Updates are O(1) and visible to the next query.

pub mod geo;

pub use geo::{GeoIndex, Hit};
