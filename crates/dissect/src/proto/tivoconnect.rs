//! TiVoConnect Discovery (UDP port 2190): `key=value` lines; a payload not starting with
//! `tivoconnect` (any case) is rejected and goes on to the heuristics.
crate::declare_fields! {
    after = super::sflow::END;
    PROTO = "tivoconnect", "TiVoConnect Discovery Protocol", Protocol, None;
    FLAVOR = "tivoconnect.flavor", "Flavor", String, None;
    METHOD = "tivoconnect.method", "Method", String, None;
    PLATFORM = "tivoconnect.platform", "Platform", String, None;
    MACHINE = "tivoconnect.machine", "Machine", String, None;
    IDENTITY = "tivoconnect.identity", "Identity", String, None;
    SERVICES = "tivoconnect.services", "Services", String, None;
    VERSION = "tivoconnect.version", "Version", String, None;
}

use crate::cx::{Bytes, Cx};

/// Whether the captured payload `d` is a TiVoConnect beacon.
pub fn looks_like(d: &[u8]) -> bool {
    d.len() >= 11 && d[..11].eq_ignore_ascii_case(b"tivoconnect")
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.len());
    let sp = b.span_to(off, end);
    cx.proto(PROTO, "tivoconnect", sp);
    if !cx.wants_any(PROTO, END) {
        return;
    }
    let d = b.data.get(off..end).unwrap_or(&[]);
    // The text ends at its first NUL (tshark reads it as a C string).
    let text = &d[..d.iter().position(|&c| c == 0).unwrap_or(d.len())];
    let (mut machine, mut identity) = (None, None);
    let mut pos = 0;
    for line in text.split(|&c| c == b'\n') {
        let start = pos;
        pos += line.len() + 1;
        if line.is_empty() {
            continue;
        }
        let Some(eq) = line.iter().position(|&c| c == b'=') else { continue };
        let (key, value) = (&line[..eq], &line[eq + 1..]);
        let id = match key.to_ascii_lowercase().as_slice() {
            b"tivoconnect" => FLAVOR,
            b"method" => METHOD,
            b"platform" => PLATFORM,
            b"machine" => {
                machine = Some(value);
                MACHINE
            }
            b"identity" => {
                identity = Some(value);
                IDENTITY
            }
            b"services" => SERVICES,
            b"swversion" => VERSION,
            _ => continue,
        };
        cx.add_ascii(id, value, b.span(off + start + eq + 1, value.len()));
    }
    cx.label(PROTO, || {
        let s = |v: &[u8]| String::from_utf8_lossy(v).into_owned();
        let mut l = String::from("TiVoConnect Discovery Protocol");
        if let Some(m) = machine {
            l += &format!(", {}", s(m));
        }
        match (machine, identity) {
            (Some(_), Some(i)) => l += &format!(" ({})", s(i)),
            (None, Some(i)) => l += &format!(", ID:{}", s(i)),
            _ => {}
        }
        l
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefix() {
        assert!(super::looks_like(b"TiVoConnect=1\nmethod=broadcast\n"));
        assert!(super::looks_like(b"tivoconnect=1"));
        assert!(!super::looks_like(b"tivoconnec"));
        assert!(!super::looks_like(b"GET / HTTP/1.1\r\n"));
    }
}
