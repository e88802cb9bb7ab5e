//! Lokal's dispatcher (issue E), a pure crate: no clock reads and no IO besides reading instances.
//! So far: meal-delivery instances in the MDRP library's format ([`instance`]) and the operating
//! rules of that model as functions ([`rules`]). Assignment, bundling, the event simulation and
//! the checker build on these. [`live`] is the assignment call the server uses today.

pub mod instance;
pub mod live;
pub mod rules;

pub use instance::{Courier, Instance, Order, Params, Point, ReadError, Restaurant};
