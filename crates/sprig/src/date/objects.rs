//! Template objects for Go's time types: `time.Time` (fields via methods:
//! `.Year`, `.Unix`, `.Format "…"`, `.UTC`, `.Add`…), `time.Duration`,
//! `time.Month`, `time.Weekday` and `*time.Location`, printed with their
//! Go `String()` methods.
//!
//! Owns method dispatch and argument checks for these objects. Does not own
//! the time arithmetic (see `gotime`).

use std::any::Any;
use std::rc::Rc;
use std::sync::Arc;

use origan_gotmpl::{Object, Value};

use super::gotime::{GoTime, format_duration};
use super::zone::Location;

/// A Go `time.Time` value.
pub struct TimeObject(pub(crate) GoTime);

/// Wraps a time as a template value.
pub(crate) fn time_value(t: GoTime) -> Value {
    Value::Object(Rc::new(TimeObject(t)))
}

/// The `time.Time` inside a value, if it is one.
pub(crate) fn as_time(v: &Value) -> Option<&GoTime> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<TimeObject>().map(|t| &t.0),
        _ => None,
    }
}

/// A named Go integer type printed through `String()`.
struct Named {
    type_name: &'static str,
    kind: &'static str,
    value: i64,
    text: String,
}

impl Object for Named {
    fn type_name(&self) -> String {
        self.type_name.to_string()
    }
    fn kind_name(&self) -> &'static str {
        self.kind
    }
    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if !self.is_method(name) {
            return None;
        }
        if !args.is_empty() && !matches!(name, "Round" | "Truncate") {
            return Some(Err(format!(
                "wrong number of args for {name}: want 0 got {}",
                args.len()
            )));
        }
        let d = self.value;
        Some(Ok(match name {
            "String" => Value::str(self.text.as_str()),
            "Hours" => Value::Float(d as f64 / 3.6e12),
            "Minutes" => Value::Float(d as f64 / 6e10),
            "Seconds" => Value::Float(d as f64 / 1e9),
            "Milliseconds" => Value::int64(d / 1_000_000),
            "Microseconds" => Value::int64(d / 1_000),
            "Nanoseconds" => Value::int64(d),
            "Abs" => duration_value(if d == i64::MIN { i64::MAX } else { d.abs() }),
            "Round" | "Truncate" => {
                let m = match args.first().map(duration_arg) {
                    Some(Some(m)) => m,
                    _ => return Some(Err(format!("wrong arguments for {name}"))),
                };
                duration_value(if name == "Round" {
                    round_duration(d, m)
                } else if m <= 0 {
                    d
                } else {
                    d - d % m
                })
            }
            _ => return None,
        }))
    }
    fn is_method(&self, name: &str) -> bool {
        if self.type_name == "time.Duration" {
            matches!(
                name,
                "String"
                    | "Hours"
                    | "Minutes"
                    | "Seconds"
                    | "Milliseconds"
                    | "Microseconds"
                    | "Nanoseconds"
                    | "Abs"
                    | "Round"
                    | "Truncate"
            )
        } else {
            name == "String"
        }
    }
    fn template_string(&self) -> String {
        self.text.clone()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A `time.Duration` value.
pub(crate) fn duration_value(d: i64) -> Value {
    Value::Object(Rc::new(Named {
        type_name: "time.Duration",
        kind: "int64",
        value: d,
        text: format_duration(d),
    }))
}

/// A Duration argument: a Duration object or any integer (untyped
/// constants convert to Duration in Go).
pub(crate) fn duration_arg(v: &Value) -> Option<i64> {
    match v {
        Value::Int(n, _) => Some(*n),
        Value::Uint(n, _) => Some(*n as i64),
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<Named>()
            .filter(|n| n.type_name == "time.Duration")
            .map(|n| n.value),
        _ => None,
    }
}

/// Go's `Duration.Round`.
pub(crate) fn round_duration(d: i64, m: i64) -> i64 {
    if m <= 0 {
        return d;
    }
    let mut r = d % m;
    let less_than_half = |r: i64, m: i64| (r as u64).wrapping_add(r as u64) < m as u64;
    if d < 0 {
        r = -r;
        if less_than_half(r, m) {
            return d + r;
        }
        return d.checked_sub(m).map_or(i64::MIN, |x| x + r);
    }
    if less_than_half(r, m) {
        return d - r;
    }
    d.checked_add(m - r).unwrap_or(i64::MAX)
}

fn month_value(m: i64) -> Value {
    Value::Object(Rc::new(Named {
        type_name: "time.Month",
        kind: "int",
        value: m,
        text: GoTime::month_name(m).to_string(),
    }))
}

fn weekday_value(d: usize) -> Value {
    Value::Object(Rc::new(Named {
        type_name: "time.Weekday",
        kind: "int",
        value: d as i64,
        text: GoTime::weekday_name(d).to_string(),
    }))
}

/// A `*time.Location`.
pub struct LocationObject(pub(crate) Arc<Location>);

impl Object for LocationObject {
    fn type_name(&self) -> String {
        "*time.Location".to_string()
    }
    fn kind_name(&self) -> &'static str {
        "ptr"
    }
    fn member(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        (name == "String").then(|| Ok(Value::str(self.0.name.as_str())))
    }
    fn is_method(&self, name: &str) -> bool {
        name == "String"
    }
    fn template_string(&self) -> String {
        self.0.name.clone()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

const TIME_METHODS: &[&str] = &[
    "String",
    "Format",
    "Year",
    "Month",
    "Day",
    "Hour",
    "Minute",
    "Second",
    "Nanosecond",
    "YearDay",
    "Weekday",
    "Unix",
    "UnixMilli",
    "UnixMicro",
    "UnixNano",
    "UTC",
    "Local",
    "In",
    "Location",
    "Add",
    "AddDate",
    "Sub",
    "After",
    "Before",
    "Equal",
    "Compare",
    "IsZero",
    "IsDST",
    "Round",
    "Truncate",
    "MarshalJSON",
    "MarshalText",
];

impl TimeObject {
    fn call(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let t = &self.0;
        let want = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                Err(format!(
                    "wrong number of args for {name}: want {n} got {}",
                    args.len()
                ))
            }
        };
        let time_arg = || {
            want(1)?;
            as_time(&args[0]).cloned().ok_or_else(|| {
                format!(
                    "wrong type for value; expected time.Time; got {}",
                    args[0].type_name()
                )
            })
        };
        let dur_arg = || {
            want(1)?;
            duration_arg(&args[0]).ok_or_else(|| {
                format!(
                    "wrong type for value; expected time.Duration; got {}",
                    args[0].type_name()
                )
            })
        };
        let unix_ns = |t: &GoTime| i128::from(t.sec) * 1_000_000_000 + i128::from(t.nsec);
        let c = || t.civil();
        Ok(match name {
            "String" => {
                want(0)?;
                Value::str(t.go_string())
            }
            "Format" => match args {
                [Value::String(l)] => Value::str(t.format(l)),
                _ => return Err(format!("wrong arguments for {name}")),
            },
            "Year" => Value::int(c().year),
            "Month" => month_value(c().month),
            "Day" => Value::int(c().day),
            "Hour" => Value::int(c().hour),
            "Minute" => Value::int(c().min),
            "Second" => Value::int(c().sec),
            "Nanosecond" => Value::int(t.nsec),
            "YearDay" => Value::int(c().yday),
            "Weekday" => weekday_value(c().weekday),
            "Unix" => Value::int64(t.sec),
            "UnixMilli" => Value::int64((unix_ns(t) / 1_000_000) as i64),
            "UnixMicro" => Value::int64((unix_ns(t) / 1_000) as i64),
            "UnixNano" => Value::int64(unix_ns(t) as i64),
            "UTC" => time_value(t.in_loc(Location::utc())),
            "Local" => time_value(t.in_loc(Location::local())),
            "Location" => Value::Object(Rc::new(LocationObject(t.loc.clone()))),
            "In" => {
                want(1)?;
                match &args[0] {
                    Value::Object(o) => match o.as_any().downcast_ref::<LocationObject>() {
                        Some(l) => time_value(t.in_loc(l.0.clone())),
                        None => return Err("wrong type for value; expected *time.Location".into()),
                    },
                    _ => return Err("wrong type for value; expected *time.Location".into()),
                }
            }
            "Add" => time_value(t.add(dur_arg()?)),
            "AddDate" => {
                want(3)?;
                let n: Vec<i64> = args
                    .iter()
                    .filter_map(|a| match a {
                        Value::Int(n, _) => Some(*n),
                        _ => None,
                    })
                    .collect();
                if n.len() != 3 {
                    return Err("wrong type for value; expected int".into());
                }
                let cv = c();
                let mut r = GoTime::date(
                    cv.year.wrapping_add(n[0]),
                    cv.month.wrapping_add(n[1]),
                    cv.day.wrapping_add(n[2]),
                    cv.hour,
                    cv.min,
                    cv.sec,
                    t.nsec,
                    t.loc.clone(),
                );
                r.mono = None;
                time_value(r)
            }
            "Sub" => duration_value(t.sub(&time_arg()?)),
            "After" => Value::Bool(unix_ns(t) > unix_ns(&time_arg()?)),
            "Before" => Value::Bool(unix_ns(t) < unix_ns(&time_arg()?)),
            "Equal" => Value::Bool(unix_ns(t) == unix_ns(&time_arg()?)),
            "Compare" => Value::int(unix_ns(t).cmp(&unix_ns(&time_arg()?)) as i64),
            "IsZero" => Value::Bool(t.sec == super::gotime::ZERO_UNIX && t.nsec == 0),
            "IsDST" => Value::Bool(t.loc.is_dst(t.sec)),
            "Round" | "Truncate" => {
                let d = dur_arg()?;
                if d <= 0 {
                    let mut r = t.clone();
                    r.mono = None;
                    return Ok(time_value(r));
                }
                // Go rounds the absolute time since year 1; Unix-based
                // arithmetic agrees for durations dividing 400 years.
                let since_zero = unix_ns(t) - i128::from(super::gotime::ZERO_UNIX) * 1_000_000_000;
                let rem = (since_zero % i128::from(d)) as i64;
                let mut r = if name == "Truncate" || rem.wrapping_add(rem) < d {
                    t.add(-rem)
                } else {
                    t.add(d - rem)
                };
                r.mono = None;
                time_value(r)
            }
            "MarshalJSON" | "MarshalText" => {
                // Go's RFC 3339 marshalling (what toJson/toYaml print).
                let year = c().year;
                if !(0..=9999).contains(&year) {
                    return Err(format!("Time.{name}: year outside of range [0,9999]"));
                }
                let text = t.format("2006-01-02T15:04:05.999999999Z07:00");
                let text = if name == "MarshalJSON" {
                    format!("\"{text}\"")
                } else {
                    text
                };
                Value::Bytes(text.into_bytes().into())
            }
            _ => return Err(format!("can't evaluate field {name}")),
        })
    }
}

impl Object for TimeObject {
    fn type_name(&self) -> String {
        "time.Time".to_string()
    }
    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if !TIME_METHODS.contains(&name) {
            return None;
        }
        Some(self.call(name, args))
    }
    fn is_method(&self, name: &str) -> bool {
        TIME_METHODS.contains(&name)
    }
    fn template_string(&self) -> String {
        self.0.go_string()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
