//! Dispatch to the application protocols that need no state of TCP's or UDP's own: by
//! tshark's port table (`ports::udp`, `ports::tcp`), then by heuristics. UDP and TCP call
//! these after their own protocols.

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;

/// Per-capture state of the protocols here.
#[derive(Default)]
pub struct State {
    pub gquic: crate::proto::gquic::Table,
    pub rpc: crate::proto::rpc::Table,
    pub iwarp: crate::proto::iwarp::Table,
    pub udt: crate::proto::udt::Table,
    pub cotp: crate::proto::tpkt::Table,
}

/// UDP protocols of the port table dissected here.
fn udp_named(cx: &mut Cx, name: &str, b: Bytes, pay: usize, end: usize, ports: (u16, u16)) -> bool {
    let d = b.data.get(pay..end.min(b.len())).unwrap_or(&[]);
    match name {
        "rpc" => crate::proto::rpc::dissect(cx, b, pay, end, ports),
        "dis" => crate::proto::dis::dissect(cx, b, pay, end),
        "ptp" => crate::proto::ptp::dissect(cx, b, pay, end),
        "papi" if crate::proto::papi::looks_like(b, pay) => crate::proto::papi::dissect(cx, b, pay, end),
        "db-lsp-disc" => crate::proto::db_lsp_disc::dissect(cx, b, pay, end),
        "sflow" => crate::proto::sflow::dissect(cx, b, pay, end),
        "tivoconnect" if crate::proto::tivoconnect::looks_like(d) => crate::proto::tivoconnect::dissect(cx, b, pay, end),
        "mndp" if crate::proto::mndp::looks_like(d) => crate::proto::mndp::dissect(cx, b, pay, end),
        "olsr" if crate::proto::olsr::looks_like(d, cx.src.family) => crate::proto::olsr::dissect(cx, b, pay, end),
        "lwres" => crate::proto::lwres::dissect(cx, b, pay, end),
        "hcrt" => crate::proto::hcrt::dissect(cx, b, pay, end),
        "cups" => crate::proto::cups::dissect(cx, b, pay, end),
        "openvpn" => crate::proto::openvpn::dissect(cx, b, pay, end, ports),
        "lisp" => crate::proto::lisp::dissect(cx, b, pay, end),
        "cldap" => crate::proto::cldap::dissect(cx, b, pay, end),
        "ldp" if crate::proto::ldp::looks_like(d) => crate::proto::ldp::dissect(cx, b, pay, end),
        "synphasor" => return crate::proto::synphasor::dissect(cx, b, pay, end),
        "stun" if crate::proto::stun::looks_like(d, end - pay) => crate::proto::stun::dissect(cx, b, pay, end),
        "isakmp" if end - pay >= crate::proto::isakmp::HDR_LEN => crate::proto::isakmp::dissect(cx, b, pay, end),
        "sbus" if crate::proto::sbus::looks_like(d, end - pay) => crate::proto::sbus::dissect(cx, b, pay, end),
        "doip" if crate::proto::doip::looks_like(d) => crate::proto::doip::dissect(cx, b, pay, end),
        "kerberos" if crate::proto::kerberos::looks_like_udp(d) => crate::proto::kerberos::dissect_udp(cx, b, pay, end),
        "steam_ihs_discovery" => match crate::proto::steam_ihs_discovery::check(d, end - pay) {
            Some(hl) => crate::proto::steam_ihs_discovery::dissect(cx, b, pay, end, hl),
            None => return false,
        },
        _ => return false,
    }
    true
}

