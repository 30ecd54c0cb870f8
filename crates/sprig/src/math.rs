//! Sprig's math functions: integer arithmetic through spf13/cast's
//! `ToInt64` (`add`, `sub`, `mul`, `div`, `mod`, `add1`, `max`/`biggest`,
//! `min`), float functions through `ToFloat64` (`maxf`, `minf`, `floor`,
//! `ceil`, `round`), decimal arithmetic (`addf`, `subf`, `mulf`, `divf`,
//! `add1f`) and `seq`.
//!
//! Does not own the conversions themselves (see `conv`), nor `until` and
//! `untilStep` (see `lists`), nor Go's comparison builtins (origan-gotmpl).

mod decimal;

use origan_gotmpl::{Func, FuncError, FuncMap, Param, Value};

use crate::conv::{to_float64, to_int64};
use crate::lists::until_step;
use decimal::{Decimal, Op};

/// Go's runtime panic for integer division by zero, as text/template
/// reports a recovered panic.
const DIVIDE_BY_ZERO: &str = "runtime error: integer divide by zero";

fn int64(i: i64) -> Result<Value, FuncError> {
    Ok(Value::int64(i))
}

fn float(f: f64) -> Result<Value, FuncError> {
    Ok(Value::Float(f))
}

/// Sprig's `execDecimalOp`: fold `rest` into `first` with decimal math.
fn decimal_op(first: &Value, rest: &[Value], op: Op) -> Result<Value, FuncError> {
    let mut acc = Decimal::from_f64(to_float64(first)).map_err(FuncError::new)?;
    for v in rest {
        let d = Decimal::from_f64(to_float64(v)).map_err(FuncError::new)?;
        acc = decimal::apply(op, acc, d).map_err(FuncError::new)?;
    }
    float(acc.to_f64())
}

/// Go's `math.Max`: +Inf wins, then NaN, and +0 beats -0.
fn go_max(x: f64, y: f64) -> f64 {
    if x == f64::INFINITY || y == f64::INFINITY {
        f64::INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() { y } else { x }
    } else if x > y {
        x
    } else {
        y
    }
}

/// Go's `math.Min`: -Inf wins, then NaN, and -0 beats +0.
fn go_min(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY || y == f64::NEG_INFINITY {
        f64::NEG_INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() { x } else { y }
    } else if x < y {
        x
    } else {
        y
    }
}

/// Sprig's `round`: scale, compare the fraction (same sign as the value, as
/// `math.Modf` gives it) with `round_on`, then ceil or floor.
fn round(v: f64, places: f64, round_on: f64) -> f64 {
    let pow = 10f64.powf(places);
    let digit = pow * v;
    let frac = digit - digit.trunc();
    let r = if frac >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    r / pow
}

/// `fmt.Sprint([]int)` with the brackets trimmed and fields joined by a
/// space, as Sprig's `intArrayToString` does.
fn ints_to_string(v: &[i64]) -> String {
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")
}

/// Sprig's `seq`: `seq END`, `seq START END`, `seq START STEP END`.
fn seq(params: &[i64]) -> Result<String, FuncError> {
    Ok(match *params {
        [end] => {
            let inc = if end < 1 { -1 } else { 1 };
            ints_to_string(&until_step(1, end.wrapping_add(inc), inc)?)
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            ints_to_string(&until_step(start, end.wrapping_add(step), step)?)
        }
        [start, step, end] => {
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return Ok(String::new());
                }
            }
            ints_to_string(&until_step(start, end.wrapping_add(inc), step)?)
        }
        _ => String::new(),
    })
}

fn int_args(a: &[Value]) -> Vec<i64> {
    a.iter()
        .map(|v| match v {
            Value::Int(i, _) => *i,
            other => to_int64(other),
        })
        .collect()
}

