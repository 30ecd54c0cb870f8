//! No-panic checks on hostile input: mutated chart archives, random `--set`
//! expressions and random `.helmignore` patterns (a small deterministic PRNG, so
//! failures reproduce).

use std::collections::BTreeMap;
use std::io::{Read, Write};

use flate2::{Compression, read::GzDecoder, write::GzEncoder};
use origan_chart::{ignore, load_archive, strvals};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn sample_tar() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/archives/ok-pax.tgz"
    );
    let mut out = Vec::new();
    GzDecoder::new(&std::fs::read(path).unwrap()[..])
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn mutated_archives_never_panic() {
    let tar = sample_tar();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..1500 {
        let mut t = tar.clone();
        for _ in 0..1 + rng.below(8) {
            let i = rng.below(t.len());
            t[i] = match rng.below(4) {
                0 => 0,
                1 => b'/',
                2 => b'.',
                _ => rng.next() as u8,
            };
        }
        if rng.below(4) == 0 {
            t.truncate(rng.below(t.len()));
        }
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(&t).unwrap();
        let _ = load_archive(&e.finish().unwrap());
    }
}

#[test]
fn random_set_expressions_never_panic() {
    let alphabet: Vec<char> = "ab.=[]{},\\0-19 \"'x".chars().collect();
    let mut rng = Rng(42);
    for _ in 0..20_000 {
        let len = rng.below(16);
        let expr: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        let mut m = BTreeMap::new();
        let _ = strvals::parse_set(&expr, &mut m);
        let _ = strvals::parse_set_json(&expr, &mut BTreeMap::new());
        let _ = strvals::parse_set_literal(&expr, &mut BTreeMap::new());
    }
}

#[test]
fn random_ignore_patterns_never_panic() {
    let alphabet: Vec<char> = "ab*?[]^-\\/!.☺".chars().collect();
    let names = ["a", "ab/ba", "☺b", "-", "]", "a/b/c", ""];
    let mut rng = Rng(7);
    for _ in 0..20_000 {
        let len = rng.below(10);
        let pat: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        for n in names {
            let _ = ignore::go_match(&pat, n);
        }
        if let Ok(r) = ignore::Rules::parse(&pat) {
            for n in names {
                let _ = r.ignore(n, false);
            }
        }
    }
}
