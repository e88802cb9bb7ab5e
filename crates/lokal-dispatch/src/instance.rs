//! Meal-delivery instances in the MDRP library's format (`grubhub/mdrplib`): tab-separated files
//! with one header line; integer metres and integer minutes from the start of the day.

use std::collections::HashMap;
use std::path::Path;

/// A place, in metres on the instance's plane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Point {
    /// East, metres.
    pub x: i64,
    /// North, metres.
    pub y: i64,
}

/// The instance's constants (`instance_parameters.txt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// Courier speed, metres per minute.
    pub meters_per_minute: i64,
    /// Service time at a restaurant, minutes (half before the pickup, half after).
    pub pickup_service: i64,
    /// Service time at a diner, minutes (half before the drop-off, half after).
    pub dropoff_service: i64,
    /// Click-to-door target, minutes.
    pub target_click_to_door: i64,
    /// Click-to-door maximum, minutes.
    pub max_click_to_door: i64,
    /// Pay per delivered order.
    pub pay_per_order: i64,
    /// Guaranteed pay per shift hour.
    pub guaranteed_pay_per_hour: i64,
}

/// An order (`orders.txt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// Its id (`o…`).
    pub id: String,
    /// The diner.
    pub at: Point,
    /// When it becomes known, minutes.
    pub placed: i64,
    /// Index into [`Instance::restaurants`].
    pub restaurant: usize,
    /// When the food can be collected, minutes.
    pub ready: i64,
}

/// A restaurant (`restaurants.txt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restaurant {
    /// Its id (`r…`).
    pub id: String,
    /// Where it is.
    pub at: Point,
}

/// A courier's shift (`couriers.txt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Courier {
    /// Its id (`c…`).
    pub id: String,
    /// Where the shift starts.
    pub at: Point,
    /// Shift start, minutes.
    pub on: i64,
    /// Shift end, minutes (no pickup after it).
    pub off: i64,
}

/// A whole instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// Constants.
    pub params: Params,
    /// Orders, in file order.
    pub orders: Vec<Order>,
    /// Restaurants, in file order.
    pub restaurants: Vec<Restaurant>,
    /// Couriers, in file order.
    pub couriers: Vec<Courier>,
}

/// Why an instance could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A file could not be opened.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// A line is malformed.
    #[error("{file} line {line}: {why}")]
    Malformed {
        /// The file.
        file: &'static str,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        why: String,
    },
}

/// The data rows of a file: fields split on tabs, header skipped, blank lines ignored.
fn rows<'a>(file: &'static str, text: &'a str, width: usize) -> Result<Vec<(usize, Vec<&'a str>)>, ReadError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        if fields.len() != width {
            let why = format!("expected {width} fields, found {}", fields.len());
            return Err(ReadError::Malformed { file, line: i + 1, why });
        }
        out.push((i + 1, fields));
    }
    Ok(out)
}

fn int(file: &'static str, line: usize, field: &str) -> Result<i64, ReadError> {
    field.parse().map_err(|_| ReadError::Malformed { file, line, why: format!("`{field}` is not an integer") })
}

impl Instance {
    /// Parses the four files' contents.
    pub fn parse(params: &str, restaurants: &str, couriers: &str, orders: &str) -> Result<Instance, ReadError> {
        let p = rows("instance_parameters.txt", params, 7)?;
        let Some((line, f)) = p.first() else {
            return Err(ReadError::Malformed { file: "instance_parameters.txt", line: 2, why: "no data row".into() });
        };
        let n = |i: usize| int("instance_parameters.txt", *line, f[i]);
        let params = Params {
            meters_per_minute: n(0)?,
            pickup_service: n(1)?,
            dropoff_service: n(2)?,
            target_click_to_door: n(3)?,
            max_click_to_door: n(4)?,
            pay_per_order: n(5)?,
            guaranteed_pay_per_hour: n(6)?,
        };
        if params.meters_per_minute <= 0 {
            let why = "the speed must be positive".into();
            return Err(ReadError::Malformed { file: "instance_parameters.txt", line: *line, why });
        }
        let mut index = HashMap::new();
        let mut rs = Vec::new();
        for (line, f) in rows("restaurants.txt", restaurants, 3)? {
            let file = "restaurants.txt";
            index.insert(f[0].to_owned(), rs.len());
            rs.push(Restaurant {
                id: f[0].to_owned(),
                at: Point { x: int(file, line, f[1])?, y: int(file, line, f[2])? },
            });
        }
        let mut cs = Vec::new();
        for (line, f) in rows("couriers.txt", couriers, 5)? {
            let file = "couriers.txt";
            let c = Courier {
                id: f[0].to_owned(),
                at: Point { x: int(file, line, f[1])?, y: int(file, line, f[2])? },
                on: int(file, line, f[3])?,
                off: int(file, line, f[4])?,
            };
            if c.off < c.on {
                return Err(ReadError::Malformed { file, line, why: "the shift ends before it starts".into() });
            }
            cs.push(c);
        }
        let mut os = Vec::new();
        for (line, f) in rows("orders.txt", orders, 6)? {
            let file = "orders.txt";
            let restaurant = *index.get(f[4]).ok_or_else(|| ReadError::Malformed {
                file,
                line,
                why: format!("unknown restaurant {}", f[4]),
            })?;
            os.push(Order {
                id: f[0].to_owned(),
                at: Point { x: int(file, line, f[1])?, y: int(file, line, f[2])? },
                placed: int(file, line, f[3])?,
                restaurant,
                ready: int(file, line, f[5])?,
            });
        }
        Ok(Instance { params, orders: os, restaurants: rs, couriers: cs })
    }

    /// Reads an instance folder (the only IO in this crate besides writing solutions).
    pub fn read(dir: &Path) -> Result<Instance, ReadError> {
        let load = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| ReadError::Io { file: path.display().to_string(), source })
        };
        Instance::parse(
            &load("instance_parameters.txt")?,
            &load("restaurants.txt")?,
            &load("couriers.txt")?,
            &load("orders.txt")?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARAMS: &str = "meters_per_minute\tpickup\tdropoff\ttarget\tmax\tpay\tguarantee\n320\t4\t4\t40\t90\t10\t15\n";

    #[test]
    fn a_small_instance_parses_and_bad_lines_are_named() {
        let i = Instance::parse(
            PARAMS,
            "restaurant\tx\ty\nr1\t0\t0\n",
            "courier\tx\ty\ton_time\toff_time\nc1\t100\t0\t0\t120\n",
            "order\tx\ty\tplacement_time\trestaurant\tready_time\no1\t640\t0\t5\tr1\t20\n",
        )
        .expect("parses");
        assert_eq!((i.params.meters_per_minute, i.orders[0].restaurant, i.couriers[0].off), (320, 0, 120));
        let bad = Instance::parse(
            PARAMS,
            "restaurant\tx\ty\nr1\t0\t0\n",
            "courier\tx\ty\ton_time\toff_time\n",
            "order\tx\ty\tplacement_time\trestaurant\tready_time\no1\t1\t2\t3\tr9\t4\n",
        );
        assert!(bad.is_err_and(|e| e.to_string() == "orders.txt line 2: unknown restaurant r9"));
        let short = Instance::parse(PARAMS, "restaurant\tx\ty\nr1\t0\n", "", "");
        assert!(short.is_err_and(|e| e.to_string().contains("restaurants.txt line 2")));
    }
}
