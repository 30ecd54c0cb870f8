//! Go's `time.Time` and `time.Duration` value semantics: civil calendar
//! arithmetic (`time.Date` normalisation), layouts (`Time.Format` and
//! `time.ParseInLocation`, with Go's `ParseError` texts), `String()` with
//! the monotonic `m=±…` suffix, and `ParseDuration`/`Duration.String`.
//!
//! Owns the algorithms of Go's `time/format.go` re-expressed in Rust. Does
//! not own zones (see `zone`) nor the template object wrappers (see
//! `objects`).

use std::sync::{Arc, OnceLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::zone::Location;

/// A Go `time.Time`.
#[derive(Clone)]
pub(crate) struct GoTime {
    /// Seconds since the Unix epoch.
    pub sec: i64,
    /// Nanoseconds within the second, 0..1e9.
    pub nsec: i64,
    /// The location used for display.
    pub loc: Arc<Location>,
    /// The monotonic clock reading (ns since process start), kept only by
    /// `now` and `Add`, as Go does.
    pub mono: Option<i64>,
}

/// Unix seconds of Go's zero time, January 1, year 1, 00:00:00 UTC.
pub(crate) const ZERO_UNIX: i64 = -62_135_596_800;

const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
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

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y.wrapping_sub(1) } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = ((153 * mp + 2) / 5).wrapping_add(d).wrapping_sub(1);
    let doe = (yoe * 365 + yoe / 4 - yoe / 100).wrapping_add(doy);
    era.wrapping_mul(146_097).wrapping_add(doe - 719_468)
}

/// (year, month, day) of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z.wrapping_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe.wrapping_add(era.wrapping_mul(400));
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub(crate) fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

pub(crate) fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn process_start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

/// Civil fields of a time in its location.
pub(crate) struct Civil {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub min: i64,
    pub sec: i64,
    pub yday: i64,
    pub weekday: usize,
    pub abbr: String,
    pub offset: i32,
}

impl GoTime {
    /// Go's `time.Now()` (Local, with a monotonic reading).
    pub fn now() -> GoTime {
        let start = process_start();
        let d = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        GoTime {
            sec: d.as_secs() as i64,
            nsec: i64::from(d.subsec_nanos()),
            loc: Location::local(),
            mono: Some(start.elapsed().as_nanos() as i64 + 1),
        }
    }

    /// Go's `time.Unix(sec, 0)` (Local).
    pub fn unix(sec: i64) -> GoTime {
        GoTime {
            sec,
            nsec: 0,
            loc: Location::local(),
            mono: None,
        }
    }

    /// Go's zero `time.Time{}` (UTC).
    pub fn zero() -> GoTime {
        GoTime {
            sec: ZERO_UNIX,
            nsec: 0,
            loc: Location::utc(),
            mono: None,
        }
    }

    /// Go's `time.Date`, normalising out-of-range fields.
    #[allow(clippy::too_many_arguments)]
    pub fn date(
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        min: i64,
        sec: i64,
        nsec: i64,
        loc: Arc<Location>,
    ) -> GoTime {
        let m = month.wrapping_sub(1);
        let year = year.wrapping_add(m.div_euclid(12));
        let month = m.rem_euclid(12) + 1;
        let sec = sec + nsec.div_euclid(1_000_000_000);
        let nsec = nsec.rem_euclid(1_000_000_000);
        let min = min + sec.div_euclid(60);
        let sec = sec.rem_euclid(60);
        let hour = hour + min.div_euclid(60);
        let min = min.rem_euclid(60);
        let day = day.wrapping_add(hour.div_euclid(24));
        let hour = hour.rem_euclid(24);
        // Wrapping: absurd AddDate/int64 inputs must not panic.
        let days = days_from_civil(year, month, 1).wrapping_add(day - 1);
        let mut unix = days
            .wrapping_mul(86_400)
            .wrapping_add(hour * 3600 + min * 60 + sec);
        // Go: look up the offset for the local wall time treated as UTC,
        // then re-check with the corrected instant.
        let (_, off1) = loc.lookup(unix);
        if off1 != 0 {
            let utc = unix - i64::from(off1);
            let (_, off2) = loc.lookup(utc);
            unix -= i64::from(if off2 != off1 { off2 } else { off1 });
        }
        GoTime {
            sec: unix,
            nsec,
            loc,
            mono: None,
        }
    }

