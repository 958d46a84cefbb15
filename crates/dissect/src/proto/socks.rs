//! SOCKS (port 1080): the version 4 request and reply (RFC-less SOCKS4/4a), the version 5
//! method negotiation, username/password exchange, command and reply (RFC 1928, RFC 1929),
//! followed per direction as tshark does. Once both sides are done, later frames carry the
//! proxied connection: the caller hands their payload on as if it used the remote port the
//! command named (tshark shows `socks` above it).
crate::declare_fields! {
    after = super::telnet::END;
    PROTO = "socks", "Socks Protocol", Protocol, None;
    VERSION = "socks.version", "Version", U8, Dec;
    DST = "socks.dst", "Remote Address", Ipv4, None;
    DSTPORT = "socks.dstport", "Remote Port", U16, Dec;
    COMMAND = "socks.command", "Command", U8, Dec, vals = COMMAND_VALS;
    RESULTS = "socks.results", "Results(V4)", U8, Dec;
    AUTH_METHOD_COUNT = "socks.auth_method_count", "Authentication Method Count", U8, Dec;
    AUTH_METHOD = "socks.auth_method", "Method", U8, Dec;
    RESERVED = "socks.reserved", "Reserved", U8, Dec;
    PORT = "socks.port", "Port", U16, Dec;
    AUTH_ACCEPTED_METHOD = "socks.auth_accepted_method", "Accepted Auth Method", U8, Dec;
    REMOTE_NAME = "socks.remote_name", "Remote name", String, None;
    ADDRESS_TYPE = "socks.address_type", "Address Type", U8, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::{Span, Value};

pub static COMMAND_VALS: &[(u64, &str)] =
    &[(0, "Unknown"), (1, "Connect"), (2, "Bind"), (3, "UdpAssociate"), (0x80, "Ping"), (0x81, "Traceroute")];

const CONNECT: u8 = 1;
const BIND: u8 = 2;
const UDP_ASSOCIATE: u8 = 3;
const PING: u8 = 0x80;
const TRACEROUTE: u8 = 0x81;

/// What the client sends next.
#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
enum Client {
    #[default]
    Start,
    WaitForAuthReply,
    Command,
    UserName,
    Done,
    Error,
}

/// What the server sends next.
#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
enum Server {
    #[default]
    Start,
    UserReply,
    CommandReply,
    BindReply,
    Done,
    Error,
}

/// A SOCKS connection's negotiation.
#[derive(Default)]
pub struct Conv {
    /// 4 or 5 (0 until the first payload).
    version: u8,
    client: Client,
    server: Server,
    command: u8,
    /// The remote port the command named.
    port: u16,
    /// The frame where both sides were done (0 before).
    done_frame: u32,
    /// What tshark shows as a version 4 connection's remote address.
    v4_dst: [u8; 4],
}

impl Conv {
    fn done(&self) -> bool {
        self.client == Client::Done && self.server == Server::Done
    }
}

/// One payload `off..end`; `to_server` when it goes to the SOCKS port. Returns the remote
/// port when the payload belongs to the proxied connection (to be dissected as such).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, to_server: bool, conv: &mut Conv) -> Option<u16> {
    cx.proto(PROTO, "socks", b.span_to(off, end));
    let d = b.data.get(off..b.len().min(end)).unwrap_or(&[]);
    if conv.version == 0 {
        conv.version = *d.first()?;
        if conv.version != 4 && conv.version != 5 {
            conv.client = Client::Error;
            conv.server = Server::Error;
        }
    }
    if !conv.done() {
        match (conv.version, to_server) {
            (4, true) => client_v4(cx, b, off, d, conv),
            (4, false) => server_v4(cx, b, off, d, conv),
            (5, true) => client_v5(cx, b, off, d, conv),
            (5, false) => server_v5(cx, b, off, d, conv),
            _ => {}
        }
        if conv.done() {
            conv.done_frame = cx.meta.number;
        }
        return None;
    }
    if cx.meta.number <= conv.done_frame {
        return None;
    }
    // Past the negotiation tshark repeats what it learnt (generated items); for version 4
    // its remote address is the request's first four bytes.
    cx.u(VERSION, conv.version, Span::EMPTY);
    cx.u(COMMAND, conv.command, Span::EMPTY);
    if conv.version == 4 {
        cx.add(DST, Value::Ipv4(conv.v4_dst), Span::EMPTY);
    }
    if matches!(conv.command, PING | TRACEROUTE) {
        return None;
    }
    cx.u(DSTPORT, conv.port, Span::EMPTY);
    Some(conv.port)
}

fn client_v4(cx: &mut Cx, b: Bytes, off: usize, d: &[u8], conv: &mut Conv) {
    if conv.client != Client::Start || d.len() < 8 {
        return;
    }
    conv.command = d[1];
    conv.v4_dst = [d[0], d[1], d[2], d[3]];
    if conv.command == CONNECT {
        conv.port = u16::from_be_bytes([d[2], d[3]]);
    }
    conv.client = Client::Done;
    if cx.creds_on() {
        // pcap-creds: the user id after the address (SOCKS4 has no password).
        let id = crate::codec::cstr(&d[8..]);
        if !id.is_empty() {
            cx.credential(crate::tap::Credential::cleartext("SOCKS4", id, b""));
        }
    }
    cx.u(VERSION, d[0], b.span(off, 1));
    cx.u(COMMAND, d[1], b.span(off + 1, 1));
    cx.u(DSTPORT, u16::from_be_bytes([d[2], d[3]]), b.span(off + 2, 2));
    cx.add(DST, Value::Ipv4([d[4], d[5], d[6], d[7]]), b.span(off + 4, 4));
}

