//! DHCP/BOOTP (UDP ports 67 and 68; tshark 4.0 calls the protocol `dhcp`): the fixed
//! BOOTP header, the magic cookie, and the options, each with its type, length and value,
//! and the common ones decoded (message type, addresses, lease time, names, the parameter
//! request list). The option list ends at End (255); what follows is padding.
crate::declare_fields! {
    after = super::media::END;
    PROTO = "dhcp", "Dynamic Host Configuration Protocol", Protocol, None;
    TYPE = "dhcp.type", "Message type", U8, Dec;
    HW_TYPE = "dhcp.hw.type", "Hardware type", U8, Hex;
    HW_LEN = "dhcp.hw.len", "Hardware address length", U8, Dec;
    HOPS = "dhcp.hops", "Hops", U8, Dec;
    ID = "dhcp.id", "Transaction ID", U32, Hex;
    SECS = "dhcp.secs", "Seconds elapsed", U16, Dec;
    FLAGS = "dhcp.flags", "Bootp flags", U16, Hex;
    FLAGS_BC = "dhcp.flags.bc", "Broadcast flag", Boolean, None, mask = 0x8000, tfs = ("Broadcast", "Unicast");
    FLAGS_RESERVED = "dhcp.flags.reserved", "Reserved flags", U16, Hex, mask = 0x7fff;
    IP_CLIENT = "dhcp.ip.client", "Client IP address", Ipv4, None;
    IP_YOUR = "dhcp.ip.your", "Your (client) IP address", Ipv4, None;
    IP_SERVER = "dhcp.ip.server", "Next server IP address", Ipv4, None;
    IP_RELAY = "dhcp.ip.relay", "Relay agent IP address", Ipv4, None;
    HW_ADDR = "dhcp.hw.addr", "Client hardware address", Bytes, None;
    HW_ADDR_PADDING = "dhcp.hw.addr_padding", "Client hardware address padding", Bytes, None;
    HW_MAC_ADDR = "dhcp.hw.mac_addr", "Client MAC address", Ether, None;
    SERVER = "dhcp.server", "Server host name", String, None;
    FILE = "dhcp.file", "Boot file name", String, None;
    COOKIE = "dhcp.cookie", "Magic cookie", Ipv4, None;
    OPTION_TYPE = "dhcp.option.type", "Option", U8, Dec, blurb = "DHCP/BOOTP option type";
    OPTION_LENGTH = "dhcp.option.length", "Length", U8, Dec, blurb = "DHCP/BOOTP option length";
    OPTION_VALUE = "dhcp.option.value", "Value", Bytes, None, blurb = "DHCP/BOOTP option value";
    OPTION_PADDING = "dhcp.option.padding", "Padding", Bytes, None, blurb = "Option 0: Padding";
    OPTION_SUBNET_MASK = "dhcp.option.subnet_mask", "Subnet Mask", Ipv4, None, blurb = "Option 1: Subnet Mask";
    OPTION_ROUTER = "dhcp.option.router", "Router", Ipv4, None, blurb = "Option 3: Router";
    OPTION_DOMAIN_NAME_SERVER = "dhcp.option.domain_name_server", "Domain Name Server", Ipv4, None, blurb = "Option 6: Domain Name Server";
    OPTION_HOSTNAME = "dhcp.option.hostname", "Host Name", String, None, blurb = "Option 12: Host Name";
    OPTION_DOMAIN_NAME = "dhcp.option.domain_name", "Domain Name", String, None, blurb = "Option 15: Domain Name";
    OPTION_REQUESTED_IP_ADDRESS = "dhcp.option.requested_ip_address", "Requested IP Address", Ipv4, None, blurb = "Option 50: Requested IP Address";
    OPTION_IP_ADDRESS_LEASE_TIME = "dhcp.option.ip_address_lease_time", "IP Address Lease Time", U32, Dec, blurb = "Option 51: IP Address Lease Time";
    OPTION_DHCP = "dhcp.option.dhcp", "DHCP", U8, Dec, blurb = "Option 53: DHCP option";
    OPTION_DHCP_SERVER_ID = "dhcp.option.dhcp_server_id", "DHCP Server Identifier", Ipv4, None, blurb = "Option 54: DHCP Server Identifier";
    OPTION_REQUEST_LIST_ITEM = "dhcp.option.request_list_item", "Parameter Request List Item", U8, Dec, blurb = "Option 55: Parameter Request List Item";
    OPTION_VENDOR_CLASS_ID = "dhcp.option.vendor_class_id", "Vendor class identifier", String, None, blurb = "Option 60: Vendor class identifier";
    OPTION_END = "dhcp.option.end", "Option End", U8, Dec, blurb = "Option 255: End";
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// The magic cookie that starts DHCP options.
const COOKIE_DHCP: u32 = 0x6382_5363;

/// Whether UDP's port dispatch hands a datagram between these ports to DHCP: tshark tries
/// the lower port first, then the higher one (the other dissectors of low ports are
/// [`crate::proto::udp`]'s business; this only says DHCP's ports are involved).
pub fn port(p: u16) -> bool {
    p == 67 || p == 68
}

/// Seconds elapsed: big-endian, except that tshark reads the two bytes as little-endian
/// when only the first is non-zero (clients that send it in their own byte order).
fn secs_value(x: [u8; 2]) -> u16 {
    if x[0] != 0 && x[1] == 0 {
        u16::from_le_bytes(x)
    } else {
        u16::from_be_bytes(x)
    }
}

/// The names tshark gives DHCP message types (option 53).
fn message_type_name(t: u8) -> String {
    const NAMES: [&str; 18] = [
        "Discover",
        "Offer",
        "Request",
        "Decline",
        "ACK",
        "NAK",
        "Release",
        "Inform",
        "Force Renew",
        "Lease query",
        "Lease Unassigned",
        "Lease Unknown",
        "Lease Active",
        "Bulk Lease Query",
        "Lease Query Done",
        "Active LeaseQuery",
        "Lease Query Status",
        "TLS",
    ];
    match NAMES.get((t as usize).wrapping_sub(1)) {
        Some(n) => n.to_string(),
        None => format!("Unknown Message Type (0x{:02x})", t),
    }
}

/// tshark's first walk over the options (up to End or the datagram's end): None when it
/// leaves the captured bytes (it throws before any field is added), else the Option
/// Overload value (1: the boot file name holds options, 2: the server name, 3: both) and
/// the DHCP message type (option 53).
fn first_pass(b: &Bytes, off: usize, end: usize) -> Option<(u8, Option<u8>)> {
    let cap = b.len().min(end);
    let mut p = if b.data.get(off + 236..off + 240).is_some_and(|c| c == COOKIE_DHCP.to_be_bytes()) {
        off + 240
    } else {
        off + 300
    };
    let mut overload = 0;
    let mut msg_type = None;
    while p < end {
        let &t = b.data.get(p).filter(|_| p < cap)?;
        match t {
            255 => break,
            0 => p += 1,
            _ => {
                let &len = b.data.get(p + 1).filter(|_| p + 1 < cap)?;
                if t == 52 && len == 1 {
                    overload = *b.data.get(p + 2).filter(|_| p + 2 < cap)?;
                }
                if t == 53 && len == 1 && msg_type.is_none() {
                    msg_type = Some(*b.data.get(p + 2).filter(|_| p + 2 < cap)?);
                }
                p += 2 + len as usize;
                if p > cap && p <= end {
                    return None;
                }
            }
        }
    }
    Some((overload, msg_type))
}

fn ipv4(b: &Bytes, off: usize) -> Option<Value> {
    b.arr::<4>(off).map(Value::Ipv4)
}

/// A string of a fixed-size field or an option: up to the first NUL.
fn stringz(d: &[u8]) -> &[u8] {
    crate::codec::cstr(d)
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "dhcp", b.span_to(off, end));
    // The fixed part tshark reads: the header and the cookie, or without the cookie BOOTP's
    // 64-byte vendor area. A message shorter than that throws (the dissection stops there).
    let cookie = off + 240 <= end && b.be32(off + 236) == Some(COOKIE_DHCP);
    let fixed = off + if cookie { 240 } else { 300 };
    if fixed > end.min(b.len()) {
        cx.bounds_error(fixed, end);
    }
    if !cx.wants_any(crate::field::FieldId(BASE), END) {
        return;
    }
    // tshark walks the options once before it adds anything: options cut short by the
    // capture's snapshot length end the dissection there, with no field added.
    let Some((overload, msg_type)) = first_pass(&b, off, end) else {
        cx.label(PROTO, || "dhcp".into());
        return;
    };
    // tshark's `-e dhcp`: the protocol's name with the DHCP message type, or (BOOTP) its
    // abbreviation.
    cx.label(PROTO, || match msg_type {
        Some(t) => format!("Dynamic Host Configuration Protocol ({})", message_type_name(t)),
        None => "dhcp".into(),
    });
    let b = b.until(end);
    let sp = |o: usize, l: usize| b.span(off + o, l);
    let Some(op) = b.u8(off) else { return };
    cx.u(TYPE, op, sp(0, 1));
    let Some(htype) = b.u8(off + 1) else { return };
    cx.u(HW_TYPE, htype, sp(1, 1));
    let Some(hlen) = b.u8(off + 2) else { return };
    cx.u(HW_LEN, hlen, sp(2, 1));
    let Some(hops) = b.u8(off + 3) else { return };
    cx.u(HOPS, hops, sp(3, 1));
    let Some(xid) = b.be32(off + 4) else { return };
    cx.u(ID, xid, sp(4, 4));
    let Some(secs) = b.arr::<2>(off + 8) else { return };
    cx.u(SECS, secs_value(secs), sp(8, 2));
    let Some(flags) = b.be16(off + 10) else { return };
    cx.u(FLAGS, flags, sp(10, 2));
    cx.flag(FLAGS_BC, flags & 0x8000 != 0, sp(10, 2));
    cx.u(FLAGS_RESERVED, flags & 0x7fff, sp(10, 2));
    for (i, id) in [IP_CLIENT, IP_YOUR, IP_SERVER, IP_RELAY].into_iter().enumerate() {
        let Some(v) = ipv4(&b, off + 12 + 4 * i) else { return };
        cx.add(id, v, sp(12 + 4 * i, 4));
    }
    // The client hardware address: 16 bytes, the first `hlen` of them the address.
    let chaddr = off + 28;
    if htype == 1 && hlen == 6 {
        let Some(mac) = b.arr::<6>(chaddr) else { return };
        cx.add(HW_MAC_ADDR, Value::Ether(mac), sp(28, 6));
        let Some(_) = b.data.get(chaddr + 6..chaddr + 16) else { return };
        cx.add(HW_ADDR_PADDING, Value::Bytes(sp(34, 10)), sp(34, 10));
    } else if (1..=16).contains(&hlen) {
        let n = hlen as usize;
        let Some(_) = b.data.get(chaddr..chaddr + n) else { return };
        cx.add(HW_ADDR, Value::Bytes(sp(28, n)), sp(28, n));
        if n < 16 {
            let Some(_) = b.data.get(chaddr + n..chaddr + 16) else { return };
            cx.add(HW_ADDR_PADDING, Value::Bytes(sp(28 + n, 16 - n)), sp(28 + n, 16 - n));
        }
    } else {
        let Some(_) = b.data.get(chaddr..chaddr + 16) else { return };
        cx.add(HW_ADDR, Value::Bytes(sp(28, 16)), sp(28, 16));
    }
    // Server host name and boot file name, unless Option Overload gave them to options.
    for (id, o, n, bit) in [(SERVER, 44usize, 64usize, 2u8), (FILE, 108, 128, 1)] {
        let Some(d) = b.data.get(off + o..off + o + n) else { return };
        if overload & bit == 0 {
            cx.add_ascii(id, stringz(d), sp(o, n));
        }
    }
    // Without the DHCP magic cookie the rest is BOOTP's vendor area (not dissected).
    if b.be32(off + 236) != Some(COOKIE_DHCP) {
        return;
    }
    cx.add(COOKIE, Value::Ipv4(COOKIE_DHCP.to_be_bytes()), sp(236, 4));
    options(cx, &b, off, off + 240, b.len(), true);
}

