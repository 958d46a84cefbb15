//! The Data protocol: payload no dissector claimed.
crate::declare_fields! {
    after = super::gre::END;
    PROTO = "data", "Data", Protocol, None;
    DATA = "data.data", "Data", Bytes, None;
    LEN = "data.len", "Length", I32, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.len());
    if off >= end {
        return;
    }
    let sp = b.span(off, end - off);
    cx.proto(PROTO, "data", sp);
    if cx.wants(PROTO) {
        if let Some(item) = cx.tree.items.last_mut() {
            item.value = Value::Bytes(sp);
        }
    }
    cx.add(DATA, Value::Bytes(sp), sp);
    cx.add(LEN, Value::I((end - off) as i64), sp);
}
