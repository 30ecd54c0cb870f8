//! Go's `fmt` for template values: `Sprint`, `Sprintln`, `Sprintf` and `%v`.
//!
//! Owns verb parsing (flags, width, precision, `[n]` indexes, `*`), the
//! per-type formatting of `fmt/print.go` and `fmt/format.go`, Go's error
//! forms (`%!d(string=x)`, `%!v(MISSING)`, `%!(EXTRA ...)`, `%!(NOVERB)`)
//! and `strconv.FormatFloat` / `strconv.Quote` as fmt uses them. Does not own
//! text/template's own printing of `{{ . }}` (nil as `<no value>`, Stringer
//! objects), which lives in the evaluator.

use crate::value::{IntType, Value};

mod float;
mod quote;

pub use float::format_float;
pub use quote::{is_print, quote, quote_rune, quote_to_ascii};

/// Go's `%v` of a value: what `print`, `toString` and `printf "%v"` give.
/// float64 uses the shortest `g` form (`1e+06`, `3600`, `1e-05`), maps print
/// as `map[a:1 b:2]`, lists as `[1 2 <nil>]`, nil as `<nil>`, `[]byte` as
/// `[104 105]`, objects through [`crate::Object::fmt_string`].
pub fn format_value(v: &Value) -> String {
    let mut p = Printer::default();
    p.print_arg(v, 'v');
    p.buf
}

/// Go's `fmt.Sprint`: operands joined with a space only between two
/// operands neither of which is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut p = Printer::default();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a, Value::String(_));
        if i > 0 && !is_string && !prev_string {
            p.buf.push(' ');
        }
        p.print_arg(a, 'v');
        prev_string = is_string;
    }
    p.buf
}

/// Go's `fmt.Sprintln`: operands always separated by a space, then `\n`.
pub fn sprintln(args: &[Value]) -> String {
    let mut p = Printer::default();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(' ');
        }
        p.print_arg(a, 'v');
    }
    p.buf.push('\n');
    p.buf
}

/// Go's `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut p = Printer::default();
    p.do_printf(format, args);
    p.buf
}

/// Formatting flags of one verb (`fmt.fmtFlags` plus width and precision).
#[derive(Clone, Copy, Default, Debug)]
struct Flags {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    plus_v: bool,
    sharp_v: bool,
    wid: Option<usize>,
    prec: Option<usize>,
}

#[derive(Default)]
struct Printer {
    buf: String,
    f: Flags,
}

const LDIGITS: &[u8; 16] = b"0123456789abcdef";
const UDIGITS: &[u8; 16] = b"0123456789ABCDEF";

fn int_arg(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i, _) => Some(*i),
        Value::Uint(u, _) => i64::try_from(*u).ok(),
        _ => None,
    }
}

