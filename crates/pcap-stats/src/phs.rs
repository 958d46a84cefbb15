//! `-z io,phs`: the protocol hierarchy. tshark walks the top-level items of each packet's
//! protocol tree as a path (each item a child of the one before) and counts every node on
//! it; siblings stay in first-seen order.
//!
//! The core gives the protocol stack as `frame.protocols` does (plus the tree items that are
//! no protocols, such as TCP's `tcp.segments`); `top_level` turns it into the top-level
//! items tshark's tree has for the protocols the core dissects.

use pcaptk_dissect::dissector::{is_tree_item, tree_item_name, NESTED_CLOSE, NESTED_OPEN};
use pcaptk_dissect::proto::{frame, quic, wlan};
use pcaptk_dissect::{FieldId, Value, View};

/// The fields a command counting io,phs asks the core for: `frame.protocols` (which makes it
/// record the protocol path) and what [`Extra::of`] reads.
pub const FIELDS: [FieldId; 5] = [frame::PROTOCOLS, wlan::FC_TYPE, wlan::FC_PROTECTED, wlan::SEQ, quic::PROTO];

/// One node of the hierarchy (children as a first-child / next-sibling list, as tshark).
#[derive(Clone, Debug)]
pub struct Node {
    pub name: String,
    pub frames: u64,
    pub bytes: u64,
    pub child: Option<usize>,
    pub sibling: Option<usize>,
}

/// The hierarchy of one `io,phs`.
pub struct Phs {
    /// Node 0 is the first top-level node; a node with an empty name is an unused slot.
    pub nodes: Vec<Node>,
}

impl Default for Phs {
    fn default() -> Self {
        Phs { nodes: vec![Node::empty()] }
    }
}

impl Node {
    fn empty() -> Node {
        Node { name: String::new(), frames: 0, bytes: 0, child: None, sibling: None }
    }
}

impl Phs {
    /// Counts one packet whose top-level items are `path`.
    pub fn add<'a>(&mut self, path: impl IntoIterator<Item = &'a str>, len: u64) {
        let mut at = 0;
        for name in path {
            if self.nodes[at].name.is_empty() {
                // First protocol ever seen at this level.
                let n = &mut self.nodes[at];
                n.name = name.to_string();
                n.frames = 1;
                n.bytes = len;
                at = self.new_child(at);
                continue;
            }
            let mut found = None;
            let mut last = at;
            let mut i = Some(at);
            while let Some(k) = i {
                if self.nodes[k].name == name {
                    found = Some(k);
                    break;
                }
                last = k;
                i = self.nodes[k].sibling;
            }
            let k = match found {
                Some(k) => k,
                None => {
                    let k = self.nodes.len();
                    let mut n = Node::empty();
                    n.name = name.to_string();
                    self.nodes.push(n);
                    self.nodes[last].sibling = Some(k);
                    k
                }
            };
            self.nodes[k].frames += 1;
            self.nodes[k].bytes += len;
            at = match self.nodes[k].child {
                Some(c) => c,
                None => self.new_child(k),
            };
        }
    }

    fn new_child(&mut self, parent: usize) -> usize {
        let c = self.nodes.len();
        self.nodes.push(Node::empty());
        self.nodes[parent].child = Some(c);
        c
    }

    /// Visits the nodes in print order (pre-order, siblings in first-seen order) with their depth.
    pub fn walk(&self, mut f: impl FnMut(&Node, usize)) {
        let mut stack = vec![(0usize, 0usize)];
        while let Some((i, depth)) = stack.pop() {
            let n = &self.nodes[i];
            if n.name.is_empty() {
                continue;
            }
            f(n, depth);
            if let Some(s) = n.sibling {
                stack.push((s, depth));
            }
            if let Some(c) = n.child {
                stack.push((c, depth + 1));
            }
        }
    }
}

/// What tshark's tree holds beyond the protocol chain, for `top_level`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extra {
    /// The NFLOG protocol is referenced by a filter (else tshark adds no `nflog` item).
    pub nflog_referenced: bool,
    /// The first 802.11 frame is an unprotected management frame (tshark adds `wlan.mgt`).
    pub wlan_mgt: bool,
    /// QUIC packets in the datagram: each coalesced one after the first is a top-level
    /// `quic` item of its own.
    pub quic_packets: usize,
}

impl Extra {
    /// What a dissected packet's tree says beyond its protocol path (see [`FIELDS`]).
    pub fn of(view: &View, nflog_referenced: bool) -> Extra {
        Extra {
            nflog_referenced,
            // (A header cut short before the sequence number ends in tshark's exception.)
            wlan_mgt: view.iter(wlan::FC_TYPE).next().is_some_and(|i| i.value == Value::U(0))
                && view.iter(wlan::SEQ).next().is_some()
                && !view.iter(wlan::FC_PROTECTED).next().is_some_and(|i| i.value == Value::Bool(true)),
            quic_packets: view.iter(quic::PROTO).count(),
        }
    }
}