    /// The same instant shown in `loc` (Go's `In`, `UTC`, `Local`: the
    /// monotonic reading is dropped).
    pub fn in_loc(&self, loc: Arc<Location>) -> GoTime {
        GoTime {
            sec: self.sec,
            nsec: self.nsec,
            loc,
            mono: None,
        }
    }

    /// Go's `Add` with a nanosecond duration.
    pub fn add(&self, d: i64) -> GoTime {
        let total = i128::from(self.nsec) + i128::from(d % 1_000_000_000);
        let mut sec = self.sec.saturating_add(d / 1_000_000_000);
        let mut nsec = total as i64;
        if nsec >= 1_000_000_000 {
            sec += 1;
            nsec -= 1_000_000_000;
        } else if nsec < 0 {
            sec -= 1;
            nsec += 1_000_000_000;
        }
        GoTime {
            sec,
            nsec,
            loc: self.loc.clone(),
            mono: self.mono.map(|m| m.wrapping_add(d)),
        }
    }

    /// Go's `Sub`: `self - other` in nanoseconds, saturating.
    pub fn sub(&self, other: &GoTime) -> i64 {
        if let (Some(a), Some(b)) = (self.mono, other.mono) {
            return a.saturating_sub(b);
        }
        let ns = (i128::from(self.sec) - i128::from(other.sec)) * 1_000_000_000
            + i128::from(self.nsec - other.nsec);
        ns.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// Civil fields in the time's location.
    pub fn civil(&self) -> Civil {
        let (abbr, offset) = self.loc.lookup(self.sec);
        let local = self.sec.wrapping_add(i64::from(offset));
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: secs / 3600,
            min: secs % 3600 / 60,
            sec: secs % 60,
            yday: days - days_from_civil(year, 1, 1) + 1,
            weekday: (days + 4).rem_euclid(7) as usize,
            abbr,
            offset,
        }
    }

    /// Go's `Time.String()`.
    pub fn go_string(&self) -> String {
        let mut s = self.format("2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(m) = self.mono {
            let sign = if m < 0 { '-' } else { '+' };
            let m2 = m.unsigned_abs();
            let (m1, m2) = (m2 / 1_000_000_000, m2 % 1_000_000_000);
            let (m0, m1) = (m1 / 1_000_000_000, m1 % 1_000_000_000);
            s.push_str(" m=");
            s.push(sign);
            if m0 != 0 {
                s.push_str(&format!("{m0}{m1:09}"));
            } else {
                s.push_str(&m1.to_string());
            }
            s.push_str(&format!(".{m2:09}"));
        }
        s
    }

    /// Go's `Time.Format`.
    pub fn format(&self, layout: &str) -> String {
        let c = self.civil();
        let mut b = String::with_capacity(layout.len() + 10);
        let mut rest = layout;
        while !rest.is_empty() {
            let (prefix, std, suffix) = next_std_chunk(rest);
            b.push_str(prefix);
            let Some(std) = std else { break };
            rest = suffix;
            format_std(&mut b, std, &c, self.nsec);
        }
        b
    }

    /// Month name (`time.Month.String()`).
    pub fn month_name(month: i64) -> &'static str {
        LONG_MONTHS[(month - 1).clamp(0, 11) as usize]
    }

    /// Weekday name (`time.Weekday.String()`).
    pub fn weekday_name(d: usize) -> &'static str {
        LONG_DAYS[d % 7]
    }
}

