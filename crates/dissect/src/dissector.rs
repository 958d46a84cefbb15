//! The driver: per-frame entry point, link-type dispatch and the ethertype / IP-protocol
//! dispatch tables that dissectors hand their payload to.

use crate::cx::{Bytes, Cx, FrameMeta};
use crate::field::{self, FieldId};
use crate::proto::{self, frame};
use crate::state::State;
use crate::tree::{Buf, Tree};

/// Dissects frames in capture order, keeping the cross-packet state (stream numbers,
/// relative sequence numbers, fragment reassembly) that tshark's single pass keeps.
pub struct Dissector {
    pub(crate) want: Vec<bool>,
    /// Running count of wanted fields (`want_sum[i]` counts `want[..i]`).
    want_sum: Vec<u32>,
    depth: u8,
    pub(crate) st: State,
}

/// The top-level tree item TCP adds for a PDU reassembled from several segments
/// (`[N Reassembled TCP Segments (...)]`): in [`Dissector::protocol_path`], never in
/// `frame.protocols`.
pub const SEGMENTS_ITEM: &str = "tcp.segments";

/// Top-level tree items that are no protocols, recorded in [`Dissector::protocol_path`]
/// where tshark's tree has them (`io,phs` counts them) and left out of `frame.protocols`:
/// TCP's reassembly item, FTP's working directory, and what an FTP data connection shows
/// of the command that set it up.
pub const TREE_ITEMS: &[&str] = &[
    SEGMENTS_ITEM,
    SHORT_ITEM,
    MALFORMED_ITEM,
    NESTED_OPEN,
    NESTED_CLOSE,
    "ftp.current-working-directory",
    "ftp-data.setup-frame",
    "ftp-data.setup-method",
    "ftp-data.command",
    "ftp-data.command-frame",
    "ftp-data.current-working-directory",
];

/// The item of tshark's exception for a packet cut short by the snapshot length
/// (`[Packet size limited during capture: ...]`), and for one shorter than its headers say
/// (`[Malformed Packet: ...]`): see [`Cx::bounds_error`](crate::cx::Cx::bounds_error).
pub const SHORT_ITEM: &str = "_ws.short";
pub const MALFORMED_ITEM: &str = "_ws.malformed";

/// The items of SMB's named-pipe transactions: tshark's SMB Pipe protocol, and the LANMAN
/// remote API inside `\PIPE\LANMAN`, are protocol items without a layer of their own in
/// `frame.protocols` (their dissectors are called directly): see [`TREE_ONLY`].
pub const SMB_PIPE_ITEM: &str = "~smb_pipe";
pub const LANMAN_ITEM: &str = "~lanman";

/// Around the layers of protocols a dissector calls inside its own tree item (the X.509
/// ones inside a TLS Certificate message): `frame.protocols` lists them, but they are no
/// top-level items of the tree (`io,phs` skips them). Not shown in `frame.protocols`.
pub const NESTED_OPEN: &str = "nested.open";
pub const NESTED_CLOSE: &str = "nested.close";

/// True for the names of [`TREE_ITEMS`] and for [`repeat`]ed protocols.
pub fn is_tree_item(name: &str) -> bool {
    name.starts_with(REPEAT)
        || name.starts_with(TREE_ONLY)
        || (name.contains('.') && (TREE_ITEMS.contains(&name) || name.starts_with(crate::proto::dcerpc::ITEM_PREFIX)))
}

/// Marks a protocol's further PDUs dissected in one call (several MQTT or BGP messages in a
/// segment): each is a top-level tree item of its own, which `io,phs` nests under the one
/// before, but tshark's `frame.protocols` names the protocol once.
const REPEAT: char = '+';