/// True when one of the protocols here takes the datagram `pay..end` (dissected when
/// `leaf`, i.e. when anything above UDP can show). The lower port is tried first.
pub fn udp(cx: &mut Cx, b: Bytes, pay: usize, end: usize, ports: (u16, u16), leaf: bool) -> bool {
    let cap_end = end.min(b.len());
    let d = b.data.get(pay..cap_end).unwrap_or(&[]);
    // Conversations a heuristic claimed come first.
    if crate::proto::gquic::in_conversation(cx, ports) {
        if leaf {
            crate::proto::gquic::dissect(cx, b, pay, end, ports);
        }
        return true;
    }
    // A conversation UDT's heuristic claimed (nothing shows from it unless `leaf`).
    if crate::proto::udt::in_conversation(cx, ports) {
        if leaf {
            crate::proto::udt::dissect(cx, b, pay, end);
        }
        return true;
    }
    let (lo, hi) = if ports.0 <= ports.1 { ports } else { (ports.1, ports.0) };
    if !leaf {
        // Nothing here carries lower layers: whether a protocol would take the datagram
        // changes nothing that shows.
        if [lo, hi].into_iter().any(|p| crate::ports::udp(p).is_some_and(|n| UDP_NAMES.contains(&n))) {
            return true;
        }
        if crate::proto::gquic::looks_like(d) {
            crate::proto::gquic::claim(cx, d, ports);
            return true;
        }
        return false;
    }
    for p in [lo, hi] {
        if p == 0 {
            continue;
        }
        if let Some(name) = crate::ports::udp(p) {
            if udp_named(cx, name, b, pay, end, ports) {
                return true;
            }
        }
    }
    if crate::proto::dtls::looks_like(d, end.min(b.reported) - pay, cx.fragmented) {
        crate::proto::dtls::dissect(cx, b, pay, end);
        return true;
    }
    if crate::proto::gquic::looks_like(d) {
        crate::proto::gquic::claim(cx, d, ports);
        crate::proto::gquic::dissect(cx, b, pay, end, ports);
        return true;
    }
    if crate::proto::rpc::looks_like(cx, d, ports) {
        crate::proto::rpc::dissect(cx, b, pay, end, ports);
        return true;
    }
    if crate::proto::pana::looks_like(d, end - pay) {
        crate::proto::pana::dissect(cx, b, pay, end);
        return true;
    }
    if crate::proto::lsd::looks_like(&cx.dst, ports.1) {
        crate::proto::lsd::dissect(cx, b, pay, end);
        return true;
    }
    if crate::proto::stun::looks_like(d, end.min(b.reported) - pay) {
        crate::proto::stun::dissect(cx, b, pay, end);
        return true;
    }
    if crate::proto::udt::looks_like(d) {
        crate::proto::udt::claim(cx, ports);
        crate::proto::udt::dissect(cx, b, pay, end);
        return true;
    }
    false
}

const UDP_NAMES: &[&str] =
    &["rpc", "dis", "ptp", "papi", "db-lsp-disc", "tivoconnect", "mndp", "olsr", "lwres", "steam_ihs_discovery", "kerberos", "hcrt", "doip", "sbus", "isakmp", "cups", "openvpn", "lisp", "cldap", "ldp", "synphasor"];

/// TCP protocols dissected here.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tcp {
    Dhcpfo,
    Nntp,
    Mysql,
    Resp,
    /// Found by its heuristic; `true` for a little-endian header.
    Ctdb(bool),
    Rpc,
    /// MPA: `Some(request)` for a setup frame, `None` for an FPDU.
    Mpa(Option<bool>),
    Doip,
    Irc,
    Tpm,
    Gryphon,
    Netsync,
    Pcp,
    Rpkirtr,
    Wow,
    Mbtcp,
    Vnc,
    Kafka,
    Tpkt,
    Tns,
    Ymsg,
    Diameter,
    Msnms,
    Asap,
    Finger,
    Ldp,
    Synphasor,
    Bittorrent,
    Ajp13,
    Xmpp,
}

impl Tcp {
    /// The protocol tshark's TCP port table names, when it is one of these.
    pub fn by_name(name: &str) -> Option<Tcp> {
        Some(match name {
            "dhcpfo" => Tcp::Dhcpfo,
            "nntp" => Tcp::Nntp,
            "mysql" => Tcp::Mysql,
            "resp" => Tcp::Resp,
            "rpc" => Tcp::Rpc,
            "doip" => Tcp::Doip,
            "irc" => Tcp::Irc,
            "tpm" => Tcp::Tpm,
            "gryphon" => Tcp::Gryphon,
            "netsync" => Tcp::Netsync,
            "pcp" => Tcp::Pcp,
            "rpkirtr" => Tcp::Rpkirtr,
            "wow" => Tcp::Wow,
            "mbtcp" => Tcp::Mbtcp,
            "vnc" => Tcp::Vnc,
            "kafka" => Tcp::Kafka,
            "tpkt" => Tcp::Tpkt,
            "tns" => Tcp::Tns,
            "diameter" => Tcp::Diameter,
            "msnms" => Tcp::Msnms,
            "asap" => Tcp::Asap,
            "finger" => Tcp::Finger,
            "ldp" => Tcp::Ldp,
            "synphasor" => Tcp::Synphasor,
            "bittorrent" => Tcp::Bittorrent,
            "ajp13" => Tcp::Ajp13,
            "xmpp" => Tcp::Xmpp,
            _ => return None,
        })
    }

