//! The dissection context every dissector receives: where to emit fields, which fields
//! are wanted, the cross-packet state, and the bytes being dissected.

use crate::field::FieldId;
use crate::state::State;
use crate::tree::{Buf, Item, Span, Tree, Value};

/// Metadata of the frame being dissected (from the capture reader).
#[derive(Clone, Copy, Debug)]
pub struct FrameMeta<'a> {
    pub number: u32,
    pub ts_ns: i64,
    /// The time stamp as the file holds it: a pcap record may carry 1000000 µs or more,
    /// which tshark prints unnormalised in `frame.time_epoch`.
    pub ts_sec: i64,
    pub ts_nsec: u32,
    pub len: u32,
    pub linktype: u32,
    pub interface_id: u32,
    /// pcapng: the frame has an interface (tshark then shows `frame.interface_id`).
    pub has_interface: bool,
    pub interface_name: &'a str,
    pub comments: &'a [String],
}

impl<'a> FrameMeta<'a> {
    /// The metadata of packet number `number` as the capture reader gave it.
    pub fn of(number: u32, p: &pcaptk_capture::Packet<'a>) -> FrameMeta<'a> {
        FrameMeta {
            number,
            ts_ns: p.ts_ns,
            ts_sec: p.ts_sec,
            ts_nsec: p.ts_nsec,
            len: p.len,
            linktype: p.linktype,
            interface_id: p.interface_id,
            has_interface: p.has_interface_id,
            interface_name: p.interface_name,
            comments: p.comments,
        }
    }

    /// A frame without an interface or comments, taken at `ts_ns` (frames built by hand:
    /// tests, fuzzing).
    pub fn synthetic(number: u32, ts_ns: i64, len: u32, linktype: u32) -> FrameMeta<'static> {
        FrameMeta {
            number,
            ts_ns,
            ts_sec: ts_ns.div_euclid(1_000_000_000),
            ts_nsec: ts_ns.rem_euclid(1_000_000_000) as u32,
            len,
            linktype,
            interface_id: 0,
            has_interface: false,
            interface_name: "",
            comments: &[],
        }
    }
}

/// The bytes a dissector works on: the frame or a reassembled buffer.
#[derive(Clone, Copy)]
pub struct Bytes<'a> {
    /// The captured bytes.
    pub data: &'a [u8],
    pub buf: Buf,
    /// Where the bytes end on the wire (≥ `data.len()` for snaplen-truncated frames):
    /// lengths such as `tcp.len` are computed from this, as tshark's reported length.
    pub reported: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8], buf: Buf) -> Self {
        Bytes { data, buf, reported: data.len() }
    }
    /// The same buffer ending at `end` (reported), its captured part clipped.
    pub fn until(&self, end: usize) -> Bytes<'a> {
        Bytes { data: &self.data[..end.min(self.data.len())], buf: self.buf, reported: end.min(self.reported) }
    }
    pub fn span(&self, off: usize, len: usize) -> Span {
        Span::new(self.buf, off, len)
    }
    /// The span of `off..end`, clipped to the data (for protocol items).
    pub fn span_to(&self, off: usize, end: usize) -> Span {
        let end = end.min(self.data.len());
        Span::new(self.buf, off.min(end), end.saturating_sub(off))
    }
    pub fn u8(&self, off: usize) -> Option<u8> {
        self.data.get(off).copied()
    }
    pub fn be16(&self, off: usize) -> Option<u16> {
        Some(u16::from_be_bytes(self.data.get(off..off + 2)?.try_into().ok()?))
    }
    pub fn le16(&self, off: usize) -> Option<u16> {
        Some(u16::from_le_bytes(self.data.get(off..off + 2)?.try_into().ok()?))
    }
    pub fn be24(&self, off: usize) -> Option<u32> {
        let b = self.data.get(off..off + 3)?;
        Some(u32::from_be_bytes([0, b[0], b[1], b[2]]))
    }
    pub fn be32(&self, off: usize) -> Option<u32> {
        Some(u32::from_be_bytes(self.data.get(off..off + 4)?.try_into().ok()?))
    }
    pub fn le32(&self, off: usize) -> Option<u32> {
        Some(u32::from_le_bytes(self.data.get(off..off + 4)?.try_into().ok()?))
    }
    pub fn arr<const N: usize>(&self, off: usize) -> Option<[u8; N]> {
        self.data.get(off..off + N)?.try_into().ok()
    }
    pub fn len(&self) -> usize {
        self.data.len()
    }
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// Addresses of the innermost network layer, for transport conversations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NetAddr {
    /// 4 for IPv4 (first 4 bytes used), 6 for IPv6, 0 for none.
    pub family: u8,
    pub bytes: [u8; 16],
}

