//! Tracking a menu order: its timeline and ETA for the consumer, the store and operators, and —
//! only for the consumer (and operators), only while the food is on its way, only from a recent
//! report — the rider's approximate position. The store sees the ETA, never the GPS.

use crate::fulfil::MenuOrder;
use crate::{App, AppError};
use lokal_core::fulfil::{Actor, OrderStatus};
use lokal_core::geo::LatLng;
use lokal_core::{OrderId, Principal, Timestamp};

/// What the tracking page shows.
#[derive(Debug, Clone)]
pub struct Tracking {
    /// The order with its timeline.
    pub order: MenuOrder,
    /// Who asks.
    pub viewer: Actor,
    /// The rider's name, once one is assigned.
    pub rider_name: Option<String>,
    /// The rider's position, rounded to about 10 m, when the viewer may see it.
    pub rider_position: Option<LatLng>,
    /// When that position was reported.
    pub located_at: Option<Timestamp>,
}

impl App {
    /// The tracking of an order for its consumer, its store or an operator.
    pub async fn track(&self, caller: &Principal, id: OrderId) -> Result<Tracking, AppError> {
        let (order, viewer) = self.menu_order_for(caller, id).await?;
        let rider = match order.delivery.as_ref().and_then(|d| d.rider_id) {
            Some(r) => lokal_store::riders::get_by_id(self.db().pool(), r).await?,
            None => None,
        };
        let fresh_after = self.now().millis() - self.delivery_settings().position_stale_secs.max(1) * 1000;
        let may_see = matches!(viewer, Actor::Consumer | Actor::Operator) && order.status() == OrderStatus::Delivering;
        let (rider_position, located_at) = match &rider {
            Some(r) if may_see && r.located_at.is_some_and(|t| t.millis() >= fresh_after) => {
                // Four decimals of a degree (about 11 m): enough to watch the rider come, not
                // enough to read a doorway.
                let p = r.position.and_then(|(a, b)| LatLng::from_e7(a / 1_000 * 1_000, b / 1_000 * 1_000).ok());
                (p, r.located_at)
            }
            _ => (None, None),
        };
        Ok(Tracking { viewer, rider_name: rider.map(|r| r.name), rider_position, located_at, order })
    }
}