    /// The port table's name of a protocol chosen by port.
    pub fn name(self) -> &'static str {
        match self {
            Tcp::Dhcpfo => "dhcpfo",
            Tcp::Nntp => "nntp",
            Tcp::Mysql => "mysql",
            Tcp::Resp => "resp",
            Tcp::Ctdb(_) => "ctdb",
            Tcp::Rpc => "rpc",
            Tcp::Irc => "irc",
            Tcp::Mpa(_) => "iwarp_mpa",
            Tcp::Doip => "doip",
            Tcp::Tpm => "tpm",
            Tcp::Gryphon => "gryphon",
            Tcp::Netsync => "netsync",
            Tcp::Pcp => "pcp",
            Tcp::Rpkirtr => "rpkirtr",
            Tcp::Wow => "wow",
            Tcp::Mbtcp => "mbtcp",
            Tcp::Vnc => "vnc",
            Tcp::Kafka => "kafka",
            Tcp::Tpkt => "tpkt",
            Tcp::Tns => "tns",
            Tcp::Ymsg => "ymsg",
            Tcp::Diameter => "diameter",
            Tcp::Msnms => "msnms",
            Tcp::Asap => "asap",
            Tcp::Finger => "finger",
            Tcp::Ldp => "ldp",
            Tcp::Synphasor => "synphasor",
            Tcp::Bittorrent => "bittorrent",
            Tcp::Ajp13 => "ajp13",
            Tcp::Xmpp => "xmpp",
        }
    }

    /// The heuristics tshark tries on a payload no port claimed.
    pub fn heuristic(cx: &Cx, d: &[u8], ports: (u16, u16)) -> Option<Tcp> {
        if let Some(m) = crate::proto::iwarp::looks_like(cx, d, ports) {
            return Some(Tcp::Mpa(m));
        }
        if crate::proto::rpc::looks_like_tcp(cx, d, ports) {
            return Some(Tcp::Rpc);
        }
        if crate::proto::ymsg::looks_like(d) {
            return Some(Tcp::Ymsg);
        }
        if crate::proto::bittorrent::is_handshake(d) {
            return Some(Tcp::Bittorrent);
        }
        crate::proto::ctdb::looks_like(d).map(Tcp::Ctdb)
    }
}

/// The payload `off..end` (a segment, or a PDU TCP reassembled) for the protocol `app`;
/// `request` when it goes to the server's port.
pub fn tcp(cx: &mut Cx, b: Bytes, off: usize, end: usize, app: Tcp, request: bool, ports: (u16, u16)) -> Option<Deseg> {
    match app {
        Tcp::Rpc => crate::proto::rpc::dissect_tcp(cx, b, off, end, ports),
        Tcp::Mpa(m) => {
            crate::proto::iwarp::dissect(cx, b, off, end, m, ports);
            None
        }
        Tcp::Dhcpfo => crate::proto::dhcpfo::dissect(cx, b, off, end),
        Tcp::Doip => crate::proto::doip::dissect_tcp(cx, b, off, end),
        Tcp::Nntp => {
            crate::proto::nntp::dissect(cx, b, off, end, request);
            None
        }
        Tcp::Mysql => crate::proto::mysql::dissect(cx, b, off, end),
        Tcp::Resp => {
            crate::proto::resp::dissect(cx, b, off, end);
            None
        }
        Tcp::Ctdb(le) => {
            crate::proto::ctdb::dissect(cx, b, off, end, le);
            None
        }
        Tcp::Irc => {
            crate::proto::irc::dissect(cx, b, off, end, request, &mut Default::default());
            None
        }
        Tcp::Tpm => {
            crate::proto::tpm::dissect(cx, b, off, end, ports.0 > ports.1);
            None
        }
        Tcp::Gryphon => crate::proto::gryphon::dissect(cx, b, off, end),
        Tcp::Ymsg => crate::proto::ymsg::dissect(cx, b, off, end),
        Tcp::Diameter => crate::proto::diameter::dissect_tcp(cx, b, off, end),
        Tcp::Msnms => {
            crate::proto::msnms::dissect(cx, b, off, end);
            None
        }
        Tcp::Asap => {
            crate::proto::asap::dissect(cx, b, off, end);
            None
        }
        Tcp::Netsync => crate::proto::netsync::dissect(cx, b, off, end),
        Tcp::Finger => crate::proto::finger::dissect(cx, b, off, end, ports.1 == crate::proto::finger::PORT),
        Tcp::Ldp if crate::proto::ldp::looks_like(b.data.get(off..end.min(b.len())).unwrap_or(&[])) => {
            crate::proto::ldp::dissect_tcp(cx, b, off, end)
        }
        Tcp::Ldp => {
            crate::proto::data::dissect(cx, b, off, end.min(b.len()));
            None
        }
        Tcp::Synphasor => crate::proto::synphasor::dissect_tcp(cx, b, off, end),
        Tcp::Bittorrent => crate::proto::bittorrent::dissect(cx, b, off, end),
        Tcp::Ajp13 => crate::proto::ajp13::dissect(cx, b, off, end, &mut Default::default()),
        Tcp::Xmpp => crate::proto::xmpp::dissect(cx, b, off, end),
        Tcp::Pcp => crate::proto::pcp::dissect(cx, b, off, end),
        Tcp::Rpkirtr => crate::proto::rpkirtr::dissect(cx, b, off, end),
        Tcp::Wow => crate::proto::wow::dissect(cx, b, off, end, request),
        Tcp::Mbtcp if crate::proto::mbtcp::looks_like(b.data.get(off..end.min(b.len())).unwrap_or(&[])) => {
            crate::proto::mbtcp::dissect(cx, b, off, end, request)
        }
        Tcp::Mbtcp => {
            crate::proto::data::dissect(cx, b, off, end.min(b.len()));
            None
        }
        // TPKT's other port (3389) carries RDP, not dissected here.
        Tcp::Tpkt if ports.0 == 102 || ports.1 == 102 => crate::proto::tpkt::dissect(cx, b, off, end, ports),
        Tcp::Tpkt => {
            crate::proto::data::dissect(cx, b, off, end.min(b.len()));
            None
        }
        Tcp::Tns if crate::proto::tns::accepts(b.data.get(off..end.min(b.len())).unwrap_or(&[])) => {
            crate::proto::tns::dissect(cx, b, off, end, request)
        }
        Tcp::Tns => {
            crate::proto::data::dissect(cx, b, off, end.min(b.len()));
            None
        }
        Tcp::Kafka => crate::proto::kafka::dissect(cx, b, off, end, request),
        Tcp::Vnc => {
            crate::proto::vnc::dissect(cx, b, off, end, request);
            None
        }
    }
}

