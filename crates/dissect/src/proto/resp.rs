//! REdis Serialization Protocol (TCP port 6379): every segment is one `resp` layer; the
//! first element's type byte decides which field shows its first line.
crate::declare_fields! {
    after = super::mysql::END;
    PROTO = "resp", "REdis Serialization Protocol", Protocol, None;
    STRING = "resp.string", "String", String, None;
    ERROR = "resp.error", "Error", String, None;
    INTEGER = "resp.integer", "Integer", I64, Dec;
    ARRAY_LENGTH = "resp.array.length", "Length", I64, Dec;
    BULK_STRING_LENGTH = "resp.bulk_string.length", "Length", I32, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// The segment's payload `off..end`.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "resp", b.span_to(off, end));
    let d = b.data.get(off..end.min(b.len())).unwrap_or(&[]);
    let Some(eol) = memchr::memmem::find(d, b"\r\n") else { return };
    let Some((&kind, line)) = d[..eol].split_first() else { return };
    let sp = b.span(off + 1, eol - 1);
    let num = || std::str::from_utf8(line).ok().and_then(|s| s.parse::<i64>().ok());
    match kind {
        b'+' => cx.add_ascii(STRING, line, sp),
        b'-' => cx.add_ascii(ERROR, line, sp),
        b':' => {
            if let Some(n) = num() {
                cx.add(INTEGER, Value::I(n), sp)
            }
        }
        b'*' => {
            if let Some(n) = num() {
                cx.add(ARRAY_LENGTH, Value::I(n), sp)
            }
        }
        b'$' => {
            if let Some(n) = num() {
                cx.add(BULK_STRING_LENGTH, Value::I(n), sp)
            }
        }
        _ => {}
    }
}
