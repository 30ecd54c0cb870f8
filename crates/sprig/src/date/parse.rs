//! Go's `time.ParseInLocation` with its `ParseError` texts (`parsing time
//! "bad" as "2006-01-02": cannot parse "bad" as "2006"`).
//!
//! Owns the layout-driven scanner and Go's zone resolution rules for parsed
//! offsets and abbreviations. Does not own formatting (see `gotime`).

use std::sync::Arc;

use super::gotime::{GoTime, Std, days_in, go_time_quote as quote, is_leap, next_std_chunk};
use super::zone::Location;

const SHORT_DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const LONG_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn parse_error(layout: &str, value: &str, elem: &str, value_elem: &str, msg: &str) -> String {
    if msg.is_empty() {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(value),
            quote(layout),
            quote(value_elem),
            quote(elem)
        )
    } else {
        format!("parsing time {}{msg}", quote(value))
    }
}

/// Case-insensitive table lookup (Go's `lookup`).
fn lookup<'v>(tab: &[&str], val: &'v str) -> Option<(usize, &'v str)> {
    tab.iter().enumerate().find_map(|(i, v)| {
        let head = val.get(..v.len())?;
        head.eq_ignore_ascii_case(v).then(|| (i, &val[v.len()..]))
    })
}

fn is_digit(s: &str, i: usize) -> bool {
    s.as_bytes().get(i).is_some_and(u8::is_ascii_digit)
}

fn getnum(s: &str, fixed: bool) -> Option<(i64, &str)> {
    if !is_digit(s, 0) {
        return None;
    }
    let b = s.as_bytes();
    if !is_digit(s, 1) {
        if fixed {
            return None;
        }
        return Some((i64::from(b[0] - b'0'), &s[1..]));
    }
    Some((
        i64::from(b[0] - b'0') * 10 + i64::from(b[1] - b'0'),
        &s[2..],
    ))
}

fn getnum3(s: &str, fixed: bool) -> Option<(i64, &str)> {
    let mut n = 0;
    let mut i = 0;
    while i < 3 && is_digit(s, i) {
        n = n * 10 + i64::from(s.as_bytes()[i] - b'0');
        i += 1;
    }
    if i == 0 || (fixed && i != 3) {
        return None;
    }
    Some((n, &s[i..]))
}

/// Go's `skip`: the literal prefix, with runs of spaces matching loosely.
/// Byte-wise, as Go compares; a full match ends on a character boundary.
fn skip<'v>(value: &'v str, prefix: &str) -> Option<&'v str> {
    let (v, p) = (value.as_bytes(), prefix.as_bytes());
    let (mut i, mut j) = (0, 0);
    while j < p.len() {
        if p[j] == b' ' {
            if i < v.len() && v[i] != b' ' {
                return None;
            }
            while j < p.len() && p[j] == b' ' {
                j += 1;
            }
            while i < v.len() && v[i] == b' ' {
                i += 1;
            }
            continue;
        }
        if i >= v.len() || v[i] != p[j] {
            return None;
        }
        i += 1;
        j += 1;
    }
    value.get(i..)
}

fn atoi(s: &str) -> Option<i64> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return if digits.is_empty() { Some(0) } else { None };
    }
    let v: i64 = digits.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// Go's `parseNanoseconds`: `value[0]` is the separator.
fn parse_nanos(value: &str, nbytes: usize) -> Result<i64, ()> {
    if !matches!(value.as_bytes().first(), Some(b'.' | b',')) {
        return Err(());
    }
    let nbytes = nbytes.min(10);
    let digits = value.get(1..nbytes).ok_or(())?;
    let mut ns = atoi(digits).ok_or(())?;
    if ns < 0 {
        return Err(());
    }
    for _ in 0..(10 - nbytes) {
        ns *= 10;
    }
    Ok(ns)
}

fn parse_signed_offset(value: &str) -> usize {
    let b = value.as_bytes();
    if !matches!(b.first(), Some(b'+' | b'-')) {
        return 0;
    }
    let n = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return 0;
    }
    match value[1..1 + n].parse::<u64>() {
        Ok(x) if x <= 23 => 1 + n,
        _ => 0,
    }
}

