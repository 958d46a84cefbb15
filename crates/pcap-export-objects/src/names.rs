//! File names as tshark 4.0 gives exported objects: the object's own name, or
//! `object<frame>.<content type>`, with the characters Windows refuses (and control
//! bytes) written as `%xx`, at most 255 bytes keeping the extension, and `(N)` before the
//! extension for the N-th duplicate.

/// tshark's `EXPORT_OBJECT_MAXFILELEN`.
pub const MAX_LEN: usize = 255;

/// The name candidate number `dup` (0 for the first) for an object.
pub fn candidate(filename: Option<&[u8]>, frame: u32, content_type: Option<&[u8]>, dup: u32) -> Vec<u8> {
    match filename {
        Some(f) => massage(until_nul(f), dup),
        None => {
            let mut g = format!("object{}", frame).into_bytes();
            if let Some(ct) = content_type {
                g.push(b'.');
                g.extend_from_slice(until_nul(ct));
            }
            // tshark formats it into a buffer of 256 bytes.
            g.truncate(MAX_LEN);
            massage(&g, dup)
        }
    }
}

/// C strings end at the first NUL.
fn until_nul(s: &[u8]) -> &[u8] {
    match s.iter().position(|&c| c == 0) {
        Some(i) => &s[..i],
        None => s,
    }
}

fn rejected(c: u8) -> bool {
    matches!(c, b'<' | b'>' | b':' | b'"' | b'/' | b'\\' | b'|' | b'?' | b'*' | 0x01..=0x1f)
}

/// tshark's `eo_massage_str`.
fn massage(name: &[u8], dup: u32) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(name.len() + 8);
    for &c in name {
        if rejected(c) {
            out.extend_from_slice(&[b'%', HEX[(c >> 4) as usize], HEX[(c & 15) as usize]]);
        } else {
            out.push(c);
        }
    }
    if dup != 0 || out.len() > MAX_LEN {
        out = rename(out, dup);
    }
    out
}

/// tshark's `eo_rename`: the `(N)` suffix before the extension, within 255 bytes.
fn rename(mut s: Vec<u8>, dup: u32) -> Vec<u8> {
    let suffix = if dup != 0 { format!("({})", dup).into_bytes() } else { Vec::new() };
    match s.iter().rposition(|&c| c == b'.') {
        Some(dot) if s.len() - dot + suffix.len() < MAX_LEN => {
            let ext = s.split_off(dot);
            let room = MAX_LEN - (suffix.len() + ext.len());
            if s.len() >= room {
                s.truncate(room);
            }
            s.extend_from_slice(&suffix);
            s.extend_from_slice(&ext);
        }
        _ => {
            let room = MAX_LEN - suffix.len();
            if s.len() >= room {
                s.truncate(room);
            }
            s.extend_from_slice(&suffix);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(name: &str, dup: u32) -> String {
        String::from_utf8(candidate(Some(name.as_bytes()), 1, None, dup)).unwrap()
    }

    #[test]
    fn observed_tshark_names() {
        // tshark-behaviour.md §6.3, observed on tshark 4.0.17.
        assert_eq!(n("/", 0), "%2f");
        assert_eq!(n("index.html", 1), "index(1).html");
        assert_eq!(n("file.txt?x=1&y=2", 0), "file.txt%3fx=1&y=2");
        assert_eq!(n("file.txt?x=1&y=2", 1), "file(1).txt%3fx=1&y=2");
        assert_eq!(n("we:ird*na?me<x>|q\"uote\\back.txt", 0), "we%3aird%2ana%3fme%3cx%3e%7cq%22uote%5cback.txt");
        assert_eq!(n("%41%20space%2Fenc.txt", 0), "%41%20space%2Fenc.txt");
        assert_eq!(n("post", 1), "post(1)");
        assert_eq!(n("\\.DS_Store", 1), "%5c(1).DS_Store");
        let long = format!("{}.txt", "L".repeat(300));
        assert_eq!(n(&long, 0), format!("{}.txt", "L".repeat(251)));
        assert_eq!(n(&long, 1), format!("{}(1).txt", "L".repeat(248)));
        assert_eq!(String::from_utf8(candidate(None, 7, Some(b"text/html"), 0)).unwrap(), "object7.text%2fhtml");
        assert_eq!(String::from_utf8(candidate(None, 7, None, 0)).unwrap(), "object7");
        assert_eq!(String::from_utf8(candidate(Some(b"Hello: world/test?.eml"), 1, None, 0)).unwrap(), "Hello%3a world%2ftest%3f.eml");
    }

    #[test]
    fn never_a_path() {
        for name in ["../../etc/passwd", "/abs/path", "a\0b/../../x", "\x01\x1f", "..", "."] {
            for dup in [0, 1, 999] {
                let c = candidate(Some(name.as_bytes()), 1, None, dup);
                assert!(!c.contains(&b'/') && !c.contains(&0) && c.len() <= MAX_LEN, "{:?}", name);
                assert!(!c.is_empty());
            }
        }
        // A very long extension: cut without it.
        let c = candidate(Some(format!("a.{}", "x".repeat(400)).as_bytes()), 1, None, 3);
        assert_eq!(c.len(), MAX_LEN);
        assert!(c.ends_with(b"(3)"));
    }
}
