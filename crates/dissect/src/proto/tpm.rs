//! TPM 2.0 over TCP (the TPM simulator's ports 2321 and 2322): every segment is one message,
//! a request when its source port is the higher one. Ten bytes or more are a TPM command
//! (tag, size, command code) or response (tag, size, response code); shorter ones the
//! simulator's platform commands and responses.
crate::declare_fields! {
    after = super::irc::END;
    PROTO = "tpm", "TPM2.0 Protocol", Protocol, None;
    REQ_TAG = "tpm.req.tag", "Tag", U16, Hex, vals = TAGS;
    REQ_SIZE = "tpm.req.size", "Command size", U32, Dec;
    REQ_CC = "tpm.req.cc", "Command Code", U32, Hex;
    PLATFORM_CC = "tpm.platform_req.cc", "Platform Command", U32, Hex, vals = PLATFORM_COMMANDS;
    RESP_TAG = "tpm.resp.tag", "Response Tag", U16, Hex, vals = TAGS;
    RESP_RC = "tpm.resp.rc", "Response rc", U32, Hex;
}

use crate::cx::{Bytes, Cx};

static TAGS: &[(u64, &str)] =
    &[(0x8001, "Command with no authorization Sessions"), (0x8002, "Command with authorization Sessions")];

static PLATFORM_COMMANDS: &[(u64, &str)] = &[
    (1, "TPM_POWER_ON"),
    (2, "TPM_POWER_OFF"),
    (8, "TPM_SEND_COMMAND"),
    (9, "TPM_CANCEL_ON"),
    (10, "TPM_CANCEL_OFF"),
    (11, "TPM_NV_ON"),
    (12, "TPM_NV_OFF"),
    (20, "TPM_SESSION_END"),
    (21, "TPM_STOP"),
];

/// Length from which a message is a TPM command or response.
const HEADER: usize = 10;

/// One segment's payload `off..end`; `request` when its source port is the higher one.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, request: bool) {
    cx.proto(PROTO, "tpm", b.span_to(off, end));
    let len = end.saturating_sub(off);
    if len >= HEADER {
        let (tag, code) = if request { (REQ_TAG, REQ_CC) } else { (RESP_TAG, RESP_RC) };
        let Some(t) = b.be16(off) else { return cx.bounds_error(off + 2, end) };
        cx.u(tag, t, b.span(off, 2));
        // (tshark registers `tpm.resp.size` twice, in decimal and in hex: left out.)
        let Some(s) = b.be32(off + 2) else { return cx.bounds_error(off + 6, end) };
        if request {
            cx.u(REQ_SIZE, s, b.span(off + 2, 4));
        }
        let Some(c) = b.be32(off + 6) else { return cx.bounds_error(off + 10, end) };
        cx.u(code, c, b.span(off + 6, 4));
    } else if request {
        match b.be32(off) {
            Some(c) if off + 4 <= end => cx.u(PLATFORM_CC, c, b.span(off, 4)),
            _ => cx.bounds_error(off + 4, end),
        }
    } else if b.be32(off).is_none() || off + 4 > end {
        cx.bounds_error(off + 4, end);
    }
}
