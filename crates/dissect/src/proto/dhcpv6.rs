//! DHCPv6 (UDP ports 546 and 547): the message type and transaction id (hop count and
//! addresses of relay messages), every option's type and length, including the options
//! nested in IA_NA / IA_TA / IA_PD, IA addresses and prefixes, and relayed messages, and a
//! few option bodies (DUIDs, elapsed time, the option request list, IAIDs).
crate::declare_fields! {
    after = super::dhcp::END;
    PROTO = "dhcpv6", "DHCPv6", Protocol, None;
    MSGTYPE = "dhcpv6.msgtype", "Message type", U8, Dec;
    HOPCOUNT = "dhcpv6.hopcount", "Hopcount", U8, Dec;
    XID = "dhcpv6.xid", "Transaction ID", U24, Hex;
    LINKADDR = "dhcpv6.linkaddr", "Link address", Ipv6, None;
    PEERADDR = "dhcpv6.peeraddr", "Peer address", Ipv6, None;
    OPTION_TYPE = "dhcpv6.option.type", "Option", U16, Dec;
    OPTION_LENGTH = "dhcpv6.option.length", "Length", U16, Dec;
    DUID_BYTES = "dhcpv6.duid.bytes", "DUID", Bytes, None;
    DUID_TYPE = "dhcpv6.duid.type", "DUID Type", U16, Dec;
    DUIDLLT_HWTYPE = "dhcpv6.duidllt.hwtype", "Hardware type", U16, Dec, blurb = "DUID LLT Hardware Type";
    DUIDLLT_LINK_LAYER_ADDR = "dhcpv6.duidllt.link_layer_addr", "Link-layer address", String, None;
    DUIDLL_HWTYPE = "dhcpv6.duidll.hwtype", "Hardware type", U16, Dec, blurb = "DUID LL Hardware Type";
    DUIDLL_LINK_LAYER_ADDR = "dhcpv6.duidll.link_layer_addr", "Link-layer address", String, None;
    IAID = "dhcpv6.iaid", "IAID", String, None;
    IAID_T1 = "dhcpv6.iaid.t1", "T1", U32, Dec;
    IAID_T2 = "dhcpv6.iaid.t2", "T2", U32, Dec;
    REQUESTED_OPTION_CODE = "dhcpv6.requested_option_code", "Requested Option code", U16, Dec;
    ELAPSED_TIME = "dhcpv6.elapsed_time", "Elapsed time", U16, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// Relayed messages nested deeper than this are not dissected.
const MAX_DEPTH: u8 = 8;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "dhcpv6", b.span_to(off, end));
    // tshark's `-e dhcpv6` shows the protocol's abbreviation.
    cx.label(PROTO, || "dhcpv6".into());
    if !cx.wants_any(crate::field::FieldId(BASE + 1), END) {
        return;
    }
    let b = b.until(end);
    message(cx, &b, off, b.len(), 0);
}

/// One message (a relayed one inside a Relay Message option too) in `off..stop`.
fn message(cx: &mut Cx, b: &Bytes, off: usize, stop: usize, depth: u8) {
    let Some(t) = b.u8(off) else { return };
    cx.u(MSGTYPE, t, b.span(off, 1));
    if t == 12 || t == 13 {
        let Some(hops) = b.u8(off + 1) else { return };
        cx.u(HOPCOUNT, hops, b.span(off + 1, 1));
        let Some(link) = b.arr::<16>(off + 2) else { return };
        cx.add(LINKADDR, Value::Ipv6(link), b.span(off + 2, 16));
        let Some(peer) = b.arr::<16>(off + 18) else { return };
        cx.add(PEERADDR, Value::Ipv6(peer), b.span(off + 18, 16));
        options(cx, b, off + 34, stop, depth);
    } else {
        let Some(xid) = b.be24(off + 1) else { return };
        cx.u(XID, xid, b.span(off + 1, 3));
        options(cx, b, off + 4, stop, depth);
    }
}

