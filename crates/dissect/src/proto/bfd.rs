//! Bidirectional Forwarding Detection (RFC 5880; control messages on UDP ports 3784, 4784
//! and 6784, echo packets on 3785 shown as `bfd_echo`): version, diagnostic, state, flags,
//! the detect multiplier, length, both discriminators and the three intervals.
crate::declare_fields! {
    after = super::hsrp::END;
    PROTO = "bfd", "Bidirectional Forwarding Detection Control Message", Protocol, None;
    VERSION = "bfd.version", "Protocol Version", U8, Dec, mask = 0xe0;
    DIAG = "bfd.diag", "Diagnostic Code", U8, Hex, mask = 0x1f;
    STA = "bfd.sta", "Session State", U8, Hex, mask = 0xc0;
    FLAGS = "bfd.flags", "Message Flags", U8, Hex;
    DETECT_TIME_MULTIPLIER = "bfd.detect_time_multiplier", "Detect Time Multiplier", U8, Dec;
    MESSAGE_LENGTH = "bfd.message_length", "Message Length", U8, Dec;
    MY_DISCRIMINATOR = "bfd.my_discriminator", "My Discriminator", U32, Hex;
    YOUR_DISCRIMINATOR = "bfd.your_discriminator", "Your Discriminator", U32, Hex;
    DESIRED_MIN_TX_INTERVAL = "bfd.desired_min_tx_interval", "Desired Min TX Interval", U32, Dec;
    REQUIRED_MIN_RX_INTERVAL = "bfd.required_min_rx_interval", "Required Min RX Interval", U32, Dec;
    REQUIRED_MIN_ECHO_INTERVAL = "bfd.required_min_echo_interval", "Required Min Echo Interval", U32, Dec;
    ECHO = "bfd_echo", "Bidirectional Forwarding Detection Echo Packet", Protocol, None;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "bfd", b.span_to(off, end));
    let (Some(vd), Some(flags)) = (b.u8(off), b.u8(off + 1)) else { return };
    let ver = vd >> 5;
    cx.u(VERSION, ver, b.span(off, 1));
    cx.u(DIAG, vd & 0x1f, b.span(off, 1));
    // Version 0 has no state bits.
    if ver != 0 {
        cx.u(STA, flags >> 6, b.span(off + 1, 1));
    }
    cx.u(FLAGS, flags, b.span(off + 1, 1));
    let (Some(mult), Some(len)) = (b.u8(off + 2), b.u8(off + 3)) else { return };
    cx.u(DETECT_TIME_MULTIPLIER, mult, b.span(off + 2, 1));
    cx.u(MESSAGE_LENGTH, len, b.span(off + 3, 1));
    let fields = [
        MY_DISCRIMINATOR,
        YOUR_DISCRIMINATOR,
        DESIRED_MIN_TX_INTERVAL,
        REQUIRED_MIN_RX_INTERVAL,
        REQUIRED_MIN_ECHO_INTERVAL,
    ];
    for (i, f) in fields.into_iter().enumerate() {
        let Some(v) = b.be32(off + 4 + 4 * i) else { return };
        cx.u(f, v, b.span(off + 4 + 4 * i, 4));
    }
}

/// An echo packet (opaque to all but its sender).
pub fn dissect_echo(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(ECHO, "bfd_echo", b.span_to(off, end));
}
