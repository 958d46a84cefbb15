//! REdis Serialization Protocol (TCP port 6379): every segment is one `resp` layer; the
//! first element's type byte decides which field shows its first line. For pcap-creds the
//! segment's commands (RESP arrays or inline lines) are read for `AUTH [user] password`.
crate::declare_fields! {
    after = super::mysql::END;
    PROTO = "resp", "REdis Serialization Protocol", Protocol, None;
    STRING = "resp.string", "String", String, None;
    ERROR = "resp.error", "Error", String, None;
    INTEGER = "resp.integer", "Integer", I64, Dec;
    ARRAY_LENGTH = "resp.array.length", "Length", I64, Dec;
    BULK_STRING_LENGTH = "resp.bulk_string.length", "Length", I32, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tap::Credential;
use crate::tree::Value;

/// The segment's payload `off..end`.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "resp", b.span_to(off, end));
    let d = b.data.get(off..end.min(b.len())).unwrap_or(&[]);
    if cx.creds_on() {
        for c in auth(d) {
            cx.credential(c);
        }
    }
    let Some(eol) = memchr::memmem::find(d, b"\r\n") else { return };
    let Some((&kind, line)) = d[..eol].split_first() else { return };
    let sp = b.span(off + 1, eol - 1);
    let num = || std::str::from_utf8(line).ok().and_then(|s| s.parse::<i64>().ok());
    match kind {
        b'+' => cx.add_ascii(STRING, line, sp),
        b'-' => cx.add_ascii(ERROR, line, sp),
        b':' => {
            if let Some(n) = num() {
                cx.add(INTEGER, Value::I(n), sp)
            }
        }
        b'*' => {
            if let Some(n) = num() {
                cx.add(ARRAY_LENGTH, Value::I(n), sp)
            }
        }
        b'$' => {
            if let Some(n) = num() {
                cx.add(BULK_STRING_LENGTH, Value::I(n), sp)
            }
        }
        _ => {}
    }
}

/// Most commands of a segment read for `AUTH`.
const MAX_COMMANDS: usize = 64;

/// The `AUTH` commands of a segment: `AUTH password` logs the `default` user in.
fn auth(d: &[u8]) -> Vec<Credential> {
    let mut out = Vec::new();
    let mut p = 0;
    for _ in 0..MAX_COMMANDS {
        if p >= d.len() {
            break;
        }
        let Some((args, next)) = command(&d[p..]) else { break };
        p += next;
        if args.first().is_some_and(|a| a.eq_ignore_ascii_case(b"AUTH")) {
            match args.len() {
                2 => out.push(Credential::cleartext("Redis", b"default", args[1])),
                3 => out.push(Credential::cleartext("Redis", args[1], args[2])),
                _ => {}
            }
        }
    }
    out
}

/// One command at the start of `d`: its arguments and its length.
fn command(d: &[u8]) -> Option<(Vec<&[u8]>, usize)> {
    let line = |at: usize| memchr::memmem::find(d.get(at..)?, b"\r\n").map(|n| (&d[at..at + n], at + n + 2));
    let (first, mut p) = line(0)?;
    if first.first() != Some(&b'*') {
        // An inline command: words separated by spaces.
        return Some((first.split(|&c| c == b' ').filter(|w| !w.is_empty()).collect(), p));
    }
    let n: usize = std::str::from_utf8(&first[1..]).ok()?.parse().ok()?;
    if n > 8 {
        return None;
    }
    let mut args = Vec::new();
    for _ in 0..n {
        let (head, q) = line(p)?;
        let len: usize = std::str::from_utf8(head.strip_prefix(b"$")?).ok()?.parse().ok()?;
        args.push(d.get(q..q.checked_add(len)?)?);
        p = q.checked_add(len)? + 2;
    }
    Some((args, p))
}

#[cfg(test)]
mod tests {
    #[test]
    fn auth_commands() {
        let a = super::auth(b"*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n*3\r\n$4\r\nauth\r\n$3\r\nbob\r\n$2\r\npw\r\n");
        let got: Vec<_> = a.iter().map(|c| (c.username.clone(), c.secret.clone())).collect();
        assert_eq!(got, vec![(b"default".to_vec(), b"secret".to_vec()), (b"bob".to_vec(), b"pw".to_vec())]);
        let a = super::auth(b"AUTH  inline\r\nPING\r\nAUTH u p\r\n");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].secret, b"inline");
        assert_eq!((a[1].username.as_slice(), a[1].secret.as_slice()), (&b"u"[..], &b"p"[..]));
        // Truncated or bogus input: nothing, no panic.
        let full = b"*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n";
        // (The last bulk string complete but for its CRLF still counts.)
        for n in 0..full.len() - 2 {
            assert!(super::auth(&full[..n]).is_empty(), "{}", n);
        }
        assert!(super::auth(b"*2\r\n$99999999999999999999\r\nx\r\n").is_empty());
        assert!(super::auth(b"*9\r\n").is_empty());
    }
}