impl NetAddr {
    pub fn v4(a: [u8; 4]) -> Self {
        let mut bytes = [0; 16];
        bytes[..4].copy_from_slice(&a);
        NetAddr { family: 4, bytes }
    }
    pub fn v6(a: [u8; 16]) -> Self {
        NetAddr { family: 6, bytes: a }
    }
}

/// The hash map of the per-capture tables: foldhash, seeded at random per process (fast on
/// small keys, and a capture cannot be crafted against a seed it does not know).
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A transport conversation's two endpoints, unordered: both directions map to one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConvKey {
    a: (NetAddr, u16),
    b: (NetAddr, u16),
}

/// Every field, as three words instead of the derived eight writes (it is hashed once or
/// twice per TCP or UDP packet).
impl std::hash::Hash for ConvKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let ((a, pa), (b, pb)) = (self.a, self.b);
        state.write_u128(u128::from_ne_bytes(a.bytes));
        state.write_u128(u128::from_ne_bytes(b.bytes));
        state.write_u64(a.family as u64 | (pa as u64) << 8 | (b.family as u64) << 24 | (pb as u64) << 32);
    }
}

impl ConvKey {
    pub fn new(x: (NetAddr, u16), y: (NetAddr, u16)) -> Self {
        if x <= y {
            ConvKey { a: x, b: y }
        } else {
            ConvKey { a: y, b: x }
        }
    }
}

/// Most layers `frame.protocols` records per frame (a TLS Certificate message with a chain of
/// certificates gives some 80; a hostile one could give one per few bytes).
const MAX_PROTOS: usize = 1024;

pub struct Cx<'a> {
    pub tree: &'a mut Tree,
    pub want: &'a [bool],
    /// `want_sum[i]`: how many of the fields before `i` are wanted (for [`Cx::wants_any`]).
    want_sum: &'a [u32],
    pub st: &'a mut State,
    pub meta: &'a FrameMeta<'a>,
    /// How deep this command needs dissection to go (see `Depth`).
    pub depth: u8,
    layer: u8,
    layer_counts: [(u16, u8); 12],
    n_layers: usize,
    /// Source and destination of the innermost IP header.
    pub src: NetAddr,
    pub dst: NetAddr,
    /// True inside the copy of a packet quoted by an ICMP error.
    pub in_error: bool,
    /// True when the payload is the first fragment of a datagram that is not reassembled
    /// (tshark then computes no TCP segment length).
    pub fragmented: bool,
    /// The destination port of the innermost UDP or TCP header read so far (tshark's
    /// `pinfo->destport`: ICMPv6 inside Teredo looks at it).
    pub destport: u16,
    /// Set while TCP hands over data it collected until the flow's FIN.
    pub until_fin: bool,
    /// The TCP segment being dissected carries FIN (tshark's HTTP then reassembles no body:
    /// no more data can come).
    pub seg_fin: bool,
    /// Whether `frame.protocols` is wanted (the chain is recorded in `st.protos`).
    record_protos: bool,
    /// The destination of the innermost Ethernet header (BPDUs to GARP addresses).
    pub dl_dst: [u8; 6],
}

impl<'a> Cx<'a> {
    pub fn new(
        tree: &'a mut Tree,
        want: &'a [bool],
        want_sum: &'a [u32],
        st: &'a mut State,
        meta: &'a FrameMeta<'a>,
        depth: u8,
    ) -> Self {
        Cx {
            tree,
            want,
            want_sum,
            st,
            meta,
            depth,
            layer: 1,
            layer_counts: [(0, 0); 12],
            n_layers: 0,
            src: NetAddr::default(),
            dst: NetAddr::default(),
            in_error: false,
            fragmented: false,
            destport: 0,
            until_fin: false,
            seg_fin: false,
            record_protos: want.get(crate::proto::frame::PROTOCOLS.index()).copied().unwrap_or(false),
            dl_dst: [0; 6],
        }
    }