fn server_v4(cx: &mut Cx, b: Bytes, off: usize, d: &[u8], conv: &mut Conv) {
    if conv.server != Server::Start || d.len() < 8 {
        return;
    }
    conv.server = Server::Done;
    cx.u(VERSION, d[0], b.span(off, 1));
    cx.u(RESULTS, d[1], b.span(off + 1, 1));
    cx.u(DSTPORT, u16::from_be_bytes([d[2], d[3]]), b.span(off + 2, 2));
    cx.add(DST, Value::Ipv4([d[4], d[5], d[6], d[7]]), b.span(off + 4, 4));
}

fn client_v5(cx: &mut Cx, b: Bytes, off: usize, d: &[u8], conv: &mut Conv) {
    if d.len() < 2 {
        return;
    }
    cx.u(VERSION, d[0], b.span(off, 1));
    match conv.client {
        Client::Start => {
            // Version, method count, methods.
            cx.u(AUTH_METHOD_COUNT, d[1], b.span(off + 1, 1));
            for (i, &m) in d[2..].iter().take(d[1] as usize).enumerate() {
                cx.u(AUTH_METHOD, m, b.span(off + 2 + i, 1));
            }
            conv.client = Client::WaitForAuthReply;
        }
        Client::Command => {
            // Version, command, reserved, address, port.
            conv.command = d[1];
            cx.u(COMMAND, d[1], b.span(off + 1, 1));
            if let Some(at) = address(cx, b, off, d, 3) {
                if let Some(p) = d.get(at..at + 2) {
                    let port = u16::from_be_bytes([p[0], p[1]]);
                    cx.u(PORT, port, b.span(off + at, 2));
                    if matches!(conv.command, CONNECT | UDP_ASSOCIATE) {
                        conv.port = port;
                    }
                }
            }
            conv.client = Client::Done;
        }
        Client::UserName => {
            if cx.creds_on() {
                if let Some(c) = user_pass(d) {
                    cx.credential(c);
                }
            }
            conv.client = Client::WaitForAuthReply
        }
        _ => {}
    }
}

/// RFC 1929's request: version 1, the username and the password, each after its length.
fn user_pass(d: &[u8]) -> Option<crate::tap::Credential> {
    let ulen = *d.get(1)? as usize;
    let user = d.get(2..2 + ulen)?;
    let plen = *d.get(2 + ulen)? as usize;
    let pass = d.get(3 + ulen..3 + ulen + plen)?;
    Some(crate::tap::Credential::cleartext("SOCKS5", user, pass))
}

fn server_v5(cx: &mut Cx, b: Bytes, off: usize, d: &[u8], conv: &mut Conv) {
    if d.len() < 2 {
        return;
    }
    cx.u(VERSION, d[0], b.span(off, 1));
    match conv.server {
        Server::Start => {
            cx.u(AUTH_ACCEPTED_METHOD, d[1], b.span(off + 1, 1));
            (conv.server, conv.client) = match d[1] {
                0 => (Server::CommandReply, Client::Command),
                2 => (Server::UserReply, Client::UserName),
                _ => (Server::Error, Client::Error),
            };
        }
        Server::UserReply => {
            conv.server = Server::CommandReply;
            conv.client = Client::Command;
        }
        Server::CommandReply => {
            if let Some(at) = address(cx, b, off, d, 3) {
                if let Some(p) = d.get(at..at + 2) {
                    cx.u(PORT, u16::from_be_bytes([p[0], p[1]]), b.span(off + at, 2));
                }
            }
            conv.server = match conv.command {
                BIND => Server::BindReply,
                _ => Server::Done,
            };
        }
        Server::BindReply => conv.server = Server::Done,
        _ => {}
    }
}

/// The reserved byte (at `at - 1` in `d`) and the address (its type at `at`) of a version 5
/// command or reply; returns where the port starts.
fn address(cx: &mut Cx, b: Bytes, off: usize, d: &[u8], at: usize) -> Option<usize> {
    let r = *d.get(at - 1)?;
    cx.u(RESERVED, r, b.span(off + at - 1, 1));
    let atyp = *d.get(at)?;
    cx.u(ADDRESS_TYPE, atyp, b.span(off + at, 1));
    match atyp {
        1 => {
            let a = d.get(at + 1..at + 5)?;
            cx.add(DST, Value::Ipv4([a[0], a[1], a[2], a[3]]), b.span(off + at + 1, 4));
            Some(at + 5)
        }
        3 => {
            let n = *d.get(at + 1)? as usize;
            let name = d.get(at + 2..at + 2 + n)?;
            cx.add_ascii(REMOTE_NAME, name, b.span(off + at + 2, n));
            Some(at + 2 + n)
        }
        4 => Some(at + 17),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn user_pass() {
        let c = super::user_pass(b"\x01\x03bob\x06secret").expect("parsed");
        assert_eq!((c.username.as_slice(), c.secret.as_slice()), (&b"bob"[..], &b"secret"[..]));
        for n in 0..11 {
            assert!(super::user_pass(&b"\x01\x03bob\x06secret"[..n]).is_none());
        }
    }

    #[test]
    fn commands_named() {
        let name = |c: u8| super::COMMAND_VALS.iter().find(|v| v.0 == c as u64).map(|v| v.1);
        assert_eq!(name(super::CONNECT), Some("Connect"));
        assert_eq!(name(super::UDP_ASSOCIATE), Some("UdpAssociate"));
    }
}
