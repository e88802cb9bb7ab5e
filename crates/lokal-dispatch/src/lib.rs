//! Lokal's dispatcher (issue E), a pure crate: no clock reads and no IO besides reading instances.
//! Meal-delivery instances in the MDRP library's format ([`instance`]), the operating rules of
//! that model as functions ([`rules`]), the event simulation ([`sim`]) and its dispatch policy
//! ([`policy`]), the evaluator's solution files, a strict checker and the papers' metrics ([`solution`]),
//! click-to-door estimates at placement and their error ([`eta`]), and larger synthetic days
//! drawn from real ones ([`synthetic`]). [`pdptw`] is the static routing core (pickup and delivery
//! with time windows, the Li & Lim benchmark).
//! [`live`] is the assignment call the server uses today.

pub mod eta;
pub mod instance;
pub mod live;
pub mod pdptw;
pub mod policy;
pub mod rules;
pub mod sim;
pub mod solution;
pub mod synthetic;

pub use instance::{Courier, Instance, Order, Params, Point, ReadError, Restaurant};
