//! Fuzz target: Helm's `--set` family parsers (origan-chart strvals):
//! `parse_set`, `parse_set_string`, `parse_set_json`, `parse_set_literal` and
//! `parse_set_file` (with an in-memory reader). Owns only "never panic"; the
//! parsed result is checked against Helm by the chart crate's tests.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use origan_chart::strvals;
use origan_yaml::Data;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut m = BTreeMap::new();
    let _ = strvals::parse_set(text, &mut m);
    // Applying a second time onto the filled map exercises merges into
    // existing lists and maps.
    let _ = strvals::parse_set(text, &mut m);
    let _ = strvals::parse_set_string(text, &mut m);
    let _ = strvals::parse_set_json(text, &mut BTreeMap::new());
    let _ = strvals::parse_set_literal(text, &mut BTreeMap::new());
    let mut reader = |s: &str| -> Result<Data, String> { Ok(Data::String(s.to_string())) };
    let _ = strvals::parse_set_file(text, &mut BTreeMap::new(), &mut reader);
});
