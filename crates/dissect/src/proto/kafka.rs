//! Apache Kafka (TCP port 9092): messages led by a 32-bit length of what follows; a request
//! then holds its API key, API version and correlation id, a response its correlation id.
//! Several per segment, spanning segments reassembled.
crate::declare_fields! {
    after = super::vnc::END;
    PROTO = "kafka", "Kafka", Protocol, None;
    LEN = "kafka.len", "Length", I32, Dec;
    REQUEST_KEY = "kafka.request_key", "API Key", I16, Dec;
    API_VERSION = "kafka.api_version", "API Version", I16, Dec;
    CORRELATION_ID = "kafka.correlation_id", "Correlation ID", I32, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tree::Value;

/// Messages in `off..end` of a TCP payload; `request` when it goes to the server's port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, request: bool) -> Option<Deseg> {
    let len = |h: &[u8]| (u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as usize).saturating_add(4);
    crate::proto::apps::pdu_items(cx, b, off, end, 4, len, (PROTO, "kafka", "+kafka"), |cx, b, o, e| {
        let i32_at = |at: usize| b.be32(at).filter(|_| at + 4 <= e).map(|v| v as i32 as i64);
        let i16_at = |at: usize| b.be16(at).filter(|_| at + 2 <= e).map(|v| v as i16 as i64);
        if let Some(l) = i32_at(o) {
            cx.add(LEN, Value::I(l), b.span(o, 4));
        }
        if request {
            let (Some(k), Some(v), Some(c)) = (i16_at(o + 4), i16_at(o + 6), i32_at(o + 8)) else { return };
            cx.add(REQUEST_KEY, Value::I(k), b.span(o + 4, 2));
            cx.add(API_VERSION, Value::I(v), b.span(o + 6, 2));
            cx.add(CORRELATION_ID, Value::I(c), b.span(o + 8, 4));
        } else if let Some(c) = i32_at(o + 4) {
            cx.add(CORRELATION_ID, Value::I(c), b.span(o + 4, 4));
        }
    })
}