    /// True when the command wants any field of the protocols `first..end` (a module's
    /// field block): dissectors with costly bodies skip them otherwise.
    #[inline]
    pub fn wants_any(&self, first: FieldId, end: u16) -> bool {
        match (self.want_sum.get(first.index()), self.want_sum.get(end as usize)) {
            (Some(a), Some(b)) => b > a,
            _ => false,
        }
    }

    #[inline]
    pub fn wants(&self, id: FieldId) -> bool {
        self.want.get(id.index()).copied().unwrap_or(false)
    }

    /// Emits one field occurrence (if the command wants that field).
    #[inline]
    pub fn add(&mut self, id: FieldId, value: Value, raw: Span) {
        if self.wants(id) {
            self.tree.items.push(Item { id, layer: self.layer, value, raw });
        }
    }

    /// Starts a protocol layer: counts its occurrence (for `field#N`), records it in
    /// `frame.protocols`, and emits the protocol item.
    #[inline]
    pub fn proto(&mut self, id: FieldId, name: &'static str, raw: Span) {
        let n = match self.layer_counts[..self.n_layers].iter_mut().find(|(p, _)| *p == id.0) {
            Some((_, c)) => {
                *c = c.saturating_add(1);
                *c
            }
            None => {
                if self.n_layers < self.layer_counts.len() {
                    self.layer_counts[self.n_layers] = (id.0, 1);
                    self.n_layers += 1;
                }
                1
            }
        };
        self.layer = n;
        self.push_name(name);
        self.add(id, Value::None, raw);
    }

    /// Starts another occurrence of a protocol layer that the protocol path already names
    /// for this call (several messages read in one call): counted and emitted as
    /// [`Cx::proto`] does, but not added to `frame.protocols` again.
    pub fn proto_quiet(&mut self, id: FieldId, raw: Span) {
        let saved = self.record_protos;
        self.record_protos = false;
        self.proto(id, "", raw);
        self.record_protos = saved;
    }

    /// The occurrence number of the protocol layer being dissected (what items added now get).
    #[inline]
    pub fn layer(&self) -> u8 {
        self.layer
    }

    /// Restores the layer number after a protocol dissected inside this one's item (such as
    /// the X.509 ones inside a TLS Certificate message) returns, as tshark does.
    #[inline]
    pub fn set_layer(&mut self, layer: u8) {
        self.layer = layer;
    }

    /// Runs `walk` for protocols dissected inside the current protocol's own tree item (HTTP's
    /// `data` for a body without a media type): `frame.protocols` lists them, `io,phs` does
    /// not (they are no top-level items); the layer number is restored afterwards. Returns
    /// what `walk` returns.
    pub fn nested<R>(&mut self, walk: impl FnOnce(&mut Cx) -> R) -> R {
        let layer = self.layer;
        self.push_name(crate::dissector::NESTED_OPEN);
        let r = walk(self);
        self.push_name(crate::dissector::NESTED_CLOSE);
        self.layer = layer;
        r
    }

    /// Sets the tree label of the protocol item just started (built only when wanted).
    #[inline]
    pub fn label(&mut self, id: FieldId, make: impl FnOnce() -> String) {
        if self.wants(id) {
            self.set_label(id, make());
        }
    }

    #[cold]
    fn set_label(&mut self, id: FieldId, label: String) {
        let span = self.tree.push_scratch(label.as_bytes());
        if let Some(item) = self.tree.items.iter_mut().rev().find(|i| i.id == id) {
            item.value = Value::Str(span);
        }
    }

    /// tshark's exception item for a dissector that needed the bytes up to `need` of a layer
    /// ending (on the wire) at `end`: past `end` the packet is malformed (`_ws.malformed`),
    /// else the bytes were cut off by the snapshot length (`_ws.short`). A top-level tree
    /// item that `io,phs` counts; no layer of `frame.protocols`. The caller stops there, as
    /// tshark's dissector does when the exception unwinds it.
    /// (Inside the copy of a packet an ICMP error quotes, the exception makes `io,phs` skip
    /// the whole packet; see `phs::top_level`.)
    pub fn bounds_error(&mut self, need: usize, end: usize) {
        if self.in_error {
            return;
        }
        self.push_name(if need > end { crate::dissector::MALFORMED_ITEM } else { crate::dissector::SHORT_ITEM });
    }

