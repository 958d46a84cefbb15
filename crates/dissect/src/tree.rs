//! The per-packet protocol tree, flattened: the field occurrences a dissection produced,
//! in Wireshark's tree order (depth-first, pre-order). Values that are byte ranges point
//! into the frame or into a per-packet scratch buffer (reassembled data, decoded strings),
//! so building a tree allocates nothing once its buffers have grown.

use crate::field::{FieldId, FieldType};

/// Which buffer a byte range lives in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum Buf {
    /// The captured frame.
    #[default]
    Frame,
    /// Bytes a dissector decoded or built (labels, decoded strings).
    Scratch,
    /// Defragmented IP datagrams.
    Reasm,
    /// PDUs reassembled from TCP segments.
    Stream,
}

/// Where a byte range lives.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub buf: Buf,
    pub off: u32,
    pub len: u32,
}

impl Span {
    pub const EMPTY: Span = Span { buf: Buf::Frame, off: 0, len: 0 };
    pub fn new(buf: Buf, off: usize, len: usize) -> Span {
        Span { buf, off: off as u32, len: len as u32 }
    }
}

/// A field's value. Strings are always valid UTF-8 (dissectors decode into scratch when needed).
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Value {
    /// FT_NONE / FT_PROTOCOL (a protocol's label, when built, is in `Str`).
    None,
    Bool(bool),
    U(u64),
    I(i64),
    F(f64),
    /// Absolute or relative time in nanoseconds (the field type says which).
    Time(i64),
    Ipv4([u8; 4]),
    Ipv6([u8; 16]),
    Ether([u8; 6]),
    Bytes(Span),
    Str(Span),
}

/// One occurrence of a field.
#[derive(Copy, Clone, Debug)]
pub struct Item {
    pub id: FieldId,
    /// 1-based occurrence number of the enclosing protocol in this frame (for `field#N`).
    pub layer: u8,
    pub value: Value,
    /// The bytes the item covers (for slices: `frame[0:2]`, `ip.src[3]`).
    pub raw: Span,
}

/// A packet's tree: its items plus the scratch buffer their spans may point into.
#[derive(Default, Debug)]
pub struct Tree {
    pub items: Vec<Item>,
    pub scratch: Vec<u8>,
    pub reasm: Vec<u8>,
    pub stream: Vec<u8>,
    /// Tap records of this frame (see `crate::tap`), kept only when `record_taps` is set.
    pub taps: Vec<crate::tap::Tap>,
    pub record_taps: bool,
    /// Export-object records of this frame (see `crate::export`), for the protocols
    /// [`Dissector::export`](crate::Dissector::export) asked for.
    pub objects: Vec<crate::export::Object>,
    /// Also record credential taps (pcap-creds).
    pub record_creds: bool,
}

impl Tree {
    pub fn clear(&mut self) {
        self.items.clear();
        self.scratch.clear();
        self.reasm.clear();
        self.stream.clear();
        self.taps.clear();
        self.objects.clear();
    }
    /// Copies bytes into scratch and returns their span.
    pub fn push_scratch(&mut self, bytes: &[u8]) -> Span {
        let off = self.scratch.len();
        self.scratch.extend_from_slice(bytes);
        Span::new(Buf::Scratch, off, bytes.len())
    }
    /// Replaces the value of every occurrence of a field (two-pass time deltas).
    pub fn set_value(&mut self, id: FieldId, value: Value) {
        for item in self.items.iter_mut().filter(|i| i.id == id) {
            item.value = value;
        }
    }
    pub fn view<'a>(&'a self, frame: &'a [u8]) -> View<'a> {
        View { frame, scratch: &self.scratch, reasm: &self.reasm, stream: &self.stream, items: &self.items }
    }
}

/// Read access to a finished tree and the bytes it points into.
#[derive(Copy, Clone)]
pub struct View<'a> {
    pub frame: &'a [u8],
    pub scratch: &'a [u8],
    pub reasm: &'a [u8],
    pub stream: &'a [u8],
    pub items: &'a [Item],
}