pub(crate) fn register(funcs: &mut FuncMap) {
    let any = Param::Any;
    // add(i ...interface{}) int64 — `{{ add 1 2 3 }}` → `6` (wraps on overflow)
    funcs.insert(
        "add",
        Func::variadic(&[], any, |a| {
            int64(a.iter().fold(0i64, |s, v| s.wrapping_add(to_int64(v))))
        }),
    );
    // add1(i interface{}) int64 — `{{ add1 5 }}` → `6`
    funcs.insert(
        "add1",
        Func::new(&[any], |a| int64(to_int64(&a[0]).wrapping_add(1))),
    );
    // sub(a, b interface{}) int64 — `{{ sub 5 3 }}` → `2`
    funcs.insert(
        "sub",
        Func::new(&[any, any], |a| {
            int64(to_int64(&a[0]).wrapping_sub(to_int64(&a[1])))
        }),
    );
    // div(a, b interface{}) int64 — `{{ div 7 2 }}` → `3`
    funcs.insert(
        "div",
        Func::new(&[any, any], |a| {
            let d = to_int64(&a[1]);
            if d == 0 {
                return Err(FuncError::new(DIVIDE_BY_ZERO));
            }
            int64(to_int64(&a[0]).wrapping_div(d))
        }),
    );
    // mod(a, b interface{}) int64 — `{{ mod -7 3 }}` → `-1`
    funcs.insert(
        "mod",
        Func::new(&[any, any], |a| {
            let d = to_int64(&a[1]);
            if d == 0 {
                return Err(FuncError::new(DIVIDE_BY_ZERO));
            }
            int64(to_int64(&a[0]).wrapping_rem(d))
        }),
    );
    // mul(a interface{}, v ...interface{}) int64 — `{{ mul 2 3 4 }}` → `24`
    funcs.insert(
        "mul",
        Func::variadic(&[any], any, |a| {
            int64(
                a[1..]
                    .iter()
                    .fold(to_int64(&a[0]), |p, v| p.wrapping_mul(to_int64(v))),
            )
        }),
    );
    // max(a interface{}, i ...interface{}) int64 — `{{ max 1 9 3 }}` → `9`
    let max = Func::variadic(&[any], any, |a| {
        int64(a.iter().map(to_int64).max().unwrap_or(0))
    });
    funcs.insert("max", max.clone());
    // biggest: an alias of max — `{{ biggest 1 9 }}` → `9`
    funcs.insert("biggest", max);
    // min(a interface{}, i ...interface{}) int64 — `{{ min -1 0 }}` → `-1`
    funcs.insert(
        "min",
        Func::variadic(&[any], any, |a| {
            int64(a.iter().map(to_int64).min().unwrap_or(0))
        }),
    );
    // maxf(a interface{}, i ...interface{}) float64 — `{{ maxf 1.5 2.5 }}` → `2.5`
    funcs.insert(
        "maxf",
        Func::variadic(&[any], any, |a| {
            float(
                a[1..]
                    .iter()
                    .fold(to_float64(&a[0]), |m, v| go_max(m, to_float64(v))),
            )
        }),
    );
    // minf(a interface{}, i ...interface{}) float64 — `{{ minf 1.5 0.5 }}` → `0.5`
    funcs.insert(
        "minf",
        Func::variadic(&[any], any, |a| {
            float(
                a[1..]
                    .iter()
                    .fold(to_float64(&a[0]), |m, v| go_min(m, to_float64(v))),
            )
        }),
    );
    // floor(a interface{}) float64 — `{{ floor 2.7 }}` → `2`
    funcs.insert(
        "floor",
        Func::new(&[any], |a| float(to_float64(&a[0]).floor())),
    );
    // ceil(a interface{}) float64 — `{{ ceil 2.1 }}` → `3`
    funcs.insert(
        "ceil",
        Func::new(&[any], |a| float(to_float64(&a[0]).ceil())),
    );
    // round(a interface{}, p int, rOpt ...float64) float64 — `{{ round 3.14159 2 }}` → `3.14`
    funcs.insert(
        "round",
        Func::variadic(&[any, Param::Int], Param::Float, |a| {
            let round_on = a.get(2).map_or(0.5, to_float64);
            float(round(to_float64(&a[0]), to_float64(&a[1]), round_on))
        }),
    );
    // addf(i ...interface{}) float64 — `{{ addf 1.1 2.2 }}` → `3.3`
    funcs.insert(
        "addf",
        Func::variadic(&[], any, |a| decimal_op(&Value::Float(0.0), a, Op::Add)),
    );
    // add1f(i interface{}) float64 — `{{ add1f 1.5 }}` → `2.5`
    funcs.insert(
        "add1f",
        Func::new(&[any], |a| decimal_op(&a[0], &[Value::int(1)], Op::Add)),
    );
    // subf(a interface{}, v ...interface{}) float64 — `{{ subf 5.5 2.2 }}` → `3.3`
    funcs.insert(
        "subf",
        Func::variadic(&[any], any, |a| decimal_op(&a[0], &a[1..], Op::Sub)),
    );
    // mulf(a interface{}, v ...interface{}) float64 — `{{ mulf 1.1 3 }}` → `3.3`
    funcs.insert(
        "mulf",
        Func::variadic(&[any], any, |a| decimal_op(&a[0], &a[1..], Op::Mul)),
    );
    // divf(a interface{}, v ...interface{}) float64 — `{{ divf 10 4 }}` → `2.5`
    funcs.insert(
        "divf",
        Func::variadic(&[any], any, |a| decimal_op(&a[0], &a[1..], Op::Div)),
    );
    // seq(params ...int) string — `{{ seq 5 2 }}` → `5 4 3 2`
    funcs.insert(
        "seq",
        Func::variadic(&[], Param::Int, |a| Ok(Value::str(seq(&int_args(a))?))),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seq_matches_sprig() {
        let seq = |p: &[i64]| seq(p).unwrap();
        assert_eq!(seq(&[5]), "1 2 3 4 5");
        assert_eq!(seq(&[0]), "1 0");
        assert_eq!(seq(&[5, 2]), "5 4 3 2");
        assert_eq!(seq(&[1, 5, 2]), "1");
        assert_eq!(seq(&[1, 0, 5]), "");
        assert_eq!(seq(&[1, 2, 3, 4]), "");
        assert_eq!(seq(&[5, -2, 1]), "5 3 1");
    }

    #[test]
    fn round_matches_sprig() {
        assert_eq!(round(2.45, 1.0, 0.5), 2.5);
        assert_eq!(round(2.5, 0.0, 0.6), 2.0);
        assert_eq!(round(-2.5, 0.0, 0.5), -3.0);
    }
}