/// A layout element (Go's `std*` constants).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    TZ,
    Iso8601TZ,
    Iso8601SecondsTZ,
    Iso8601ShortTZ,
    Iso8601ColonTZ,
    Iso8601ColonSecondsTZ,
    NumTZ,
    NumSecondsTz,
    NumShortTZ,
    NumColonTZ,
    NumColonSecondsTZ,
    /// Fractional seconds: digits, separator, trailing zeros trimmed.
    Frac(usize, u8, bool),
}

fn starts_lower(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
}

/// Go's `nextStdChunk`: (text before, element, text after).
pub(crate) fn next_std_chunk(layout: &str) -> (&str, Option<Std>, &str) {
    let b = layout.as_bytes();
    let at = |i: usize, s: &str| layout.get(i..i + s.len()) == Some(s);
    for i in 0..b.len() {
        let hit = |std: Std, len: usize| Some((&layout[..i], Some(std), &layout[i + len..]));
        let found = match b[i] {
            b'J' if at(i, "Jan") => {
                if at(i, "January") {
                    hit(Std::LongMonth, 7)
                } else if !starts_lower(&layout[i + 3..]) {
                    hit(Std::Month, 3)
                } else {
                    None
                }
            }
            b'M' if at(i, "Mon") && at(i, "Monday") => hit(Std::LongWeekDay, 6),
            b'M' if at(i, "Mon") && !starts_lower(&layout[i + 3..]) => hit(Std::WeekDay, 3),
            b'M' if at(i, "MST") => hit(Std::TZ, 3),
            b'0' if matches!(b.get(i + 1), Some(b'1'..=b'6')) => {
                let std = [
                    Std::ZeroMonth,
                    Std::ZeroDay,
                    Std::ZeroHour12,
                    Std::ZeroMinute,
                    Std::ZeroSecond,
                    Std::Year,
                ][(b[i + 1] - b'1') as usize];
                hit(std, 2)
            }
            b'0' if at(i, "002") => hit(Std::ZeroYearDay, 3),
            b'1' if b.get(i + 1) == Some(&b'5') => hit(Std::Hour, 2),
            b'1' => hit(Std::NumMonth, 1),
            b'2' if at(i, "2006") => hit(Std::LongYear, 4),
            b'2' => hit(Std::Day, 1),
            b'_' if b.get(i + 1) == Some(&b'2') => {
                if at(i + 1, "2006") {
                    return (&layout[..i + 1], Some(Std::LongYear), &layout[i + 5..]);
                }
                hit(Std::UnderDay, 2)
            }
            b'_' if at(i, "__2") => hit(Std::UnderYearDay, 3),
            b'3' => hit(Std::Hour12, 1),
            b'4' => hit(Std::Minute, 1),
            b'5' => hit(Std::Second, 1),
            b'P' if b.get(i + 1) == Some(&b'M') => hit(Std::PM, 2),
            b'p' if b.get(i + 1) == Some(&b'm') => hit(Std::Pm, 2),
            b'-' if at(i, "-070000") => hit(Std::NumSecondsTz, 7),
            b'-' if at(i, "-07:00:00") => hit(Std::NumColonSecondsTZ, 9),
            b'-' if at(i, "-0700") => hit(Std::NumTZ, 5),
            b'-' if at(i, "-07:00") => hit(Std::NumColonTZ, 6),
            b'-' if at(i, "-07") => hit(Std::NumShortTZ, 3),
            b'Z' if at(i, "Z070000") => hit(Std::Iso8601SecondsTZ, 7),
            b'Z' if at(i, "Z07:00:00") => hit(Std::Iso8601ColonSecondsTZ, 9),
            b'Z' if at(i, "Z0700") => hit(Std::Iso8601TZ, 5),
            b'Z' if at(i, "Z07:00") => hit(Std::Iso8601ColonTZ, 6),
            b'Z' if at(i, "Z07") => hit(Std::Iso8601ShortTZ, 3),
            b'.' | b',' if matches!(b.get(i + 1), Some(b'0' | b'9')) => {
                let ch = b[i + 1];
                let mut j = i + 1;
                while j < b.len() && b[j] == ch {
                    j += 1;
                }
                if b.get(j).is_some_and(u8::is_ascii_digit) {
                    None
                } else {
                    hit(Std::Frac(j - (i + 1), b[i], ch == b'9'), j - i)
                }
            }
            _ => None,
        };
        if let Some(f) = found {
            return f;
        }
    }
    (layout, None, "")
}