    /// tshark's exception item for a message whose own lengths are bogus (`_ws.malformed`;
    /// see [`Cx::bounds_error`]).
    pub fn malformed(&mut self) {
        if !self.in_error {
            self.push_name(crate::dissector::MALFORMED_ITEM);
        }
    }

    /// Whether the protocol path is recorded (`frame.protocols` or `io,phs` is wanted).
    #[inline]
    pub fn records_protocols(&self) -> bool {
        self.record_protos
    }

    /// Records a pseudo-layer in `frame.protocols` only (`ethertype`).
    pub fn push_name(&mut self, name: &'static str) {
        if self.record_protos && self.st.protos.len() < MAX_PROTOS {
            self.st.protos.push(name);
        }
    }

    /// Dissects the copy of a packet quoted by an ICMP error: no conversations, no
    /// reassembly, and the outer addresses restored afterwards.
    pub fn quoted(&mut self, dissect: impl FnOnce(&mut Cx)) {
        if self.in_error {
            return;
        }
        let saved = (self.src, self.dst);
        self.in_error = true;
        dissect(self);
        self.in_error = false;
        (self.src, self.dst) = saved;
    }

    /// Records a tap (when taps are recorded; never inside a packet quoted by an ICMP error).
    #[inline]
    pub fn tap(&mut self, t: crate::tap::Tap) {
        if self.tree.record_taps && !self.in_error {
            self.tree.taps.push(t);
        }
    }

    /// True when nothing above the transport layer can show in this command's output
    /// (`depth::TRANSPORT`, and no credentials or exports recorded): TCP and UDP then hand
    /// their payloads on only to the tunnels.
    #[inline]
    pub fn transport_only(&self) -> bool {
        self.depth == crate::dissector::depth::TRANSPORT
            && !self.record_protos
            && !self.tree.record_creds
            && self.st.export.is_empty()
    }

    /// True when credential taps are recorded for this packet (`Tree::record_creds`):
    /// dissectors skip credential work otherwise, and the protocols read only for
    /// credentials (LDAP, Kerberos, Telnet, SNMP) are not read at all.
    #[inline]
    pub fn creds_on(&self) -> bool {
        self.tree.record_creds && !self.in_error
    }

    /// Queues a row of tshark's credentials table.
    pub fn tshark_credential(&mut self, proto: &'static str, username: Option<&[u8]>, info: Option<String>) {
        if self.creds_on() {
            let row = crate::tap::TsharkCredential { proto, username: username.map(<[u8]>::to_vec), info };
            self.tree.taps.push(crate::tap::Tap::TsharkCredential(Box::new(row)));
        }
    }

    /// Queues a credential for pcap-creds.
    pub fn credential(&mut self, c: crate::tap::Credential) {
        if self.creds_on() {
            self.tree.taps.push(crate::tap::Tap::Credential(Box::new(c)));
        }
    }

    /// Adds packet text read as tshark's `ENC_ASCII` (see `codec::ascii`) when wanted.
    pub fn add_ascii(&mut self, id: FieldId, bytes: &[u8], raw: Span) {
        if self.wants(id) {
            let text = crate::codec::ascii(bytes);
            self.add_str(id, &String::from_utf8_lossy(&text), raw);
        }
    }

    /// Adds a string value (copied into scratch) when wanted.
    pub fn add_str(&mut self, id: FieldId, s: &str, raw: Span) {
        if self.wants(id) {
            let span = self.tree.push_scratch(s.as_bytes());
            self.tree.items.push(Item { id, layer: self.layer, value: Value::Str(span), raw });
        }
    }

    pub fn u(&mut self, id: FieldId, v: impl Into<u64>, raw: Span) {
        self.add(id, Value::U(v.into()), raw)
    }
    pub fn flag(&mut self, id: FieldId, v: bool, raw: Span) {
        self.add(id, Value::Bool(v), raw)
    }
}