/// The path entry of a protocol's further PDU in one call (see [`REPEAT`]); `io,phs` shows
/// it under [`tree_item_name`].
pub fn repeat(proto: &'static str) -> &'static str {
    match proto {
        "mqtt" => "+mqtt",
        "pgsql" => "+pgsql",
        "bgp" => "+bgp",
        "rtcp" => "+rtcp",
        "sip" => "+sip",
        "nbss" => "+nbss",
        "smb2" => "+smb2",
        "http" => "+http",
        "ssdp" => "+ssdp",
        "websocket" => "+websocket",
        _ => proto,
    }
}

/// The name `io,phs` shows for a tree item of the path.
pub fn tree_item_name(name: &str) -> &str {
    // A DCE-RPC interface's item is named after the interface's protocol.
    name.strip_prefix(REPEAT)
        .or_else(|| name.strip_prefix(TREE_ONLY))
        .or_else(|| name.strip_prefix(crate::proto::dcerpc::ITEM_PREFIX))
        .unwrap_or(name)
}

/// Marks a protocol a dissector calls without naming it in `frame.protocols` (IPX's socket
/// protocols, Cisco ISL): its item is a top-level item of the tree, which `io,phs` counts.
pub const TREE_ONLY: char = '~';

/// How far a command needs frames dissected.
pub mod depth {
    /// Only `frame.*`.
    pub const FRAME: u8 = 0;
    /// Link, network and transport layers, and the tunnels that carry more of them
    /// (VXLAN, GENEVE, GTP, L2TP, Teredo): no field above them is wanted.
    pub const TRANSPORT: u8 = 1;
    /// Every layer.
    pub const APPLICATION: u8 = 2;
}

impl Dissector {
    /// A dissector that records the given fields (and anything `frame.protocols` needs).
    pub fn new(fields: impl IntoIterator<Item = FieldId>) -> Self {
        let mut want = vec![false; field::count()];
        let mut depth = depth::FRAME;
        let t = field::table();
        for id in fields {
            want[id.index()] = true;
            let proto = t.parent[id.index()];
            if proto != frame::PROTO || id == frame::PROTOCOLS {
                depth = depth::TRANSPORT;
            }
        }
        if depth == depth::TRANSPORT && !proto::transport_only(&want) {
            depth = depth::APPLICATION;
        }
        let st = State::new(&want);
        let want_sum = std::iter::once(0)
            .chain(want.iter().scan(0u32, |n, &w| {
                *n += w as u32;
                Some(*n)
            }))
            .collect();
        Dissector { want, want_sum, depth, st }
    }

    /// Goes through the link, network and transport layers (and tunnels) even when no field
    /// of theirs is wanted: for commands that need only their tap records (`Tree::taps`).
    pub fn transport_taps(&mut self) {
        self.depth = self.depth.max(depth::TRANSPORT);
    }

    /// Dissects one frame into `tree` (cleared first).
    pub fn dissect(&mut self, meta: &FrameMeta, data: &[u8], tree: &mut Tree) {
        tree.clear();
        self.st.protos.clear();
        let mut cx = Cx::new(tree, &self.want, &self.want_sum, &mut self.st, meta, self.depth);
        frame::dissect(&mut cx, data);
        if cx.depth >= depth::TRANSPORT {
            link(&mut cx, Bytes { data, buf: Buf::Frame, reported: (meta.len as usize).max(data.len()) }, meta.linktype);
        }
        if cx.wants(frame::PROTOCOLS) {
            let mut s = String::with_capacity(64);
            for p in cx.st.protos.iter().filter(|&&p| !is_tree_item(p)) {
                if !s.is_empty() {
                    s.push(':');
                }
                s.push_str(p);
            }
            cx.add_str(frame::PROTOCOLS, &s, crate::tree::Span::EMPTY);
        }
    }

    /// The last frame's protocol chain as recorded for `frame.protocols` (which must be
    /// wanted), with the top-level tree items that are no protocols ([`TREE_ITEMS`]) in
    /// their place: e.g. [`SEGMENTS_ITEM`] after (or, for data collected until FIN, before)
    /// a PDU reassembled from several segments. `io,phs` counts those too.
    pub fn protocol_path(&self) -> &[&'static str] {
        &self.st.protos
    }

    /// Tells the dissector which frame was displayed last (for `frame.time_delta_displayed`).
    pub fn displayed(&mut self, ts_ns: i64) {
        self.st.prev_displayed_ts = Some(ts_ns);
    }

    /// Sets the time `frame.time_delta` of the next frame is measured from (two-pass read
    /// filtering measures from the previous kept frame).
    pub fn set_previous_time(&mut self, ts_ns: i64) {
        self.st.prev_ts = Some(ts_ns);
    }

    /// The time of the capture's first frame (`frame.time_relative`'s origin).
    pub fn first_time(&self) -> Option<i64> {
        self.st.first_ts
    }

    /// Bytes TCP reassembly holds right now (unfinished PDUs of every stream).
    pub fn reassembly_bytes(&self) -> usize {
        self.st.tcp.held_bytes()
    }

    /// TCP conversations remembered right now.
    pub fn tcp_streams(&self) -> usize {
        self.st.tcp.len()
    }

    /// Records export objects (`Tree::objects`) of these protocols, each cut at `cap`
    /// bytes. The protocols' dissectors must be enabled too (ask for their protocol field).
    pub fn export(&mut self, protocols: crate::export::Protocols, cap: usize) {
        self.st.export = protocols;
        self.st.export_cap = cap;
    }

    /// Keeps TCP state (and reassembles) only for conversations that can carry one of these
    /// application protocols (`proto::tcp_app` bits): a tool that knows it needs no other,
    /// whatever taps it records. Other conversations are still counted by the taps.
    pub fn only_tcp_apps(&mut self, mask: u16) {
        self.st.tcp.only_apps(mask);
    }

    /// Leaves message bodies unread (HTTP still frames its messages by their lengths): for a
    /// tool that knows nothing it collects comes from what a body holds, whatever fields it
    /// wants (see `proto::bodies_matter` for the default).
    pub fn skip_bodies(&mut self) {
        self.st.bodies = false;
    }

    /// Tells the dissector that no TCP tap record is read (pcap-stats' tables of other
    /// layers): when no TCP field is wanted either and nothing above the transport layer
    /// can show, TCP headers are then not read at all.
    pub fn skip_tcp_taps(&mut self) {
        self.st.tcp_taps = false;
    }

    /// Tells the dissector that nothing the command collects can come from a UDP payload
    /// other than the tunnels to lower layers (tshark's credentials table: HTTP, FTP and
    /// mail over TCP): UDP then dissects only as far as tunnels (and the conversations QUIC
    /// and TFTP claim), as when nothing above the transport layer is wanted.
    pub fn only_tunnels_over_udp(&mut self) {
        self.st.udp_leaves = false;
    }

    /// Sets which HTTP form fields the credentials tap reads as username and password.
    pub fn set_form_fields(&mut self, fields: crate::state::FormFields) {
        self.st.form_fields = fields;
    }

    /// True when the field is one this dissector records.
    pub fn wants(&self, id: FieldId) -> bool {
        self.want[id.index()]
    }
}

/// Link-layer dispatch by LINKTYPE_*.
pub fn link(cx: &mut Cx, b: Bytes, linktype: u32) {
    match linktype {
        1 => proto::eth::dissect(cx, b, 0),
        0 => proto::null::dissect(cx, b, false),
        108 => proto::null::dissect(cx, b, true),
        113 => proto::sll::dissect_v1(cx, b),
        276 => proto::sll::dissect_v2(cx, b),
        101 | 12 | 14 => proto::raw::dissect(cx, b, 0),
        228 => proto::raw::dissect(cx, b, 4),
        229 => proto::raw::dissect(cx, b, 6),
        9 | 50 | 51 => proto::ppp::dissect(cx, b, linktype),
        104 => proto::chdlc::dissect(cx, b),
        107 => proto::fr::dissect(cx, b),
        239 => proto::nflog::dissect(cx, b),
        192 => proto::ppi::dissect(cx, b),
        105 => proto::wlan::dissect(cx, b, 0, false),
        127 => proto::radiotap::dissect(cx, b),
        186 => proto::usb::dissect_freebsd(cx, b),
        209 => proto::i2c::dissect(cx, b),
        195 => proto::wpan::dissect(cx, b),
        197 => proto::infiniband::dissect_erf(cx, b),
        129 => proto::arcnet::dissect_linux(cx, b),
        // RFC 1483 LLC-encapsulated ATM (the upper bits may say an FCS follows).
        l if l & 0x03ff_ffff == 100 => proto::llc::dissect(cx, b, 0, b.len()),
        // SLIP: tshark has no dissector for the link type and shows the bytes as data.
        l if l & 0x03ff_ffff == 8 => proto::data::dissect(cx, b, 0, b.len()),
        _ => {}
    }
}

/// A link layer starting at `off` (PPI carries the frame after its own header).
pub fn link_at(cx: &mut Cx, b: Bytes, off: usize, linktype: u32) {
    match linktype {
        1 => proto::eth::dissect(cx, b, off),
        101 | 12 | 14 | 228 | 229 => match b.u8(off).map(|v| v >> 4) {
            Some(4) => proto::ip::dissect(cx, b, off),
            Some(6) => proto::ipv6::dissect(cx, b, off),
            _ => proto::data::dissect(cx, b, off, b.reported),
        },
        _ => proto::data::dissect(cx, b, off, b.reported),
    }
}

/// Ethertype dispatch: the payload `off..` of `b` carries `etype`.
pub fn ethertype(cx: &mut Cx, b: Bytes, off: usize, etype: u16) {
    cx.push_name("ethertype");
    ethertype_payload(cx, b, off, etype)
}

/// The same dispatch without the `ethertype` pseudo-layer (LLC/SNAP, GRE).
pub fn ethertype_payload(cx: &mut Cx, b: Bytes, off: usize, etype: u16) {
    match etype {
        0x0800 => proto::ip::dissect(cx, b, off),
        0x86dd => proto::ipv6::dissect(cx, b, off),
        0x0806 => proto::arp::dissect(cx, b, off),
        0x8100 | 0x9100 => proto::vlan::dissect(cx, b, off),
        0x88a8 => proto::ieee8021ad::dissect(cx, b, off),
        0x88e7 => proto::ieee8021ah::dissect(cx, b, off),
        0x8847 | 0x8848 => proto::mpls::dissect(cx, b, off),
        0x894f => proto::nsh::dissect(cx, b, off),
        0x8909 => proto::cmd::dissect(cx, b, off),
        0x6558 => proto::eth::dissect(cx, b, off),
        0x8926 => proto::vntag::dissect(cx, b, off),
        0x8864 => proto::pppoe::dissect_session(cx, b, off),
        0x88cc => proto::lldp::dissect(cx, b, off),
        0x888e => proto::eapol::dissect(cx, b, off),
        0x8035 => proto::arp::dissect(cx, b, off),
        0x0842 if proto::wol::is_magic(b, off, b.len()) => proto::wol::dissect(cx, b, off, b.len()),
        0x8102 => proto::bofl::dissect(cx, b, off),
        0x88e5 => proto::macsec::dissect(cx, b, off),
        0x892f => proto::hsr::dissect(cx, b, off),
        0x88fb => proto::hsr::supervision(cx, b, off),
        0x3e3f => proto::epl_v1::dissect(cx, b, off),
        0x88a2 => proto::aoe::dissect(cx, b, off),
        0x8809 => proto::slow::dissect(cx, b, off),
        0x9000 => proto::ethloop::dissect(cx, b, off),
        0x886f => proto::msnlb::dissect(cx, b, off),
        0x8137 => proto::ipx::dissect(cx, b, off, b.len()),
        0xf052 => proto::hcrt::dissect(cx, b, off, b.reported),
        0x88ca => proto::tipc::dissect(cx, b, off),
        0x88ae | 0xabcd => proto::brdwlk::dissect(cx, b, off),
        _ => proto::data::dissect(cx, b, off, b.len()),
    }
}

/// IP-protocol dispatch for the payload `off..end` of an IPv4/IPv6 packet.
pub fn ip_proto(cx: &mut Cx, b: Bytes, off: usize, end: usize, proto_num: u8) {
    match proto_num {
        6 => proto::tcp::dissect(cx, b, off, end),
        17 => proto::udp::dissect(cx, b, off, end),
        1 => proto::icmp::dissect(cx, b, off, end),
        58 => proto::icmpv6::dissect(cx, b, off, end),
        4 => proto::ip::dissect(cx, b, off),
        41 => proto::ipv6::dissect(cx, b, off),
        47 => proto::gre::dissect(cx, b, off, end),
        50 => proto::esp::dissect(cx, b, off, end),
        51 => proto::ah::dissect(cx, b, off, end),
        2 => proto::igmp::dissect(cx, b, off, end),
        89 => proto::ospf::dissect(cx, b, off, end),
        112 => proto::vrrp::dissect(cx, b, off, end),
        103 => proto::pim::dissect(cx, b, off, end),
        46 => proto::rsvp::dissect(cx, b, off, end),
        113 => proto::pgm::dissect(cx, b, off, end),
        108 => proto::ipcomp::dissect(cx, b, off, end),
        // 62: the number of the Mobile IPv6 drafts, which tshark still registers.
        135 | 62 => proto::mipv6::dissect(cx, b, off, end),
        132 => proto::sctp::dissect(cx, b, off, end),
        _ => proto::data::dissect(cx, b, off, end),
    }
}