/// The field blocks of the TCP protocols here (a command wanting one of their fields needs
/// TCP's reassembly).
pub fn tcp_fields() -> [(u16, usize); 32] {
    use crate::proto::*;
    [
        (dhcpfo::BASE, dhcpfo::FIELDS.len()),
        (nntp::BASE, nntp::FIELDS.len()),
        (mysql::BASE, mysql::FIELDS.len()),
        (resp::BASE, resp::FIELDS.len()),
        (ctdb::BASE, ctdb::FIELDS.len()),
        (rpc::BASE, rpc::FIELDS.len()),
        (iwarp::BASE, iwarp::FIELDS.len()),
        (irc::BASE, irc::FIELDS.len()),
        (tpm::BASE, tpm::FIELDS.len()),
        (gryphon::BASE, gryphon::FIELDS.len()),
        (netsync::BASE, netsync::FIELDS.len()),
        (pcp::BASE, pcp::FIELDS.len()),
        (rpkirtr::BASE, rpkirtr::FIELDS.len()),
        (wow::BASE, wow::FIELDS.len()),
        (mbtcp::BASE, mbtcp::FIELDS.len()),
        (vnc::BASE, vnc::FIELDS.len()),
        (kafka::BASE, kafka::FIELDS.len()),
        (tpkt::BASE, tpkt::FIELDS.len()),
        (tns::BASE, tns::FIELDS.len()),
        (proxy::BASE, proxy::FIELDS.len()),
        (afp::BASE, afp::FIELDS.len()),
        (tds::BASE, tds::FIELDS.len()),
        (ymsg::BASE, ymsg::FIELDS.len()),
        (diameter::BASE, diameter::FIELDS.len()),
        (msnms::BASE, msnms::FIELDS.len()),
        (asap::BASE, asap::FIELDS.len()),
        (finger::BASE, finger::FIELDS.len()),
        (ldp::BASE, ldp::FIELDS.len()),
        (synphasor::BASE, synphasor::FIELDS.len()),
        (bittorrent::BASE, bittorrent::FIELDS.len()),
        (ajp13::BASE, ajp13::FIELDS.len()),
        (xmpp::BASE, xmpp::FIELDS.len()),
    ]
}

/// tshark's `tcp_dissect_pdus` for a protocol whose every PDU gets a tree item of its own:
/// PDUs of `fixed` bytes or more whose whole length `pdu_len` reads from their first
/// `fixed` bytes, reassembled when they span segments. The first PDU of a call names the
/// protocol (`name`), the others are `again` (`+name`: one `frame.protocols` entry, nested
/// items in `io,phs`).
#[allow(clippy::too_many_arguments)]
pub fn pdu_items(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    fixed: usize,
    pdu_len: impl Fn(&[u8]) -> usize,
    (proto, name, again): (crate::field::FieldId, &'static str, &'static str),
    mut body: impl FnMut(&mut Cx, Bytes, usize, usize),
) -> Option<Deseg> {
    let mut first = true;
    crate::reasm::pdus(cx, b, off, end, fixed, pdu_len, |cx, b, o, e| {
        let sp = b.span_to(o, e);
        if first {
            cx.proto(proto, name, sp);
            first = false;
        } else {
            cx.push_name(again);
            cx.add(proto, crate::tree::Value::None, sp);
        }
        body(cx, b, o, e);
    })
}