impl Printer {
    fn do_printf(&mut self, format: &str, args: &[Value]) {
        let bytes = format.as_bytes();
        let end = bytes.len();
        let mut arg_num = 0usize;
        let mut reordered = false;
        let mut i = 0usize;
        while i < end {
            let lasti = i;
            while i < end && bytes[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.buf.push_str(&format[lasti..i]);
            }
            if i >= end {
                break;
            }
            i += 1; // skip '%'
            self.f = Flags::default();
            // Flags.
            while i < end {
                match bytes[i] {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = true,
                    b'+' => self.f.plus = true,
                    b'-' => self.f.minus = true,
                    b' ' => self.f.space = true,
                    _ => break,
                }
                i += 1;
            }
            let mut good_arg_num = true;
            let mut after_index;
            // Argument index, then width.
            (arg_num, i, after_index, good_arg_num) =
                arg_number(arg_num, format, i, args.len(), good_arg_num, &mut reordered);
            if i < end && bytes[i] == b'*' {
                i += 1;
                match args.get(arg_num).and_then(int_arg) {
                    Some(w) if w.unsigned_abs() <= 1_000_000 => {
                        if w < 0 {
                            self.f.minus = true;
                            self.f.zero = false;
                        }
                        self.f.wid = Some(w.unsigned_abs() as usize);
                    }
                    _ => self.buf.push_str("%!(BADWIDTH)"),
                }
                arg_num += 1;
                after_index = false;
            } else {
                let (n, ni) = parse_num(bytes, i);
                if ni > i {
                    if after_index {
                        good_arg_num = false;
                    }
                    self.f.wid = n;
                    i = ni;
                }
            }
            // Precision.
            if i < end && bytes[i] == b'.' {
                i += 1;
                if after_index {
                    good_arg_num = false;
                }
                (arg_num, i, after_index, good_arg_num) =
                    arg_number(arg_num, format, i, args.len(), good_arg_num, &mut reordered);
                if i < end && bytes[i] == b'*' {
                    i += 1;
                    match args.get(arg_num).and_then(int_arg) {
                        Some(p) if (0..=1_000_000).contains(&p) => self.f.prec = Some(p as usize),
                        Some(p) if p < 0 => self.f.prec = None,
                        _ => {
                            self.f.prec = None;
                            self.buf.push_str("%!(BADPREC)");
                        }
                    }
                    arg_num += 1;
                    after_index = false;
                } else {
                    let (n, ni) = parse_num(bytes, i);
                    self.f.prec = Some(n.unwrap_or(0));
                    i = ni;
                }
            }
            if !after_index {
                (arg_num, i, _, good_arg_num) =
                    arg_number(arg_num, format, i, args.len(), good_arg_num, &mut reordered);
            }
            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }
            let verb = format[i..].chars().next().unwrap_or('?');
            i += verb.len_utf8();
            if self.f.minus {
                self.f.zero = false;
            }
            match verb {
                '%' => self.buf.push('%'),
                _ if !good_arg_num => {
                    self.buf.push_str("%!");
                    self.buf.push(verb);
                    self.buf.push_str("(BADINDEX)");
                }
                _ if arg_num >= args.len() => {
                    self.buf.push_str("%!");
                    self.buf.push(verb);
                    self.buf.push_str("(MISSING)");
                }
                _ => {
                    if verb == 'v' {
                        self.f.sharp_v = self.f.sharp;
                        self.f.sharp = false;
                        self.f.plus_v = self.f.plus;
                        self.f.plus = false;
                    }
                    self.print_arg(&args[arg_num], verb);
                    arg_num += 1;
                }
            }
        }
        if !reordered && arg_num < args.len() {
            self.f = Flags::default();
            self.buf.push_str("%!(EXTRA ");
            for (k, a) in args[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.push_str(", ");
                }
                if matches!(a, Value::Nil) {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(&a.type_name());
                    self.buf.push('=');
                    self.print_arg(a, 'v');
                }
            }
            self.buf.push(')');
        }
    }

    /// `printArg`: dispatch on the dynamic type.
    fn print_arg(&mut self, v: &Value, verb: char) {
        if let Value::Nil = v {
            match verb {
                'T' | 'v' => self.pad_str("<nil>"),
                _ => self.bad_verb(v, verb),
            }
            return;
        }
        if verb == 'T' {
            let t = v.type_name();
            self.fmt_s(&t);
            return;
        }
        self.print_value(v, verb, 0);
    }

    /// `printValue`: formats `v` (never the top-level nil) at `depth`.
    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        match v {
            Value::Nil => {
                if self.f.sharp_v {
                    self.buf.push_str("interface {}(nil)");
                } else {
                    self.pad_str("<nil>");
                }
            }
            Value::Bool(b) => match verb {
                't' | 'v' => self.pad_str(if *b { "true" } else { "false" }),
                _ => self.bad_verb(v, verb),
            },
            Value::Int(i, _) => self.fmt_int(v, i.unsigned_abs(), *i < 0, true, verb),
            Value::Uint(u, _) => self.fmt_int(v, *u, false, false, verb),
            Value::Float(x) => match verb {
                'v' => self.fmt_float(*x, 'g', None),
                'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(*x, verb, None),
                'f' | 'e' | 'E' | 'F' => self.fmt_float(*x, verb, Some(6)),
                _ => self.bad_verb(v, verb),
            },
            Value::String(s) => self.fmt_string(v, s, verb),
            Value::ByteString(b) => self.fmt_byte_string(v, b, verb),
            Value::Bytes(b) => self.fmt_bytes(v, b, verb, depth),
            Value::List(l) => {
                if self.f.sharp_v {
                    self.buf.push_str(&v.type_name());
                    self.buf.push('{');
                    for (k, item) in l.items.iter().enumerate() {
                        if k > 0 {
                            self.buf.push_str(", ");
                        }
                        self.print_value(item, verb, depth + 1);
                    }
                    self.buf.push('}');
                } else {
                    self.buf.push('[');
                    for (k, item) in l.items.iter().enumerate() {
                        if k > 0 {
                            self.buf.push(' ');
                        }
                        self.print_value(item, verb, depth + 1);
                    }
                    self.buf.push(']');
                }
            }
            Value::Map(m) => {
                let entries = m.entries.borrow();
                if self.f.sharp_v {
                    self.buf.push_str(&v.type_name());
                    self.buf.push('{');
                } else {
                    self.buf.push_str("map[");
                }
                for (k, (key, val)) in entries.iter().enumerate() {
                    if k > 0 {
                        self.buf.push_str(if self.f.sharp_v { ", " } else { " " });
                    }
                    self.print_value(&Value::str(key.as_str()), verb, depth + 1);
                    self.buf.push(':');
                    self.print_value(val, verb, depth + 1);
                }
                self.buf.push(if self.f.sharp_v { '}' } else { ']' });
            }
            Value::Object(o) => match verb {
                'v' | 's' | 'x' | 'X' | 'q' => {
                    let s = o.fmt_string();
                    self.fmt_string(&Value::str(s.as_str()), &s, verb);
                }
                _ => self.bad_verb(v, verb),
            },
        }
    }

    /// `badVerb`: `%!d(string=hi)`, `%!d(<nil>)`.
    fn bad_verb(&mut self, v: &Value, verb: char) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        if let Value::Nil = v {
            self.buf.push_str("<nil>");
        } else {
            self.buf.push_str(&v.type_name());
            self.buf.push('=');
            let saved = (self.f.sharp_v, self.f.plus_v);
            self.print_arg(v, 'v');
            (self.f.sharp_v, self.f.plus_v) = saved;
        }
        self.buf.push(')');
    }

    fn fmt_string(&mut self, v: &Value, s: &str, verb: char) {
        match verb {
            'v' => {
                if self.f.sharp_v {
                    self.fmt_q(s);
                } else {
                    self.fmt_s(s);
                }
            }
            's' => self.fmt_s(s),
            'x' => self.fmt_sbx(s.as_bytes(), LDIGITS),
            'X' => self.fmt_sbx(s.as_bytes(), UDIGITS),
            'q' => self.fmt_q(s),
            _ => self.bad_verb(v, verb),
        }
    }

    /// A `string` that is not valid UTF-8. `%x` and `%q` see its bytes as
    /// Go does; `%s`/`%v` print it with U+FFFD for the invalid bytes, as
    /// this printer's buffer is text.
    fn fmt_byte_string(&mut self, v: &Value, b: &[u8], verb: char) {
        match verb {
            'x' => self.fmt_sbx(b, LDIGITS),
            'X' => self.fmt_sbx(b, UDIGITS),
            'q' if !self.f.sharp && self.f.prec.is_none() => {
                let q = quote::quote_bytes(b, self.f.plus);
                self.pad_str(&q);
            }
            'v' if self.f.sharp_v && self.f.prec.is_none() => {
                let q = quote::quote_bytes(b, false);
                self.pad_str(&q);
            }
            _ => self.fmt_string(v, &crate::value::go_lossy(b), verb),
        }
    }

    fn fmt_bytes(&mut self, v: &Value, b: &[u8], verb: char, depth: usize) {
        match verb {
            'v' | 'd' => {
                if self.f.sharp_v {
                    self.buf.push_str("[]byte{");
                    for (k, c) in b.iter().enumerate() {
                        if k > 0 {
                            self.buf.push_str(", ");
                        }
                        self.buf.push_str(&format!("0x{c:x}"));
                    }
                    self.buf.push('}');
                } else {
                    self.buf.push('[');
                    for (k, c) in b.iter().enumerate() {
                        if k > 0 {
                            self.buf.push(' ');
                        }
                        self.fmt_integer(u64::from(*c), false, 10, verb, LDIGITS);
                    }
                    self.buf.push(']');
                }
            }
            's' => self.fmt_s(&String::from_utf8_lossy(b)),
            'x' => self.fmt_sbx(b, LDIGITS),
            'X' => self.fmt_sbx(b, UDIGITS),
            'q' => self.fmt_q(&String::from_utf8_lossy(b)),
            _ => {
                let items = b
                    .iter()
                    .map(|c| Value::Uint(u64::from(*c), IntType::Uint8))
                    .collect();
                self.print_value(&Value::list(items), verb, depth);
                let _ = v;
            }
        }
    }

    fn fmt_int(&mut self, v: &Value, mag: u64, neg: bool, signed: bool, verb: char) {
        match verb {
            'v' => {
                if self.f.sharp_v && !signed {
                    let saved = self.f.sharp;
                    self.f.sharp = true;
                    self.fmt_integer(mag, neg, 16, 'v', LDIGITS);
                    self.f.sharp = saved;
                } else {
                    self.fmt_integer(mag, neg, 10, verb, LDIGITS);
                }
            }
            'd' => self.fmt_integer(mag, neg, 10, verb, LDIGITS),
            'b' => self.fmt_integer(mag, neg, 2, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(mag, neg, 8, verb, LDIGITS),
            'x' => self.fmt_integer(mag, neg, 16, verb, LDIGITS),
            'X' => self.fmt_integer(mag, neg, 16, verb, UDIGITS),
            'c' => {
                let c = rune_of(mag, neg);
                self.pad_str(c.encode_utf8(&mut [0; 4]));
            }
            'q' => {
                let c = rune_of(mag, neg);
                let q = if self.f.plus {
                    quote::quote_rune_ascii(c)
                } else {
                    quote::quote_rune(c)
                };
                self.pad_str(&q);
            }
            'U' => self.fmt_unicode(mag, neg),
            _ => self.bad_verb(v, verb),
        }
    }

    /// `fmt.fmtInteger`.
    fn fmt_integer(&mut self, mut u: u64, neg: bool, base: u64, verb: char, digits: &[u8; 16]) {
        let f = self.f;
        let mut prec = 0usize;
        if let Some(p) = f.prec {
            prec = p;
            if p == 0 && u == 0 {
                let saved = self.f.zero;
                self.f.zero = false;
                self.write_padding(f.wid.unwrap_or(0));
                self.f.zero = saved;
                return;
            }
        } else if f.zero
            && !f.minus
            && let Some(w) = f.wid
        {
            prec = w;
            if neg || f.plus || f.space {
                prec = prec.saturating_sub(1);
            }
        }
        let mut out: Vec<u8> = Vec::with_capacity(24);
        if u == 0 {
            out.push(b'0');
        }
        while u > 0 {
            out.push(digits[(u % base) as usize]);
            u /= base;
        }
        while out.len() < prec {
            out.push(b'0');
        }
        if f.sharp {
            match base {
                2 => out.extend_from_slice(b"b0"),
                8 if out.last() != Some(&b'0') => out.push(b'0'),
                16 => {
                    out.push(digits[15] + (b'x' - b'f'));
                    out.push(b'0');
                }
                _ => {}
            }
        }
        if verb == 'O' {
            out.extend_from_slice(b"o0");
        }
        if neg {
            out.push(b'-');
        } else if f.plus {
            out.push(b'+');
        } else if f.space {
            out.push(b' ');
        }
        out.reverse();
        let s = String::from_utf8(out).unwrap_or_default();
        let saved = self.f.zero;
        self.f.zero = false;
        self.pad_str(&s);
        self.f.zero = saved;
    }

    fn fmt_unicode(&mut self, mag: u64, neg: bool) {
        let u = if neg { mag.wrapping_neg() } else { mag };
        let prec = self.f.prec.unwrap_or(4).max(4);
        let mut s = format!("U+{u:0prec$X}");
        if self.f.sharp
            && let Some(c) = char::from_u32(u as u32).filter(|_| u <= 0x10FFFF)
            && quote::is_print(c)
        {
            s.push_str(" '");
            s.push(c);
            s.push('\'');
        }
        let saved = self.f.zero;
        self.f.zero = false;
        self.pad_str(&s);
        self.f.zero = saved;
    }

    /// `fmt.fmtFloat`.
    fn fmt_float(&mut self, v: f64, verb: char, default_prec: Option<usize>) {
        let prec = self.f.prec.or(default_prec);
        let mut num = if v.is_nan() {
            "NaN".to_string()
        } else if v.is_infinite() {
            if v > 0.0 { "+Inf" } else { "-Inf" }.to_string()
        } else {
            let body = float::format_float(v.abs(), verb, prec);
            let sign = if v.is_sign_negative() { '-' } else { '+' };
            format!("{sign}{body}")
        };
        if v.is_nan() {
            num.insert(0, '+');
        }
        if self.f.space && num.starts_with('+') && !self.f.plus {
            num.replace_range(0..1, " ");
        }
        if num[1..].starts_with('I') || num[1..].starts_with('N') {
            let saved = self.f.zero;
            self.f.zero = false;
            if num[1..].starts_with('N') && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            self.pad_str(&num);
            self.f.zero = saved;
            return;
        }
        if self.f.sharp && verb != 'b' {
            num = float::sharp_float(&num, verb, prec);
        }
        if self.f.plus || !num.starts_with('+') {
            let len = num.chars().count();
            if self.f.zero
                && !self.f.minus
                && let Some(w) = self.f.wid
                && w > len
            {
                self.buf.push_str(&num[..1]);
                self.write_padding(w - len);
                self.buf.push_str(&num[1..]);
                return;
            }
            self.pad_str(&num);
            return;
        }
        self.pad_str(&num[1..]);
    }

    /// `fmt.fmtS`: truncate to the precision (in runes), then pad.
    fn fmt_s(&mut self, s: &str) {
        let s = self.truncate(s);
        self.pad_str(s);
    }

    fn truncate<'a>(&self, s: &'a str) -> &'a str {
        if let Some(p) = self.f.prec
            && let Some((i, _)) = s.char_indices().nth(p)
        {
            return &s[..i];
        }
        s
    }

    /// `fmt.fmtQ`.
    fn fmt_q(&mut self, s: &str) {
        let s = self.truncate(s);
        let q = if self.f.sharp && quote::can_backquote(s) {
            format!("`{s}`")
        } else if self.f.plus {
            quote::quote_to_ascii(s)
        } else {
            quote::quote(s)
        };
        self.pad_str(&q);
    }

    /// `fmt.fmtSbx`: hex of a string or bytes.
    fn fmt_sbx(&mut self, b: &[u8], digits: &[u8; 16]) {
        let mut length = b.len();
        if let Some(p) = self.f.prec
            && p < length
        {
            length = p;
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if let Some(w) = self.f.wid {
                self.write_padding(w);
            }
            return;
        }
        let wid = self.f.wid.unwrap_or(0);
        if wid > width && !self.f.minus {
            self.write_padding(wid - width);
        }
        let x = digits[15] + (b'x' - b'f');
        if self.f.sharp {
            self.buf.push('0');
            self.buf.push(x as char);
        }
        for (i, c) in b[..length].iter().enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(' ');
                if self.f.sharp {
                    self.buf.push('0');
                    self.buf.push(x as char);
                }
            }
            self.buf.push(digits[(c >> 4) as usize] as char);
            self.buf.push(digits[(c & 15) as usize] as char);
        }
        if wid > width && self.f.minus {
            self.write_padding(wid - width);
        }
    }

    fn write_padding(&mut self, n: usize) {
        let c = if self.f.zero && !self.f.minus {
            '0'
        } else {
            ' '
        };
        self.buf.extend(std::iter::repeat_n(c, n));
    }

    /// `fmt.pad`: pads to the width, counted in runes.
    fn pad_str(&mut self, s: &str) {
        let Some(w) = self.f.wid.filter(|w| *w > 0) else {
            self.buf.push_str(s);
            return;
        };
        let n = w.saturating_sub(s.chars().count());
        if self.f.minus {
            self.buf.push_str(s);
            self.write_padding(n);
        } else {
            self.write_padding(n);
            self.buf.push_str(s);
        }
    }
}

