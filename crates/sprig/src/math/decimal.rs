//! Just enough of shopspring/decimal v1.4.0 for Sprig's `addf`, `subf`,
//! `mulf`, `divf` and `add1f`: floats enter through their shortest decimal
//! form (`NewFromFloat`), sums and products are exact, quotients are rounded
//! half away from zero to 16 decimal places (`DivisionPrecision`), and the
//! result is read back as the nearest float64.
//!
//! Mantissas are `i128`; on overflow the operation falls back to float64
//! arithmetic (only reachable with magnitudes far beyond chart values).

/// `mantissa × 10^exp`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Decimal {
    mant: i128,
    exp: i32,
}

/// shopspring's `DivisionPrecision`.
const DIVISION_PRECISION: i32 = 16;

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

impl Decimal {
    /// `decimal.NewFromFloat`; Go panics on NaN and infinities with this text.
    pub(crate) fn from_f64(f: f64) -> Result<Decimal, String> {
        if !f.is_finite() {
            return Err(format!(
                "Cannot create a Decimal from {}",
                origan_gotmpl::fmt::format_value(&origan_gotmpl::Value::Float(f))
            ));
        }
        if f == 0.0 {
            return Ok(Decimal { mant: 0, exp: 0 });
        }
        // Rust's `{:e}` is the shortest round-tripping form, as Go's 'g' -1.
        let s = format!("{f:e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let e: i32 = e.parse().unwrap_or(0);
        let frac_len = m.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
        let digits: String = m
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        let mant: i128 = digits.parse().unwrap_or(0);
        Ok(Decimal {
            mant,
            exp: e - frac_len,
        })
    }

    /// The nearest float64 (`Decimal.Float64`).
    pub(crate) fn to_f64(self) -> f64 {
        format!("{}e{}", self.mant, self.exp)
            .parse()
            .unwrap_or(f64::NAN)
    }

    /// Both mantissas at the smaller exponent.
    fn align(a: Decimal, b: Decimal) -> Option<(i128, i128, i32)> {
        let exp = a.exp.min(b.exp);
        let ma = a.mant.checked_mul(pow10((a.exp - exp) as u32)?)?;
        let mb = b.mant.checked_mul(pow10((b.exp - exp) as u32)?)?;
        Some((ma, mb, exp))
    }

    fn add_exact(self, o: Decimal) -> Option<Decimal> {
        let (a, b, exp) = Decimal::align(self, o)?;
        Some(Decimal {
            mant: a.checked_add(b)?,
            exp,
        })
    }

    fn mul_exact(self, o: Decimal) -> Option<Decimal> {
        Some(Decimal {
            mant: self.mant.checked_mul(o.mant)?,
            exp: self.exp + o.exp,
        })
    }

    fn div_exact(self, o: Decimal) -> Option<Decimal> {
        // (a/b) × 10^16, then round half away from zero.
        let k = self.exp - o.exp + DIVISION_PRECISION;
        let (num, den) = if k >= 0 {
            (self.mant.checked_mul(pow10(k as u32)?)?, o.mant)
        } else {
            (self.mant, o.mant.checked_mul(pow10((-k) as u32)?)?)
        };
        let mut q = num / den;
        let r = num % den;
        if r.unsigned_abs().checked_mul(2)? >= den.unsigned_abs() {
            if (num < 0) != (den < 0) {
                q -= 1;
            } else {
                q += 1;
            }
        }
        Some(Decimal {
            mant: q,
            exp: -DIVISION_PRECISION,
        })
    }

    /// Drops trailing zeros so mantissas stay small across long chains.
    fn normalize(mut self) -> Decimal {
        if self.mant == 0 {
            return Decimal { mant: 0, exp: 0 };
        }
        while self.mant % 10 == 0 {
            self.mant /= 10;
            self.exp += 1;
        }
        self
    }
}

/// A decimal operation Sprig folds over its arguments.
#[derive(Clone, Copy)]
pub(crate) enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// One step: exact where the mantissas fit, float64 otherwise. Division by
/// zero is shopspring's panic text.
pub(crate) fn apply(op: Op, a: Decimal, b: Decimal) -> Result<Decimal, String> {
    let exact = match op {
        Op::Add => a.add_exact(b),
        Op::Sub => a.add_exact(Decimal {
            mant: -b.mant,
            exp: b.exp,
        }),
        Op::Mul => a.mul_exact(b),
        Op::Div => {
            if b.mant == 0 {
                return Err("decimal division by 0".to_string());
            }
            a.div_exact(b)
        }
    };
    if let Some(d) = exact {
        return Ok(d.normalize());
    }
    let (x, y) = (a.to_f64(), b.to_f64());
    let f = match op {
        Op::Add => x + y,
        Op::Sub => x - y,
        Op::Mul => x * y,
        Op::Div => x / y,
    };
    Decimal::from_f64(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(op: Op, a: f64, b: f64) -> f64 {
        let r = apply(
            op,
            Decimal::from_f64(a).unwrap(),
            Decimal::from_f64(b).unwrap(),
        );
        r.unwrap().to_f64()
    }

    #[test]
    fn decimal_math_matches_shopspring() {
        assert_eq!(run(Op::Sub, 5.5, 2.2), 3.3);
        assert_eq!(run(Op::Mul, 1.1, 3.0), 3.3);
        assert_eq!(run(Op::Mul, 0.1, 0.1), 0.01);
        assert_eq!(run(Op::Div, 10.0, 3.0), 3.3333333333333335);
        assert_eq!(run(Op::Div, 1e6, 3.0), 333333.3333333333);
        assert_eq!(run(Op::Div, 2.0, 3.0), 0.6666666666666667);
        assert_eq!(run(Op::Add, 0.1, 0.2), 0.3);
    }
}