/// Go's `parseTimeZone`: the length of a zone abbreviation at the start.
fn parse_time_zone(value: &str) -> Option<usize> {
    if value.len() < 3 {
        return None;
    }
    if value.starts_with("ChST") || value.starts_with("MeST") {
        return Some(4);
    }
    if let Some(rest) = value.strip_prefix("GMT") {
        if rest.is_empty() {
            return Some(3);
        }
        return Some(3 + parse_signed_offset(rest));
    }
    if value.starts_with('+') || value.starts_with('-') {
        let n = parse_signed_offset(value);
        return (n > 0).then_some(n);
    }
    let b = value.as_bytes();
    let upper = b
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    match upper {
        5 if b[4] == b'T' => Some(5),
        4 if b[3] == b'T' || value.starts_with("WITA") => Some(4),
        3 => Some(3),
        _ => None,
    }
}

/// Go's `time.ParseInLocation(layout, value, loc)`.
pub(crate) fn parse_in_location(
    layout_all: &str,
    value_all: &str,
    loc: Arc<Location>,
) -> Result<GoTime, String> {
    let mut layout = layout_all;
    let mut value = value_all;
    let (mut am, mut pm) = (false, false);
    let (mut year, mut month, mut day, mut yday) = (0i64, -1i64, -1i64, -1i64);
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let mut z: Option<Arc<Location>> = None;
    let mut zone_offset: Option<i64> = None;
    let mut zone_name = String::new();
    loop {
        let (prefix, std, suffix) = next_std_chunk(layout);
        let stdstr = &layout[prefix.len()..layout.len() - suffix.len()];
        value = skip(value, prefix)
            .ok_or_else(|| parse_error(layout_all, value_all, prefix, value, ""))?;
        let Some(std) = std else {
            if !value.is_empty() {
                return Err(parse_error(
                    layout_all,
                    value_all,
                    "",
                    value,
                    &format!(": extra text: {}", quote(value)),
                ));
            }
            break;
        };
        layout = suffix;
        let hold = value;
        let mut range_err = "";
        let bad = |v: &str| parse_error(layout_all, value_all, stdstr, v, "");
        let ok: Option<()> = (|| {
            match std {
                Std::Year => {
                    let p = value.get(..2)?;
                    value = &value[2..];
                    year = atoi(p)?;
                    year += if year >= 69 { 1900 } else { 2000 };
                }
                Std::LongYear => {
                    if value.len() < 4 || !is_digit(value, 0) {
                        return None;
                    }
                    let p = value.get(..4)?;
                    value = &value[4..];
                    year = atoi(p)?;
                }
                Std::Month | Std::LongMonth => {
                    let tab: &[&str] = if std == Std::Month {
                        &SHORT_MONTHS
                    } else {
                        &LONG_MONTHS
                    };
                    let (m, rest) = lookup(tab, value)?;
                    month = m as i64 + 1;
                    value = rest;
                }
                Std::NumMonth | Std::ZeroMonth => {
                    let (m, rest) = getnum(value, std == Std::ZeroMonth)?;
                    month = m;
                    value = rest;
                    if month <= 0 || month > 12 {
                        range_err = "month";
                    }
                }
                Std::WeekDay | Std::LongWeekDay => {
                    let tab: &[&str] = if std == Std::WeekDay {
                        &SHORT_DAYS
                    } else {
                        &LONG_DAYS
                    };
                    value = lookup(tab, value)?.1;
                }
                Std::Day | Std::UnderDay | Std::ZeroDay => {
                    if std == Std::UnderDay && value.starts_with(' ') {
                        value = &value[1..];
                    }
                    let (d, rest) = getnum(value, std == Std::ZeroDay)?;
                    day = d;
                    value = rest;
                }
                Std::UnderYearDay | Std::ZeroYearDay => {
                    for _ in 0..2 {
                        if std == Std::UnderYearDay && value.starts_with(' ') {
                            value = &value[1..];
                        }
                    }
                    let (d, rest) = getnum3(value, std == Std::ZeroYearDay)?;
                    yday = d;
                    value = rest;
                }
                Std::Hour => {
                    let (h, rest) = getnum(value, false)?;
                    hour = h;
                    value = rest;
                    if !(0..24).contains(&hour) {
                        range_err = "hour";
                    }
                }
                Std::Hour12 | Std::ZeroHour12 => {
                    let (h, rest) = getnum(value, std == Std::ZeroHour12)?;
                    hour = h;
                    value = rest;
                    if !(0..=12).contains(&hour) {
                        range_err = "hour";
                    }
                }
                Std::Minute | Std::ZeroMinute => {
                    let (m, rest) = getnum(value, std == Std::ZeroMinute)?;
                    min = m;
                    value = rest;
                    if !(0..60).contains(&min) {
                        range_err = "minute";
                    }
                }
                Std::Second | Std::ZeroSecond => {
                    let (s, rest) = getnum(value, std == Std::ZeroSecond)?;
                    sec = s;
                    value = rest;
                    if !(0..60).contains(&sec) {
                        range_err = "second";
                        return Some(());
                    }
                    let b = value.as_bytes();
                    if b.len() >= 2 && matches!(b[0], b'.' | b',') && b[1].is_ascii_digit() {
                        let (_, next, _) = next_std_chunk(layout);
                        if matches!(next, Some(Std::Frac(..))) {
                            return Some(());
                        }
                        let mut n = 2;
                        while is_digit(value, n) {
                            n += 1;
                        }
                        nsec = parse_nanos(value, n).ok()?;
                        value = &value[n..];
                    }
                }
                Std::PM | Std::Pm => {
                    let p = value.get(..2)?;
                    value = &value[2..];
                    let (up, low) = if std == Std::PM {
                        ("PM", "AM")
                    } else {
                        ("pm", "am")
                    };
                    if p == up {
                        pm = true;
                    } else if p == low {
                        am = true;
                    } else {
                        return None;
                    }
                }
                Std::TZ => {
                    if value.starts_with("UTC") {
                        z = Some(Location::utc());
                        value = &value[3..];
                        return Some(());
                    }
                    let n = parse_time_zone(value)?;
                    zone_name = value[..n].to_string();
                    value = &value[n..];
                }
                Std::Frac(n, _, false) => {
                    let ndigit = 1 + n;
                    if value.len() < ndigit {
                        return None;
                    }
                    nsec = parse_nanos(value, ndigit).ok()?;
                    value = &value[ndigit..];
                }
                Std::Frac(_, _, true) => {
                    let b = value.as_bytes();
                    if b.len() < 2 || !matches!(b[0], b'.' | b',') || !b[1].is_ascii_digit() {
                        return Some(());
                    }
                    let mut i = 0;
                    while is_digit(value, i + 1) {
                        i += 1;
                    }
                    nsec = parse_nanos(value, 1 + i).ok()?;
                    value = &value[1 + i..];
                }
                zone_std => {
                    let iso = matches!(
                        zone_std,
                        Std::Iso8601TZ
                            | Std::Iso8601ShortTZ
                            | Std::Iso8601ColonTZ
                            | Std::Iso8601SecondsTZ
                            | Std::Iso8601ColonSecondsTZ
                    );
                    if iso && value.starts_with('Z') {
                        value = &value[1..];
                        z = Some(Location::utc());
                        return Some(());
                    }
                    let b = value.as_bytes();
                    let g = |r: std::ops::Range<usize>| value.get(r);
                    let (sign, hh, mm, ss, rest) = match zone_std {
                        Std::Iso8601ColonTZ | Std::NumColonTZ => {
                            if b.len() < 6 || b[3] != b':' {
                                return None;
                            }
                            (g(0..1)?, g(1..3)?, g(4..6)?, "00", value.get(6..)?)
                        }
                        Std::NumShortTZ | Std::Iso8601ShortTZ => {
                            (g(0..1)?, g(1..3)?, "00", "00", value.get(3..)?)
                        }
                        Std::Iso8601ColonSecondsTZ | Std::NumColonSecondsTZ => {
                            if b.len() < 9 || b[3] != b':' || b[6] != b':' {
                                return None;
                            }
                            (g(0..1)?, g(1..3)?, g(4..6)?, g(7..9)?, value.get(9..)?)
                        }
                        Std::Iso8601SecondsTZ | Std::NumSecondsTz => {
                            (g(0..1)?, g(1..3)?, g(3..5)?, g(5..7)?, value.get(7..)?)
                        }
                        _ => (g(0..1)?, g(1..3)?, g(3..5)?, "00", value.get(5..)?),
                    };
                    value = rest;
                    let hr = getnum(hh, true)?.0;
                    let mm = getnum(mm, true)?.0;
                    let ss = getnum(ss, true)?.0;
                    if hr > 24 {
                        range_err = "time zone offset hour";
                    }
                    if mm > 60 {
                        range_err = "time zone offset minute";
                    }
                    if ss > 60 {
                        range_err = "time zone offset second";
                    }
                    let off = (hr * 60 + mm) * 60 + ss;
                    zone_offset = Some(match sign {
                        "+" => off,
                        "-" => -off,
                        _ => return None,
                    });
                }
            }
            Some(())
        })();
        if !range_err.is_empty() {
            return Err(parse_error(
                layout_all,
                value_all,
                stdstr,
                value,
                &format!(": {range_err} out of range"),
            ));
        }
        if ok.is_none() {
            return Err(bad(hold));
        }
    }
    if pm && hour < 12 {
        hour += 12;
    } else if am && hour == 12 {
        hour = 0;
    }
    let fail = |msg: &str| Err(parse_error(layout_all, value_all, "", value, msg));
    if yday >= 0 {
        let (mut m, mut d) = (0, 0);
        if is_leap(year) {
            if yday == 31 + 29 {
                m = 2;
                d = 29;
            } else if yday > 31 + 29 {
                yday -= 1;
            }
        }
        if !(1..=365).contains(&yday) {
            return fail(": day-of-year out of range");
        }
        if m == 0 {
            m = (yday - 1) / 31 + 1;
            if days_before(m + 1) < yday {
                m += 1;
            }
            d = yday - days_before(m);
        }
        if month >= 0 && month != m {
            return fail(": day-of-year does not match month");
        }
        month = m;
        if day >= 0 && day != d {
            return fail(": day-of-year does not match day");
        }
        day = d;
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }
    if day < 1 || day > days_in(month, year) {
        return fail(": day out of range");
    }
    if let Some(z) = z {
        return Ok(GoTime::date(year, month, day, hour, min, sec, nsec, z));
    }
    if let Some(off) = zone_offset {
        let mut t = GoTime::date(year, month, day, hour, min, sec, nsec, Location::utc());
        t.sec -= off;
        let (name, local_off) = loc.lookup(t.sec);
        if i64::from(local_off) == off && (zone_name.is_empty() || name == zone_name) {
            return Ok(t.in_loc(loc));
        }
        return Ok(t.in_loc(Location::fixed(&zone_name, off as i32)));
    }
    if !zone_name.is_empty() {
        let mut t = GoTime::date(year, month, day, hour, min, sec, nsec, Location::utc());
        // Go's lookupName: a zone of that name in effect near that time.
        for guess in [0i64, -1] {
            let probe = if guess == 0 {
                t.sec
            } else {
                t.sec - i64::from(loc.lookup(t.sec).1)
            };
            let (name, off) = loc.lookup(probe);
            if name == zone_name {
                t.sec -= i64::from(off);
                return Ok(t.in_loc(loc));
            }
        }
        let mut offset = 0;
        if zone_name.len() > 3 && zone_name.starts_with("GMT") {
            offset = atoi(&zone_name[3..]).unwrap_or(0) * 3600;
        }
        return Ok(t.in_loc(Location::fixed(&zone_name, offset as i32)));
    }
    Ok(GoTime::date(year, month, day, hour, min, sec, nsec, loc))
}

/// Days before the first of month `m` in a non-leap year (Go's
/// `daysBefore`).
fn days_before(m: i64) -> i64 {
    const CUM: [i64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
    CUM[(m - 1).clamp(0, 12) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every layout element against short odd values: errors, never panics.
    #[test]
    fn odd_values_do_not_panic() {
        let layouts = [
            "2006-01-02T15:04:05.999999999Z07:00",
            "Mon Jan _2 15:04:05 MST 2006",
            "002 __2 06 3PM pm -07:00:00 Z070000 -07 .000 ,9",
            "January Monday 1 2 4 5",
        ];
        const ALPHABET: &[&str] = &["0", "9", "-", "+", ":", ".", ",", " ", "é", "Z", "M", "P"];
        let mut values = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for v in &values {
                for a in ALPHABET {
                    next.push(format!("{v}{a}"));
                }
            }
            values = next;
        }
        for layout in layouts {
            for v in &values {
                let _ = parse_in_location(layout, v, Location::utc());
            }
        }
    }
}
