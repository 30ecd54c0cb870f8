//! Sprig's date functions: `now`, `date`, `dateInZone`/`date_in_zone`,
//! `htmlDate`, `htmlDateInZone`, `dateModify`/`date_modify`,
//! `mustDateModify`/`must_date_modify`, `toDate`, `mustToDate`,
//! `unixEpoch`, `ago`, `duration`, `durationRound`.
//!
//! Owns the Sprig argument quirks: `date` accepts `time.Time`, `int`,
//! `int32` and `int64` and silently formats *now* for anything else (a
//! values.yaml float64 included); `duration` understands only strings and
//! `int64` (`duration 90` is `0s`); a bad zone name falls back to UTC.
//! Does not own Go's time semantics (see the submodules).

mod gotime;
mod objects;
mod parse;
mod zone;

use origan_gotmpl::{Func, FuncError, FuncMap, IntType, Param, Value};

use crate::encoding::arg_str;
use gotime::{GoTime, format_duration, parse_duration};
use objects::{as_time, round_duration, time_value};
use zone::{Location, load_location};

pub(crate) fn register(funcs: &mut FuncMap) {
    // {{ now | date "2006" }} → the current year
    funcs.insert("now", Func::new(&[], |_| Ok(time_value(GoTime::now()))));
    // {{ date "2006-01-02" (toDate "2006-01-02" "2024-03-15") }} → 2024-03-15
    funcs.insert(
        "date",
        Func::new(&[Param::String, Param::Any], |a| {
            Ok(Value::str(date_in_zone(arg_str(a, 0)?, &a[1], "Local")))
        }),
    );
    for name in ["dateInZone", "date_in_zone"] {
        // {{ dateInZone "15:04 MST" 0 "Europe/Berlin" }} → 01:00 CET
        funcs.insert(
            name,
            Func::new(&[Param::String, Param::Any, Param::String], |a| {
                Ok(Value::str(date_in_zone(
                    arg_str(a, 0)?,
                    &a[1],
                    arg_str(a, 2)?,
                )))
            }),
        );
    }
    // {{ htmlDate 0 }} → 1970-01-01
    funcs.insert(
        "htmlDate",
        Func::new(&[Param::Any], |a| {
            Ok(Value::str(date_in_zone("2006-01-02", &a[0], "Local")))
        }),
    );
    // {{ htmlDateInZone 0 "UTC" }} → 1970-01-01
    funcs.insert(
        "htmlDateInZone",
        Func::new(&[Param::Any, Param::String], |a| {
            Ok(Value::str(date_in_zone(
                "2006-01-02",
                &a[0],
                arg_str(a, 1)?,
            )))
        }),
    );
    for (name, must) in [
        ("dateModify", false),
        ("date_modify", false),
        ("mustDateModify", true),
        ("must_date_modify", true),
    ] {
        // {{ dateModify "-1.5h" now }} → now minus 90 minutes
        funcs.insert(
            name,
            Func::new(&[Param::String, Param::Any], move |a| {
                let t = time_param(&a[1])?;
                match parse_duration(arg_str(a, 0)?) {
                    Ok(d) => Ok(time_value(t.add(d))),
                    Err(_) if !must => Ok(time_value(t.clone())),
                    Err(e) => Err(FuncError::new(e)),
                }
            }),
        );
    }
    for (name, must) in [("toDate", false), ("mustToDate", true)] {
        // {{ toDate "2006-01-02" "2024-03-15" }} → 2024-03-15 00:00:00 +0000 UTC
        funcs.insert(
            name,
            Func::new(
                &[Param::String, Param::String],
                move |a| match parse::parse_in_location(
                    arg_str(a, 0)?,
                    arg_str(a, 1)?,
                    Location::local(),
                ) {
                    Ok(t) => Ok(time_value(t)),
                    Err(_) if !must => Ok(time_value(GoTime::zero())),
                    Err(e) => Err(FuncError::new(e)),
                },
            ),
        );
    }
    // {{ unixEpoch (toDate "2006-01-02" "2024-03-15") }} → 1710460800
    funcs.insert(
        "unixEpoch",
        Func::new(&[Param::Any], |a| {
            Ok(Value::str(time_param(&a[0])?.sec.to_string()))
        }),
    );
    // {{ ago (toDate "2006-01-02" "2024-03-15") }} → e.g. 6000h0m0s
    funcs.insert(
        "ago",
        Func::new(&[Param::Any], |a| {
            let t = match &a[0] {
                Value::Int(n, IntType::Int | IntType::Int64) => GoTime::unix(*n),
                v => as_time(v).cloned().unwrap_or_else(GoTime::now),
            };
            let since = GoTime::now().sub(&t);
            Ok(Value::str(format_duration(round_duration(
                since,
                1_000_000_000,
            ))))
        }),
    );
    // {{ duration "90" }} → 1m30s (only strings and int64 are understood)
    funcs.insert(
        "duration",
        Func::new(&[Param::Any], |a| {
            let n = match &a[0] {
                Value::String(s) => go_parse_int(s).unwrap_or(0),
                Value::Int(n, IntType::Int64) => *n,
                _ => 0,
            };
            Ok(Value::str(format_duration(n.wrapping_mul(1_000_000_000))))
        }),
    );
    // {{ durationRound "2h10m5s" }} → 2h
    funcs.insert(
        "durationRound",
        Func::new(&[Param::Any], |a| {
            let d = match &a[0] {
                Value::String(s) => parse_duration(s).unwrap_or(0),
                Value::Int(n, IntType::Int64) => *n,
                v => as_time(v).map_or(0, |t| GoTime::now().sub(t)),
            };
            Ok(Value::str(duration_round(d)))
        }),
    );
}