/// The options in `start..stop` (offsets into `b`; the message starts at `msg`). In the
/// main list (`main`), Option Overload dissects the options the server host name and then
/// the boot file name fields hold right there.
fn options(cx: &mut Cx, b: &Bytes, msg: usize, start: usize, stop: usize, main: bool) {
    let d = b.data;
    let mut p = start;
    while p < stop {
        let t = d[p];
        if t == 255 {
            // End: tshark's option item shows 0 here; the rest of the message is padding.
            cx.u(OPTION_TYPE, 0u8, b.span(p, 1));
            cx.u(OPTION_END, t, b.span(p, 1));
            if main && p + 1 < stop {
                let s = b.span(p + 1, stop - p - 1);
                cx.add(OPTION_PADDING, Value::Bytes(s), s);
            }
            return;
        }
        if t == 0 {
            // A run of Pad options: one option item.
            let n = d[p..stop].iter().take_while(|&&x| x == 0).count();
            let s = b.span(p, n);
            cx.u(OPTION_TYPE, 0u8, b.span(p, 1));
            cx.add(OPTION_PADDING, Value::Bytes(s), s);
            p += n;
            continue;
        }
        let Some(&len) = d.get(p + 1) else { return };
        let (v, n) = (p + 2, len as usize);
        let Some(val) = d.get(v..v + n) else { return };
        cx.u(OPTION_TYPE, t, b.span(p, 2 + n));
        cx.u(OPTION_LENGTH, len, b.span(p + 1, 1));
        if n > 0 {
            cx.add(OPTION_VALUE, Value::Bytes(b.span(v, n)), b.span(v, n));
        }
        let addrs = |cx: &mut Cx, id| {
            for (i, a) in val.chunks_exact(4).enumerate() {
                cx.add(id, Value::Ipv4([a[0], a[1], a[2], a[3]]), b.span(v + 4 * i, 4));
            }
        };
        match t {
            1 if n == 4 => addrs(cx, OPTION_SUBNET_MASK),
            3 => addrs(cx, OPTION_ROUTER),
            6 => addrs(cx, OPTION_DOMAIN_NAME_SERVER),
            12 => cx.add_ascii(OPTION_HOSTNAME, stringz(val), b.span(v, n)),
            15 => cx.add_ascii(OPTION_DOMAIN_NAME, stringz(val), b.span(v, n)),
            50 if n == 4 => addrs(cx, OPTION_REQUESTED_IP_ADDRESS),
            51 if n == 4 => {
                cx.u(OPTION_IP_ADDRESS_LEASE_TIME, u32::from_be_bytes([val[0], val[1], val[2], val[3]]), b.span(v, 4))
            }
            53 if n == 1 => cx.u(OPTION_DHCP, val[0], b.span(v, 1)),
            54 if n == 4 => addrs(cx, OPTION_DHCP_SERVER_ID),
            55 => {
                for (i, &x) in val.iter().enumerate() {
                    cx.u(OPTION_REQUEST_LIST_ITEM, x, b.span(v + i, 1));
                }
            }
            60 => cx.add_ascii(OPTION_VENDOR_CLASS_ID, stringz(val), b.span(v, n)),
            // Client identifier: a hardware type, then (Ethernet) the MAC address.
            61 if n == 7 && val[0] == 1 => {
                cx.u(HW_TYPE, val[0], b.span(v, 1));
                cx.add(HW_MAC_ADDR, Value::Ether([val[1], val[2], val[3], val[4], val[5], val[6]]), b.span(v + 1, 6));
            }
            52 if n == 1 && main => {
                if val[0] & 2 != 0 {
                    options(cx, b, msg, msg + 44, (msg + 108).min(stop), false);
                }
                if val[0] & 1 != 0 {
                    options(cx, b, msg, msg + 108, (msg + 236).min(stop), false);
                }
            }
            _ => {}
        }
        p = v + n;
    }
}