/// The top-level items of tshark's tree for the core's protocol path
/// (`Dissector::protocol_path`: the `frame.protocols` chain plus TCP's reassembly item):
/// * `ethertype` is no tree item, and IPv6 extension headers sit inside the `ipv6` item;
/// * an ICMP/ICMPv6 message keeps its payload inside its own item: echo data, and the
///   IP header quoted by an error with its transport header; but UDP hands its payload to
///   the tree's root even there, so what UDP carries (`dns`, `data`, …) is top-level again;
/// * NFLOG adds its item only when a filter refers to it; an 802.11 management frame's
///   body is a top-level `wlan.mgt` item;
/// * IMF and MIME multipart put what they carry (a body's media type, the parts) inside
///   their own item, and SMTP the `data-text-lines` of a message fragment;
/// * the tree items that are no protocols (`TREE_ITEMS`: TCP's `tcp.segments` for a PDU
///   reassembled from several segments, FTP's working directory, ...) are top-level where
///   the core's path has them;
/// * IGMP's two layers (`igmp:igmp`: the IP protocol's dissector, then its message type's)
///   make one item, and a BPDU handed to GVRP has no `stp` item.
///
/// Returns false when tshark's frame tap would not count the packet: an exception inside
/// the packet quoted by an ICMP error (here: a frame cut short by the snapshot length
/// while the quoted UDP payload goes to a dissector) leaves tshark's "in error packet" flag
/// set, and the protocol hierarchy skips error packets.
pub fn top_level<'a>(chain: &[&'a str], extra: Extra, truncated: bool, out: &mut Vec<&'a str>) -> bool {
    let mut in_icmp = false;
    let mut quoted_udp = false;
    let mut inside = false;
    let mut nested = 0usize;
    for (i, &p) in chain.iter().enumerate() {
        // Layers of protocols dissected inside another's item (X.509 in TLS).
        if p == NESTED_OPEN {
            nested += 1;
            continue;
        }
        if p == NESTED_CLOSE {
            nested = nested.saturating_sub(1);
            continue;
        }
        // Cisco ISL's item takes the place of the Ethernet layer that hands it the frame.
        if p == "eth" && chain.get(i + 1) == Some(&"~isl") {
            continue;
        }
        if nested > 0
            || (p == "igmp" && out.last() == Some(&"igmp"))
            || (p == "stp" && chain.get(i + 1) == Some(&"gvrp"))
        {
            continue;
        }
        // Tree items that are no protocols (TCP's reassembly item, FTP's) are top-level
        // wherever they come.
        if is_tree_item(p) {
            out.push(tree_item_name(p));
            continue;
        }
        // SMB's and SMB2's security blobs and DCE-RPC's auth trailers are dissected inside
        // their items.
        if matches!(p, "gss-api" | "spnego" | "ntlmssp" | "spnego-krb5")
            && matches!(out.last(), Some(&"smb") | Some(&"smb2") | Some(&"dcerpc"))
        {
            continue;
        }
        // SMTP shows the lines of a message fragment inside its own item.
        if p == "data-text-lines" && out.last() == Some(&"smtp") {
            continue;
        }
        // IMF and MIME multipart dissect what they carry inside their own item, and so does
        // QUIC (the TLS handshake of its CRYPTO frames).
        // (IMAP's next message of a FETCH is an IMF item of its own.)
        let next_imf = p == "imf" && out.last() == Some(&"imf") && !inside;
        if !next_imf && (inside || matches!(out.last(), Some(&"imf") | Some(&"mime_multipart") | Some(&"quic"))) {
            inside = true;
            continue;
        }
        if p.is_empty() || p == "ethertype" || p.starts_with("ipv6.") || (p == "nflog" && !extra.nflog_referenced) {
            continue;
        }
        if in_icmp {
            if p == "udp" {
                in_icmp = false;
                quoted_udp = true;
            }
            continue;
        }
        if quoted_udp && truncated && p != "data" {
            return false;
        }
        // SMB carried by NetBIOS datagrams is a mailslot write: the mailslot's item (no
        // layer of `frame.protocols`) holds what the mailslot's name selects.
        if out.ends_with(&["nbdgm", "smb"]) || (p == "browser" && out.last() == Some(&"smb")) {
            out.push("mailslot");
        }
        // IEEE 1609.2's dissector adds its data element, no protocol item.
        out.push(if p == "ieee1609dot2" { "ieee1609dot2.Ieee1609Dot2Data_element" } else { p });
        if p == "quic" {
            for _ in 1..extra.quic_packets {
                out.push("quic");
            }
        }
        if p == "icmp" || p == "icmpv6" {
            in_icmp = true;
        }
        if p == "wlan" && extra.wlan_mgt {
            out.push("wlan.mgt");
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chain: &str) -> Vec<&str> {
        chain.split(':').collect()
    }

    fn path(chain: &str) -> Vec<&str> {
        let mut v = Vec::new();
        assert!(top_level(&split(chain), Extra::default(), false, &mut v));
        v
    }

    #[test]
    fn top_level_items() {
        assert_eq!(path("eth:ethertype:ip:icmp:ip:udp:mdns"), ["eth", "ip", "icmp", "mdns"]);
        assert_eq!(path("eth:ethertype:ipv6:ipv6.fraghdr:data"), ["eth", "ipv6", "data"]);
        assert_eq!(path("eth:ethertype:ip:icmp:data"), ["eth", "ip", "icmp"]);
        assert_eq!(path("eth:ethertype:vlan:ethertype:ip:tcp"), ["eth", "vlan", "ip", "tcp"]);
        assert_eq!(path("nflog:ip:udp:dns"), ["ip", "udp", "dns"]);
        assert_eq!(path("ip:udp:nbdgm:smb:browser"), ["ip", "udp", "nbdgm", "smb", "mailslot", "browser"]);
        assert_eq!(path("ip:udp:nbdgm:smb:data"), ["ip", "udp", "nbdgm", "smb", "mailslot", "data"]);
        assert_eq!(path("eth:llc:netbios:smb:browser"), ["eth", "llc", "netbios", "smb", "mailslot", "browser"]);
        assert_eq!(
            path("eth:ethertype:ip:tcp:pop:imf:mime_multipart:data-text-lines"),
            ["eth", "ip", "tcp", "pop", "imf"]
        );
        assert_eq!(
            path("eth:ethertype:ip:tcp:http:mime_multipart:data:data"),
            ["eth", "ip", "tcp", "http", "mime_multipart"]
        );
        assert_eq!(path("eth:ethertype:ip:udp:quic:tls:tls"), ["eth", "ip", "udp", "quic"]);
        // Further messages of one call: nested items of their own, no layer of frame.protocols.
        assert_eq!(path("eth:ethertype:ip:tcp:mqtt:+mqtt:+mqtt"), ["eth", "ip", "tcp", "mqtt", "mqtt", "mqtt"]);
        let mut v = Vec::new();
        assert!(top_level(
            &split("eth:ethertype:ip:udp:quic:tls"),
            Extra { quic_packets: 3, ..Extra::default() },
            false,
            &mut v
        ));
        assert_eq!(v, ["eth", "ip", "udp", "quic", "quic", "quic"]);
        let mut v = Vec::new();
        assert!(top_level(
            &split("radiotap:wlan_radio:wlan"),
            Extra { wlan_mgt: true, ..Extra::default() },
            false,
            &mut v
        ));
        assert_eq!(v, ["radiotap", "wlan_radio", "wlan", "wlan.mgt"]);
        v.clear();
        assert!(top_level(&split("eth:ethertype:ip:igmp:igmp"), Extra::default(), false, &mut v));
        assert_eq!(v, ["eth", "ip", "igmp"]);
        v.clear();
        assert!(top_level(&split("eth:llc:stp:gvrp:data"), Extra::default(), false, &mut v));
        assert_eq!(v, ["eth", "llc", "gvrp", "data"]);
        v.clear();
        assert!(!top_level(&split("sll:ethertype:ip:icmp:ip:udp:dns"), Extra::default(), true, &mut v));
        v.clear();
        assert!(top_level(&split("sll:ethertype:ip:icmp:ip:udp:data"), Extra::default(), true, &mut v));
        assert_eq!(
            path("eth:ethertype:ip:tcp:tls:tcp.segments:tls"),
            ["eth", "ip", "tcp", "tls", "tcp.segments", "tls"]
        );
        assert_eq!(
            path("eth:ethertype:ip:tcp:smtp:imf:data-text-lines:tcp.segments"),
            ["eth", "ip", "tcp", "smtp", "imf", "tcp.segments"]
        );
        assert_eq!(path("eth:ethertype:ip:tcp:smtp:data-text-lines"), ["eth", "ip", "tcp", "smtp"]);
        assert_eq!(path("eth:ethertype:ip:tcp:imap:imf:imf"), ["eth", "ip", "tcp", "imap", "imf", "imf"]);
        assert_eq!(
            path("sll:ethertype:ip:tcp:http:ieee1609dot2"),
            ["sll", "ip", "tcp", "http", "ieee1609dot2.Ieee1609Dot2Data_element"]
        );
        assert_eq!(path("ip:tcp:nbss:smb:~smb_pipe:dcerpc"), ["ip", "tcp", "nbss", "smb", "smb_pipe", "dcerpc"]);
        assert_eq!(path("eth:ethertype:ip:_ws.short"), ["eth", "ip", "_ws.short"]);
    }

    #[test]
    fn hierarchy_in_first_seen_order() {
        let mut p = Phs::default();
        p.add(["eth", "ip", "udp"], 100);
        p.add(["eth", "arp"], 60);
        p.add(["eth", "ip", "tcp"], 80);
        p.add(["eth", "ip", "ip", "udp"], 70);
        let mut lines = Vec::new();
        p.walk(|n, d| lines.push(format!("{}{} {} {}", "  ".repeat(d), n.name, n.frames, n.bytes)));
        assert_eq!(
            lines,
            ["eth 4 310", "  ip 3 250", "    udp 1 100", "    tcp 1 80", "    ip 1 70", "      udp 1 70", "  arp 1 60"]
        );
    }
}