/// Go's `strconv.ParseInt(s, 10, 64)` (errors → None).
fn go_parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A `time.Time` parameter: text/template refuses anything else.
fn time_param(v: &Value) -> Result<&GoTime, FuncError> {
    as_time(v).ok_or_else(|| {
        FuncError::new(format!(
            "wrong type for value; expected time.Time; got {}",
            v.type_name()
        ))
    })
}

/// Sprig's `dateInZone`.
fn date_in_zone(layout: &str, date: &Value, zone: &str) -> String {
    let t = match date {
        Value::Int(n, IntType::Int | IntType::Int32 | IntType::Int64) => GoTime::unix(*n),
        v => as_time(v).cloned().unwrap_or_else(GoTime::now),
    };
    let loc = load_location(zone).unwrap_or_else(|_| Location::utc());
    t.in_loc(loc).format(layout)
}

/// Sprig's `durationRound`: the largest whole unit (y, mo, d, h, m, s).
fn duration_round(d: i64) -> String {
    let u = d.unsigned_abs();
    const SECOND: u64 = 1_000_000_000;
    let units: [(u64, &str); 6] = [
        (SECOND * 3600 * 24 * 365, "y"),
        (SECOND * 3600 * 24 * 30, "mo"),
        (SECOND * 3600 * 24, "d"),
        (SECOND * 3600, "h"),
        (SECOND * 60, "m"),
        (SECOND, "s"),
    ];
    for (size, name) in units {
        if u > size {
            return format!("{}{name}", u / size);
        }
    }
    "0s".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_as_go() {
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(90_000_000_000), "1m30s");
        assert_eq!(format_duration(1_500_000), "1.5ms");
        assert_eq!(format_duration(-3_600_000_000_000), "-1h0m0s");
        assert_eq!(parse_duration("1h30m").unwrap(), 5_400_000_000_000);
        assert_eq!(
            parse_duration("bad").unwrap_err(),
            "time: invalid duration \"bad\""
        );
    }

    #[test]
    fn parse_and_format_round_trip() {
        let t = parse::parse_in_location(
            "2006-01-02T15:04:05Z07:00",
            "2024-03-15T10:20:30+02:00",
            Location::utc(),
        )
        .unwrap();
        assert_eq!(t.sec, 1_710_490_830);
        assert_eq!(
            t.format("Jan 2, 2006 at 3:04pm (-0700)"),
            "Mar 15, 2024 at 10:20am (+0200)"
        );
    }
}
