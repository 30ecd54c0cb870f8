//! `strconv.FormatFloat` for the verbs fmt uses: decimal digits come from
//! Rust's exact shortest / fixed-precision formatting, and the layout
//! (`%e` with a two-digit exponent, `%g`'s switch to exponent form when the
//! exponent is < -4 or >= the precision, 6 for the shortest form) follows
//! Go's `strconv/ftoa.go`.

/// Significant decimal digits (no trailing zeros) and the decimal point
/// position: value = 0.DIGITS × 10^dp.
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

/// Parses Rust's `{:e}` output (`1.2345e7`) into digits.
fn digits_from_exp(s: &str) -> Digits {
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut d: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while d.last() == Some(&b'0') {
        d.pop();
    }
    if d.is_empty() {
        return Digits { d, dp: 0 };
    }
    Digits { d, dp: exp + 1 }
}

fn shortest(v: f64) -> Digits {
    digits_from_exp(&format!("{v:e}"))
}

fn fixed(v: f64, n: usize) -> Digits {
    digits_from_exp(&format!("{:.*e}", n.saturating_sub(1), v))
}

fn fmt_e(digs: &Digits, prec: usize, e: char) -> String {
    let mut s = String::new();
    s.push(digs.d.first().map_or('0', |c| *c as char));
    if prec > 0 {
        s.push('.');
        let mut i = 1;
        let m = digs.d.len().min(prec + 1);
        while i < m {
            s.push(digs.d[i] as char);
            i += 1;
        }
        while i <= prec {
            s.push('0');
            i += 1;
        }
    }
    s.push(e);
    let exp = if digs.d.is_empty() { 0 } else { digs.dp - 1 };
    s.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        s.push('0');
    }
    s.push_str(&a.to_string());
    s
}

fn fmt_f(digs: &Digits, prec: usize) -> String {
    let mut s = String::new();
    if digs.dp > 0 {
        let dp = digs.dp as usize;
        let m = digs.d.len().min(dp);
        s.extend(digs.d[..m].iter().map(|c| *c as char));
        for _ in m..dp {
            s.push('0');
        }
    } else {
        s.push('0');
    }
    if prec > 0 {
        s.push('.');
        for i in 1..=prec {
            let j = digs.dp + i as i32 - 1;
            let c = if j >= 0 && (j as usize) < digs.d.len() {
                digs.d[j as usize] as char
            } else {
                '0'
            };
            s.push(c);
        }
    }
    s
}

/// `strconv.FormatFloat(v, verb, prec, 64)` for a non-negative finite `v`
/// (`None` precision = shortest, Go's -1).
pub fn format_float(v: f64, verb: char, prec: Option<usize>) -> String {
    match verb {
        'e' | 'E' => {
            let digs = match prec {
                None => shortest(v),
                Some(p) => fixed(v, p + 1),
            };
            let p = prec.unwrap_or(digs.d.len().saturating_sub(1));
            fmt_e(&digs, p, verb)
        }
        'f' | 'F' => match prec {
            Some(p) => format!("{v:.p$}"),
            None => {
                let digs = shortest(v);
                let p = (digs.d.len() as i32 - digs.dp).max(0) as usize;
                fmt_f(&digs, p)
            }
        },
        'g' | 'G' => {
            let e = if verb == 'g' { 'e' } else { 'E' };
            let (digs, mut p, short) = match prec {
                None => {
                    let d = shortest(v);
                    let n = d.d.len();
                    (d, n, true)
                }
                Some(p) => {
                    let p = p.max(1);
                    (fixed(v, p), p, false)
                }
            };
            let nd = digs.d.len();
            let mut eprec = p as i32;
            if eprec > nd as i32 && nd as i32 >= digs.dp {
                eprec = nd as i32;
            }
            if short {
                eprec = 6;
            }
            let exp = digs.dp - 1;
            if exp < -4 || exp >= eprec {
                if p > nd {
                    p = nd;
                }
                return fmt_e(&digs, p.saturating_sub(1), e);
            }
            if p as i32 > digs.dp {
                p = nd;
            }
            fmt_f(&digs, (p as i32 - digs.dp).max(0) as usize)
        }
        'x' | 'X' => fmt_x(v, verb, prec),
        'b' => fmt_b(v),
        _ => format_float(v, 'g', prec),
    }
}

/// The binary parts of a float64 as strconv sees them: mantissa with the
/// implicit bit and unbiased exponent, value = mant × 2^(exp-52).
fn parts(v: f64) -> (u64, i64) {
    let bits = v.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        exp += 1;
    } else {
        mant |= 1u64 << 52;
    }
    (mant, exp - 1023)
}

/// strconv's `%b`: decimal mantissa, `p`, binary exponent (`4503599627370496p-52`).
fn fmt_b(v: f64) -> String {
    let (mant, exp) = parts(v);
    let e = exp - 52;
    format!("{mant}p{}{e}", if e >= 0 { "+" } else { "" })
}

/// strconv's `fmtX`: hexadecimal mantissa and binary exponent (`0x1.8p+01`).
fn fmt_x(v: f64, verb: char, prec: Option<usize>) -> String {
    let (mut mant, mut exp) = parts(v);
    if mant == 0 {
        exp = 0;
    }
    mant <<= 60 - 52;
    while mant != 0 && mant & (1u64 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if let Some(p) = prec
        && p < 15
    {
        let shift = (p * 4) as u32;
        let extra = (mant << shift) & ((1u64 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1u64 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1u64 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8; 16] = if verb == 'X' {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut s = String::from("0");
    s.push(verb);
    s.push(if (mant >> 60) & 1 == 1 { '1' } else { '0' });
    mant <<= 4;
    match prec {
        None if mant != 0 => {
            s.push('.');
            while mant != 0 {
                s.push(hex[((mant >> 60) & 15) as usize] as char);
                mant <<= 4;
            }
        }
        Some(p) if p > 0 => {
            s.push('.');
            for _ in 0..p {
                s.push(hex[((mant >> 60) & 15) as usize] as char);
                mant <<= 4;
            }
        }
        _ => {}
    }
    s.push(if verb == 'X' { 'P' } else { 'p' });
    s.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        s.push('0');
    }
    s.push_str(&e.to_string());
    s
}

/// fmt's `#` flag on floats: keep a decimal point (`%#g` also keeps
/// trailing zeros up to the precision; not reproduced).
pub fn sharp_float(num: &str, verb: char, _prec: Option<usize>) -> String {
    if matches!(verb, 'v' | 'x' | 'X') || num.contains('.') {
        return num.to_string();
    }
    match num.find(['e', 'E']) {
        Some(i) => format!("{}.{}", &num[..i], &num[i..]),
        None => format!("{num}."),
    }
}
