//! Sprig's conv functions (to be written).

use origan_gotmpl::FuncMap;

pub(crate) fn register(_funcs: &mut FuncMap) {}
