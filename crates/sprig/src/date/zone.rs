//! Go's `*time.Location`: `UTC`, `Local`, fixed zones and IANA zones
//! loaded the way Go's `time.LoadLocation` finds them (the `ZONEINFO`
//! directory, then the system zoneinfo directories; no embedded database),
//! with `Local` built from `TZ` exactly as Go's `initLocal` does.
//!
//! Owns zone lookup (offset and abbreviation at an instant). Does not own
//! calendar arithmetic or layouts (see `gotime`). TZif decoding and POSIX
//! rules are jiff's.

use std::sync::{Arc, OnceLock};

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// A Go `*time.Location`.
pub(crate) struct Location {
    /// `Location.String()`: "UTC", "Local", "Europe/Berlin", or a fixed
    /// zone's name.
    pub name: String,
    zone: Zone,
}

enum Zone {
    Utc,
    Fixed { abbr: String, offset: i32 },
    Tz(TimeZone),
}

impl Location {
    /// Go's `time.UTC`.
    pub fn utc() -> Arc<Location> {
        static UTC: OnceLock<Arc<Location>> = OnceLock::new();
        UTC.get_or_init(|| {
            Arc::new(Location {
                name: "UTC".to_string(),
                zone: Zone::Utc,
            })
        })
        .clone()
    }

    /// Go's `time.FixedZone(name, offset)`.
    pub fn fixed(name: &str, offset: i32) -> Arc<Location> {
        Arc::new(Location {
            name: name.to_string(),
            zone: Zone::Fixed {
                abbr: name.to_string(),
                offset,
            },
        })
    }

    /// Go's `time.Local`, from `TZ` (unset: `/etc/localtime`; empty or
    /// unloadable: UTC named "UTC").
    pub fn local() -> Arc<Location> {
        static LOCAL: OnceLock<Arc<Location>> = OnceLock::new();
        LOCAL.get_or_init(init_local).clone()
    }

    /// Zone abbreviation and offset (seconds east of UTC) in effect at the
    /// Unix second `unix` (Go's `Location.lookup`).
    pub fn lookup(&self, unix: i64) -> (String, i32) {
        match &self.zone {
            Zone::Utc => ("UTC".to_string(), 0),
            Zone::Fixed { abbr, offset } => (abbr.clone(), *offset),
            Zone::Tz(tz) => {
                let clamped = unix.clamp(-377_705_116_800, 253_402_207_200);
                let ts = Timestamp::from_second(clamped).unwrap_or(Timestamp::UNIX_EPOCH);
                let info = tz.to_offset_info(ts);
                (info.abbreviation().to_string(), info.offset().seconds())
            }
        }
    }

    /// Whether daylight saving time is in effect at `unix`.
    pub fn is_dst(&self, unix: i64) -> bool {
        match &self.zone {
            Zone::Tz(tz) => Timestamp::from_second(unix)
                .map(|ts| tz.to_offset_info(ts).dst().is_dst())
                .unwrap_or(false),
            _ => false,
        }
    }
}

/// Go's `time.LoadLocation`.
pub(crate) fn load_location(name: &str) -> Result<Arc<Location>, String> {
    if name.is_empty() || name == "UTC" {
        return Ok(Location::utc());
    }
    if name == "Local" {
        return Ok(Location::local());
    }
    if name.split('/').any(|e| e == "..") || name.starts_with('/') || name.starts_with('\\') {
        return Err("time: invalid location name".to_string());
    }
    load_named(name, name).ok_or_else(|| format!("unknown time zone {name}"))
}

const ZONE_DIRS: [&str; 4] = [
    "/usr/share/zoneinfo/",
    "/usr/share/lib/zoneinfo/",
    "/usr/lib/locale/TZ/",
    "/etc/zoneinfo/",
];

fn load_named(name: &str, display: &str) -> Option<Arc<Location>> {
    let mut dirs: Vec<String> = Vec::new();
    if let Some(z) = std::env::var("ZONEINFO").ok().filter(|z| !z.is_empty()) {
        dirs.push(format!("{}/", z.trim_end_matches('/')));
    }
    dirs.extend(ZONE_DIRS.iter().map(|d| d.to_string()));
    dirs.into_iter()
        .find_map(|dir| load_file(&format!("{dir}{name}"), display))
}

fn load_file(path: &str, display: &str) -> Option<Arc<Location>> {
    let data = std::fs::read(path).ok()?;
    let tz = TimeZone::tzif(display, &data).ok()?;
    Some(Arc::new(Location {
        name: display.to_string(),
        zone: Zone::Tz(tz),
    }))
}

fn utc_named_utc() -> Arc<Location> {
    Location::utc()
}

fn init_local() -> Arc<Location> {
    match std::env::var("TZ") {
        Err(_) => load_file("/etc/localtime", "Local").unwrap_or_else(utc_named_utc),
        Ok(tz) => {
            let tz = tz.strip_prefix(':').unwrap_or(&tz);
            if tz.starts_with('/') {
                let display = if tz == "/etc/localtime" { "Local" } else { tz };
                load_file(tz, display).unwrap_or_else(utc_named_utc)
            } else if !tz.is_empty() && tz != "UTC" {
                load_named(tz, tz).unwrap_or_else(utc_named_utc)
            } else {
                utc_named_utc()
            }
        }
    }
}
