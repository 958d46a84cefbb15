//! CUPS browsing (UDP port 631): one text line `type state uri ["location" ["info"
//! ["make-and-model"]]]`, the type and state in hexadecimal.
crate::declare_fields! {
    after = super::asap::END;
    PROTO = "cups", "Common Unix Printing System (CUPS) Browsing Protocol", Protocol, None;
    PTYPE = "cups.ptype", "Type", U32, Hex;
    PTYPE_DEFAULT = "cups.ptype.default", "Default printer on network", Boolean, None, mask = 0x20000, tfs = ("Yes", "No");
    PTYPE_IMPLICIT = "cups.ptype.implicit", "Class", Boolean, None, mask = 0x10000, tfs = ("Implicit class", "Explicit class");
    PTYPE_VARIABLE = "cups.ptype.variable", "Can print variable sizes", Boolean, None, mask = 0x8000, tfs = ("Yes", "No");
    PTYPE_LARGE = "cups.ptype.large", "Can print up to 36x48 inches", Boolean, None, mask = 0x4000, tfs = ("Yes", "No");
    PTYPE_MEDIUM = "cups.ptype.medium", "Can print up to 18x24 inches", Boolean, None, mask = 0x2000, tfs = ("Yes", "No");
    PTYPE_SMALL = "cups.ptype.small", "Can print up to 9x14 inches", Boolean, None, mask = 0x1000, tfs = ("Yes", "No");
    PTYPE_SORT = "cups.ptype.sort", "Can sort", Boolean, None, mask = 0x800, tfs = ("Yes", "No");
    PTYPE_BIND = "cups.ptype.bind", "Can bind", Boolean, None, mask = 0x400, tfs = ("Yes", "No");
    PTYPE_COVER = "cups.ptype.cover", "Can cover", Boolean, None, mask = 0x200, tfs = ("Yes", "No");
    PTYPE_PUNCH = "cups.ptype.punch", "Can punch holes", Boolean, None, mask = 0x100, tfs = ("Yes", "No");
    PTYPE_COLLATE = "cups.ptype.collate", "Can do fast collating", Boolean, None, mask = 0x80, tfs = ("Yes", "No");
    PTYPE_COPIES = "cups.ptype.copies", "Can do fast copies", Boolean, None, mask = 0x40, tfs = ("Yes", "No");
    PTYPE_STAPLE = "cups.ptype.staple", "Can staple", Boolean, None, mask = 0x20, tfs = ("Yes", "No");
    PTYPE_DUPLEX = "cups.ptype.duplex", "Can duplex", Boolean, None, mask = 0x10, tfs = ("Yes", "No");
    PTYPE_COLOR = "cups.ptype.color", "Can print color", Boolean, None, mask = 0x8, tfs = ("Yes", "No");
    PTYPE_BW = "cups.ptype.bw", "Can print black", Boolean, None, mask = 0x4, tfs = ("Yes", "No");
    PTYPE_REMOTE = "cups.ptype.remote", "Remote", Boolean, None, mask = 0x2, tfs = ("Yes", "No");
    PTYPE_CLASS = "cups.ptype.class", "Class", Boolean, None, mask = 0x1, tfs = ("Printer class", "Single printer");
    STATE = "cups.state", "State", U8, Hex, vals = STATE_VALS;
    URI = "cups.uri", "URI", String, None;
    LOCATION = "cups.location", "Location", String, None;
    INFORMATION = "cups.information", "Information", String, None;
    MAKE_MODEL = "cups.make_model", "Make and model", String, None;
}

use crate::cx::{Bytes, Cx};

const STATE_VALS: &[(u64, &str)] = &[(3, "idle"), (4, "processing"), (5, "stopped")];

const FLAGS: [(crate::field::FieldId, u32); 18] = [
    (PTYPE_DEFAULT, 0x20000),
    (PTYPE_IMPLICIT, 0x10000),
    (PTYPE_VARIABLE, 0x8000),
    (PTYPE_LARGE, 0x4000),
    (PTYPE_MEDIUM, 0x2000),
    (PTYPE_SMALL, 0x1000),
    (PTYPE_SORT, 0x800),
    (PTYPE_BIND, 0x400),
    (PTYPE_COVER, 0x200),
    (PTYPE_PUNCH, 0x100),
    (PTYPE_COLLATE, 0x80),
    (PTYPE_COPIES, 0x40),
    (PTYPE_STAPLE, 0x20),
    (PTYPE_DUPLEX, 0x10),
    (PTYPE_COLOR, 0x8),
    (PTYPE_BW, 0x4),
    (PTYPE_REMOTE, 0x2),
    (PTYPE_CLASS, 0x1),
];

/// The hexadecimal number at `p` and where it ends.
fn hex(d: &[u8], mut p: usize) -> (u32, usize) {
    let mut v = 0u32;
    while let Some(x) = d.get(p).and_then(|&c| (c as char).to_digit(16)) {
        v = v.wrapping_mul(16).wrapping_add(x);
        p += 1;
    }
    (v, p)
}

/// Skips spaces; None at the end of the line or of the data.
fn space(d: &[u8], mut p: usize) -> Option<usize> {
    while d.get(p) == Some(&b' ') {
        p += 1;
    }
    match d.get(p) {
        None | Some(b'\r') | Some(b'\n') => None,
        _ => Some(p),
    }
}

/// A quoted string at `p`: its contents' range and where it ends.
fn quoted(d: &[u8], p: usize) -> Option<(usize, usize, usize)> {
    if d.get(p) != Some(&b'"') {
        return None;
    }
    let close = d.get(p + 1..)?.iter().position(|&c| c == b'"')? + p + 1;
    Some((p + 1, close, close + 1))
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.len());
    cx.proto(PROTO, "cups", b.span_to(off, end));
    if !cx.wants_any(PROTO, END) {
        return;
    }
    let d = b.data.get(off..end).unwrap_or(&[]);
    let (ptype, p) = hex(d, 0);
    if p != 0 {
        let r = b.span(off, p);
        cx.u(PTYPE, ptype, r);
        // tshark reads the flags from the text's own bytes (up to four of them).
        let raw = d[..p.min(4)].iter().fold(0u32, |a, &c| a << 8 | c as u32);
        for (f, m) in FLAGS {
            cx.flag(f, raw & m != 0, r);
        }
    }
    let Some(p) = space(d, p) else { return };
    let (state, q) = hex(d, p);
    if q != p {
        cx.u(STATE, state & 0xff, b.span(off + p, q - p));
    }
    let Some(p) = space(d, q) else { return };
    let Some(n) = d[p..].iter().position(|&c| matches!(c, b' ' | b'\t' | b'\r' | b'\n')) else { return };
    cx.add_ascii(URI, &d[p..p + n], b.span(off + p, n));
    let mut p = p + n;
    for f in [LOCATION, INFORMATION, MAKE_MODEL] {
        let Some(s) = space(d, p) else { return };
        let Some((a, z, next)) = quoted(d, s) else { return };
        cx.add_ascii(f, &d[a..z], b.span(off + a, z - a));
        p = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_line() {
        let d = b"3016 3 ipp://h:631/printers/P \"Loc\" \"Info\" \"Make\"\n";
        assert_eq!(hex(d, 0), (0x3016, 4));
        assert_eq!(space(d, 4), Some(5));
        assert_eq!(hex(d, 5), (3, 6));
        assert_eq!(&d[30..31], b"\"");
        assert_eq!(quoted(d, 30), Some((31, 34, 35)));
        assert_eq!(space(b"1 \n", 1), None);
        assert_eq!(quoted(b"\"open", 0), None);
    }
}
