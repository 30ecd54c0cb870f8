//! yaml.v2/yaml.v3 `keyList.Less`: the "natural" order in which Go's YAML encoders write
//! map keys (`"1" "2" "10" B a-b a.b a2 a10 b my_key myKey`). Digit runs compare as
//! numbers and a non-letter sorts before a letter. Owns only this comparison.

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

/// `keyList.Less` on the keys' runes (Go converts both strings to `[]rune`).
fn runes_less(ar: &[char], br: &[char]) -> bool {
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = is_letter(ar[i]);
        let bl = is_letter(br[i]);
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// Sorts keys in yaml.v2's order (a total order derived from `keyList.Less`). Each key is
/// decoded to runes once, so comparisons do not allocate.
pub(crate) fn sort_keys<T>(items: &mut Vec<(&str, T)>) {
    let mut decorated: Vec<(Vec<char>, (&str, T))> = items
        .drain(..)
        .map(|it| (it.0.chars().collect(), it))
        .collect();
    // yaml's key order is not a total order for some keys (digit runs next
    // to `0`s), and the standard library's sort panics when it notices;
    // Go's sort.Sort never does. A merge sort always finishes, and for keys
    // that the order does rank consistently it gives the one possible result.
    merge_sort(&mut decorated, &|a, b| runes_less(&a.0, &b.0));
    items.extend(decorated.into_iter().map(|(_, it)| it));
}

/// Stable top-down merge sort by `less`, total or not.
fn merge_sort<T>(v: &mut Vec<T>, less: &dyn Fn(&T, &T) -> bool) {
    if v.len() < 2 {
        return;
    }
    let mut right = v.split_off(v.len() / 2);
    merge_sort(v, less);
    merge_sort(&mut right, less);
    let left = std::mem::take(v);
    v.reserve(left.len() + right.len());
    let mut l = left.into_iter().peekable();
    let mut r = right.into_iter().peekable();
    while let (Some(a), Some(b)) = (l.peek(), r.peek()) {
        let next = if less(b, a) { r.next() } else { l.next() };
        v.extend(next);
    }
    v.extend(l);
    v.extend(r);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v: Vec<(&str, ())> = [
            "myKey", "b", "a10", "10", "a2", "a.b", "B", "a-b", "2", "my_key", "1",
        ]
        .iter()
        .map(|s| (*s, ()))
        .collect();
        sort_keys(&mut v);
        let got: Vec<&str> = v.iter().map(|x| x.0).collect();
        assert_eq!(
            got,
            [
                "1", "2", "10", "B", "a-b", "a.b", "a2", "a10", "b", "my_key", "myKey"
            ]
        );
    }
}