fn pad(b: &mut String, x: i64, width: usize) {
    if x < 0 {
        b.push('-');
    }
    b.push_str(&format!("{:0width$}", x.unsigned_abs()));
}

fn format_std(b: &mut String, std: Std, c: &Civil, nsec: i64) {
    match std {
        Std::Year => pad(b, c.year.abs() % 100, 2),
        Std::LongYear => pad(b, c.year, 4),
        Std::Month => b.push_str(&GoTime::month_name(c.month)[..3]),
        Std::LongMonth => b.push_str(GoTime::month_name(c.month)),
        Std::NumMonth => pad(b, c.month, 0),
        Std::ZeroMonth => pad(b, c.month, 2),
        Std::WeekDay => b.push_str(&GoTime::weekday_name(c.weekday)[..3]),
        Std::LongWeekDay => b.push_str(GoTime::weekday_name(c.weekday)),
        Std::Day => pad(b, c.day, 0),
        Std::UnderDay => {
            if c.day < 10 {
                b.push(' ');
            }
            pad(b, c.day, 0);
        }
        Std::ZeroDay => pad(b, c.day, 2),
        Std::UnderYearDay => {
            if c.yday < 100 {
                b.push(' ');
                if c.yday < 10 {
                    b.push(' ');
                }
            }
            pad(b, c.yday, 0);
        }
        Std::ZeroYearDay => pad(b, c.yday, 3),
        Std::Hour => pad(b, c.hour, 2),
        Std::Hour12 | Std::ZeroHour12 => {
            let hr = if c.hour % 12 == 0 { 12 } else { c.hour % 12 };
            pad(b, hr, if std == Std::Hour12 { 0 } else { 2 });
        }
        Std::Minute => pad(b, c.min, 0),
        Std::ZeroMinute => pad(b, c.min, 2),
        Std::Second => pad(b, c.sec, 0),
        Std::ZeroSecond => pad(b, c.sec, 2),
        Std::PM => b.push_str(if c.hour >= 12 { "PM" } else { "AM" }),
        Std::Pm => b.push_str(if c.hour >= 12 { "pm" } else { "am" }),
        Std::TZ => {
            if !c.abbr.is_empty() {
                b.push_str(&c.abbr);
            } else {
                let zone = c.offset / 60;
                b.push(if zone < 0 { '-' } else { '+' });
                let zone = i64::from(zone.abs());
                pad(b, zone / 60, 2);
                pad(b, zone % 60, 2);
            }
        }
        Std::Frac(n, sep, trim) => {
            if trim && (n == 0 || nsec == 0) {
                return;
            }
            let digits = format!("{nsec:09}");
            let mut frac = digits[..n.min(9)].to_string();
            if trim {
                frac = frac.trim_end_matches('0').to_string();
                if frac.is_empty() {
                    return;
                }
            }
            b.push(sep as char);
            b.push_str(&frac);
        }
        zone_std => {
            let iso = matches!(
                zone_std,
                Std::Iso8601TZ
                    | Std::Iso8601ColonTZ
                    | Std::Iso8601SecondsTZ
                    | Std::Iso8601ShortTZ
                    | Std::Iso8601ColonSecondsTZ
            );
            if c.offset == 0 && iso {
                b.push('Z');
                return;
            }
            let zone = c.offset / 60;
            let absoffset = i64::from(c.offset.abs());
            b.push(if zone < 0 { '-' } else { '+' });
            let zone = i64::from(zone.abs());
            pad(b, zone / 60, 2);
            let colon = matches!(
                zone_std,
                Std::Iso8601ColonTZ
                    | Std::NumColonTZ
                    | Std::Iso8601ColonSecondsTZ
                    | Std::NumColonSecondsTZ
            );
            if colon {
                b.push(':');
            }
            if !matches!(zone_std, Std::NumShortTZ | Std::Iso8601ShortTZ) {
                pad(b, zone % 60, 2);
            }
            if matches!(
                zone_std,
                Std::Iso8601SecondsTZ
                    | Std::NumSecondsTz
                    | Std::NumColonSecondsTZ
                    | Std::Iso8601ColonSecondsTZ
            ) {
                if colon {
                    b.push(':');
                }
                pad(b, absoffset % 60, 2);
            }
        }
    }
}

