//! Fuzz target: the YAML reader and writer (origan-yaml). Owns the property
//! "any text either reads or errors, and whatever reads writes back and reads
//! again" — never a panic. Does not compare with Go's yaml (conformance does).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = origan_yaml::parse_documents(text);
    let _ = origan_yaml::split_manifests(text);
    if let Ok(d) = origan_yaml::from_yaml(text) {
        // Round trip: what we write must be YAML we can read back.
        let out = origan_yaml::to_yaml(&d).expect("to_yaml of read data");
        origan_yaml::from_yaml(&out).expect("re-reading to_yaml output");
        let _ = origan_yaml::to_yaml_pretty(&d);
        let _ = origan_yaml::to_json(&d);
    }
});