impl<'a> View<'a> {
    pub fn bytes(&self, s: Span) -> &'a [u8] {
        let buf = match s.buf {
            Buf::Frame => self.frame,
            Buf::Scratch => self.scratch,
            Buf::Reasm => self.reasm,
            Buf::Stream => self.stream,
        };
        let (a, b) = (s.off as usize, s.off as usize + s.len as usize);
        buf.get(a..b).unwrap_or(&[])
    }
    pub fn str(&self, s: Span) -> &'a str {
        std::str::from_utf8(self.bytes(s)).unwrap_or("")
    }
    /// Occurrences of one field, in tree order.
    pub fn iter(&self, id: FieldId) -> impl Iterator<Item = &'a Item> + 'a {
        self.items.iter().filter(move |i| i.id == id)
    }
    /// The raw bytes of an item (what slices operate on).
    pub fn raw(&self, item: &Item) -> &'a [u8] {
        self.bytes(item.raw)
    }
}

/// Appends a value rendered as `tshark -T fields` prints it.
pub fn render_field(view: &View, item: &Item, out: &mut String) {
    use std::fmt::Write;
    let def = item.id.def();
    match (item.value, def.ftype) {
        (Value::None, FieldType::Protocol) => out.push_str(def.name),
        (Value::None, _) => out.push('1'),
        (Value::Bool(b), _) => out.push(if b { '1' } else { '0' }),
        (Value::U(v), ft) => {
            use crate::field::Base;
            match def.base {
                Base::Hex | Base::HexDec => {
                    let _ = write!(out, "0x{:0w$x}", v, w = ft.hex_width());
                }
                Base::Oct => {
                    let _ = write!(out, "0{:o}", v);
                }
                _ => push_u64(out, v),
            }
        }
        (Value::I(v), _) => {
            let _ = write!(out, "{}", v);
        }
        (Value::F(v), FieldType::Float) => out.push_str(&fmt_g(v, 6)),
        (Value::F(v), _) => out.push_str(&fmt_g(v, 15)),
        (Value::Time(ns), FieldType::AbsTime) => crate::time::write_abs_local(out, ns),
        (Value::Time(ns), _) => crate::time::write_rel(out, ns),
        (Value::Ipv4(a), _) => {
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                push_u64(out, *x as u64);
            }
        }
        (Value::Ipv6(a), _) => {
            let _ = write!(out, "{}", std::net::Ipv6Addr::from(a));
        }
        (Value::Ether(m), _) => {
            let _ = write!(out, "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m[0], m[1], m[2], m[3], m[4], m[5]);
        }
        (Value::Bytes(s), _) => {
            let b = view.bytes(s);
            if b.is_empty() {
                out.push_str("<MISSING>");
            }
            for x in b {
                let _ = write!(out, "{:02x}", x);
            }
        }
        (Value::Str(s), _) => escape_into(view.str(s), out),
    }
}

/// Appends a decimal number (the hot path of every output line, without `fmt`).
#[inline]
pub fn push_u64(out: &mut String, v: u64) {
    out.push_str(itoa::Buffer::new().format(v));
}

/// tshark 4.0's `-T fields` string escaping: only \b \f \n \r \t.
pub fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
}

/// C's `%.{prec}g`.
pub fn fmt_g(v: f64, prec: usize) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if !v.is_finite() {
        return if v.is_nan() { "nan".into() } else if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let exp = v.abs().log10().floor() as i32;
    let s = if exp < -4 || exp >= prec as i32 {
        let s = format!("{:.*e}", prec - 1, v);
        let (m, e) = s.split_once('e').unwrap();
        let m = trim_zeros(m);
        let e: i32 = e.parse().unwrap();
        format!("{}e{}{:02}", m, if e < 0 { '-' } else { '+' }, e.abs())
    } else {
        let decimals = (prec as i32 - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{:.*}", decimals, v)).to_string()
    };
    s
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}