/// Go's `Duration.String()`.
pub(crate) fn format_duration(d: i64) -> String {
    let neg = d < 0;
    let mut u = d.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        if u == 0 {
            return "0s".to_string();
        }
        let (prec, unit) = if u < 1_000 {
            (0, "ns")
        } else if u < 1_000_000 {
            (3, "µs")
        } else {
            (6, "ms")
        };
        let (frac, int) = frac_part(u, prec);
        out.push_str(&int.to_string());
        out.push_str(&frac);
        out.push_str(unit);
    } else {
        let (frac, secs) = frac_part(u, 9);
        u = secs;
        let s = u % 60;
        u /= 60;
        let mut parts = format!("{s}{frac}s");
        if u > 0 {
            parts = format!("{}m{parts}", u % 60);
            u /= 60;
            if u > 0 {
                parts = format!("{u}h{parts}");
            }
        }
        out = parts;
    }
    if neg {
        out.insert(0, '-');
    }
    out
}

/// Go's `fmtFrac`: (".123" without trailing zeros, v / 10^prec).
fn frac_part(v: u64, prec: u32) -> (String, u64) {
    if prec == 0 {
        return (String::new(), v);
    }
    let p = 10u64.pow(prec);
    let frac = v % p;
    let digits = format!("{frac:0width$}", width = prec as usize);
    let digits = digits.trim_end_matches('0');
    let s = if digits.is_empty() {
        String::new()
    } else {
        format!(".{digits}")
    };
    (s, v / p)
}

/// Go's `time.ParseDuration` (nanoseconds), with Go's error text.
pub(crate) fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_time_quote(orig));
    let mut s = orig;
    let mut neg = false;
    if let Some(c) = s.chars().next().filter(|c| *c == '-' || *c == '+') {
        neg = c == '-';
        s = &s[1..];
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut d: u64 = 0;
    while !s.is_empty() {
        let b = s.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let mut v: u64 = 0;
        for &c in &b[..n] {
            if v > (1 << 63) / 10 {
                return Err(invalid());
            }
            v = v * 10 + u64::from(c - b'0');
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        let pre = n > 0;
        s = &s[n..];
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if let Some(rest) = s.strip_prefix('.') {
            s = rest;
            let m = s.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflow = false;
            for c in s[..m].bytes() {
                if overflow {
                    continue;
                }
                if f > ((1u64 << 63) - 1) / 10 {
                    overflow = true;
                    continue;
                }
                let y = f * 10 + u64::from(c - b'0');
                if y > 1 << 63 {
                    overflow = true;
                    continue;
                }
                f = y;
                scale *= 10.0;
            }
            post = m > 0;
            s = &s[m..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        let ulen = s
            .bytes()
            .take_while(|&c| c != b'.' && !c.is_ascii_digit())
            .count();
        if ulen == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                go_time_quote(orig)
            ));
        }
        let u = &s[..ulen];
        s = &s[ulen..];
        let unit: u64 = match u {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_time_quote(u),
                    go_time_quote(orig)
                ));
            }
        };
        if v > (1 << 63) / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        d += v;
        if d > 1 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > (1 << 63) - 1 {
        return Err(invalid());
    }
    Ok(d as i64)
}

/// The `quote` of Go's time package: `\xNN` for non-ASCII and controls.
pub(crate) fn go_time_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if !c.is_ascii() || c < ' ' {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{byte:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}
