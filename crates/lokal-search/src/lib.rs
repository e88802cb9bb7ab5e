//! Discovery indexes, kept in memory and rebuilt from the database at start.
//!
//! [`GeoIndex`] answers "the k nearest stores within r metres that pass this filter" from a uniform
//! grid of cells about 1.1 km high. A query visits only the cells that overlap the circle's
//! bounding box, checks each candidate with a cheap planar bound and the exact haversine distance,
//! and keeps the best k in a bounded heap. Updates are O(1) and visible to the next query.
//!
//! [`TextIndex`] matches Chinese and English text (jieba segmentation) and suggests completions;
//! Chinese words are also found by their pinyin and initials ([`pinyin`]), and common English
//! words find the Chinese words stores use ([`synonyms`]).
//! A search near a point asks the geo grid for candidates and scores each against the text index,
//! so the text side never scans the whole city.

pub mod geo;
pub mod pinyin;
pub mod synonyms;
pub mod text;

pub use geo::{GeoIndex, Hit};
pub use text::{Query, TextIndex};