fn hex_colons(d: &[u8]) -> String {
    let mut s = String::with_capacity(d.len() * 3);
    for (i, x) in d.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        s.push_str(&format!("{:02x}", x));
    }
    s
}

fn options(cx: &mut Cx, b: &Bytes, mut p: usize, stop: usize, depth: u8) {
    while p + 4 <= stop {
        let (Some(t), Some(len)) = (b.be16(p), b.be16(p + 2)) else { return };
        let (v, n) = (p + 4, len as usize);
        // An option not all there (cut by the capture) ends the message before its items.
        if v + n > stop {
            return;
        }
        cx.u(OPTION_TYPE, t, b.span(p, 2));
        cx.u(OPTION_LENGTH, len, b.span(p + 2, 2));
        let val = &b.data[v..v + n];
        let be16 = |o: usize| val.get(o..o + 2).map(|x| u16::from_be_bytes([x[0], x[1]]));
        let be32 = |o: usize| val.get(o..o + 4).map(|x| u32::from_be_bytes([x[0], x[1], x[2], x[3]]));
        match t {
            1 | 2 if n > 0 => {
                cx.add(DUID_BYTES, Value::Bytes(b.span(v, n)), b.span(v, n));
                if let Some(dt) = be16(0) {
                    cx.u(DUID_TYPE, dt, b.span(v, 2));
                    match dt {
                        1 if n >= 8 => {
                            cx.u(DUIDLLT_HWTYPE, be16(2).unwrap_or(0), b.span(v + 2, 2));
                            if n > 8 {
                                cx.add_str(DUIDLLT_LINK_LAYER_ADDR, &hex_colons(&val[8..]), b.span(v + 8, n - 8));
                            }
                        }
                        3 if n >= 4 => {
                            cx.u(DUIDLL_HWTYPE, be16(2).unwrap_or(0), b.span(v + 2, 2));
                            if n > 4 {
                                cx.add_str(DUIDLL_LINK_LAYER_ADDR, &hex_colons(&val[4..]), b.span(v + 4, n - 4));
                            }
                        }
                        _ => {}
                    }
                }
            }
            3 | 25 if n >= 12 => {
                cx.add_str(IAID, &format!("{:08x}", be32(0).unwrap_or(0)), b.span(v, 4));
                cx.u(IAID_T1, be32(4).unwrap_or(0), b.span(v + 4, 4));
                cx.u(IAID_T2, be32(8).unwrap_or(0), b.span(v + 8, 4));
                options(cx, b, v + 12, v + n, depth);
            }
            4 if n >= 4 => {
                cx.add_str(IAID, &format!("{:08x}", be32(0).unwrap_or(0)), b.span(v, 4));
                options(cx, b, v + 4, v + n, depth);
            }
            // IA Address: address, preferred and valid lifetimes, then options.
            5 if n >= 24 => options(cx, b, v + 24, v + n, depth),
            // IA Prefix: lifetimes, prefix length, prefix, then options.
            26 if n >= 25 => options(cx, b, v + 25, v + n, depth),
            6 => {
                for i in 0..n / 2 {
                    cx.u(REQUESTED_OPTION_CODE, be16(2 * i).unwrap_or(0), b.span(v + 2 * i, 2));
                }
            }
            // Hundredths of a second, shown in milliseconds.
            8 if n == 2 => cx.u(ELAPSED_TIME, be16(0).unwrap_or(0) as u64 * 10, b.span(v, 2)),
            9 if n > 0 && depth < MAX_DEPTH => {
                // The relayed message: a DHCPv6 item of its own (no layer of `frame.protocols`).
                cx.add(PROTO, Value::None, b.span(v, n));
                cx.label(PROTO, || "dhcpv6".into());
                message(cx, b, v, v + n, depth + 1)
            }
            _ => {}
        }
        p = v + n;
    }
}
