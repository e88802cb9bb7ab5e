//! `[delivery]`: riders' pay, dispatch and tracking settings.

/// How delivery tasks reach riders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DispatchMode {
    /// The dispatcher assigns tasks to riders (the default).
    Assign,
    /// Waiting tasks are offered to nearby riders; the first to grab one gets it.
    Grab,
}

/// Delivery settings.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliverySettings {
    /// `assign` (the dispatcher decides) or `grab` (riders take offers).
    pub dispatch_mode: DispatchMode,
    /// Seconds between dispatch decisions (also made at once when an order is accepted).
    pub dispatch_interval_secs: u64,
    /// Most tasks one rider holds at once.
    pub rider_capacity: u32,
    /// Farthest a rider is sent (or offered a task), metres.
    pub max_pickup_m: u32,
    /// A rider whose last position is older than this is not given work, seconds.
    pub position_stale_secs: i64,
    /// Rider pay per task, minor units.
    pub rider_pay_base: i64,
    /// Rider pay per started kilometre from store to door, minor units.
    pub rider_pay_per_km: i64,
    /// Guaranteed earnings per hour on shift, minor units (topped up at the end of the shift).
    pub rider_hourly_guarantee: i64,
    /// At most one stored position per rider per this many seconds.
    pub ping_sample_secs: i64,
    /// Positions are deleted after this many hours.
    pub position_retention_hours: i64,
    /// A quote stays valid this many seconds.
    pub quote_ttl_secs: i64,
    /// Most the platform pays per order towards the rider's pay beyond the consumer's delivery
    /// fee, minor units; the rest of the shortfall is charged to the merchant's payable.
    pub max_platform_subsidy: i64,
    /// Farthest any store delivers, metres (a store's radius or area is cut to this).
    pub max_delivery_radius_m: u32,
    /// Smallest item subtotal the platform delivers, minor units (a store's own minimum applies
    /// when higher).
    pub min_order: i64,
    /// Least a rider is paid for a task, minor units.
    pub min_rider_pay: i64,
    /// Fastest a rider is believed to move between two position reports, km/h.
    pub max_rider_speed_kmh: u32,
    /// Riders' positions farther than this from the city centre (`[site] center`) are refused,
    /// metres.
    pub city_radius_m: u32,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        Self {
            dispatch_mode: DispatchMode::Assign,
            dispatch_interval_secs: 10,
            rider_capacity: 3,
            max_pickup_m: 5_000,
            position_stale_secs: 300,
            rider_pay_base: 500,
            rider_pay_per_km: 100,
            rider_hourly_guarantee: 2_500,
            ping_sample_secs: 10,
            position_retention_hours: 24,
            quote_ttl_secs: 600,
            max_platform_subsidy: 0,
            max_delivery_radius_m: 10_000,
            min_order: 1_000,
            min_rider_pay: 300,
            max_rider_speed_kmh: 80,
            city_radius_m: 100_000,
        }
    }
}