fn rune_of(mag: u64, neg: bool) -> char {
    if neg || mag > 0x10FFFF {
        return '\u{FFFD}';
    }
    char::from_u32(mag as u32).unwrap_or('\u{FFFD}')
}

/// Parses decimal digits at `i`; `None` when there are none or too many.
fn parse_num(b: &[u8], mut i: usize) -> (Option<usize>, usize) {
    let start = i;
    let mut n: usize = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        if n > 1_000_000 {
            return (None, b.len());
        }
        n = n * 10 + usize::from(b[i] - b'0');
        i += 1;
    }
    if i == start { (None, i) } else { (Some(n), i) }
}

/// `pp.argNumber`: an explicit `[n]` argument index at `i`.
fn arg_number(
    arg_num: usize,
    format: &str,
    i: usize,
    num_args: usize,
    good: bool,
    reordered: &mut bool,
) -> (usize, usize, bool, bool) {
    let b = format.as_bytes();
    if i >= b.len() || b[i] != b'[' {
        return (arg_num, i, false, good);
    }
    *reordered = true;
    for j in i + 1..b.len() {
        if b[j] == b']' {
            let (n, ni) = parse_num(b, i + 1);
            return match n {
                Some(n) if ni == j && n >= 1 && n <= num_args => (n - 1, j + 1, true, good),
                _ => (arg_num, j + 1, false, false),
            };
        }
    }
    (arg_num, i + 1, false, false)
}

#[cfg(test)]
mod tests;
