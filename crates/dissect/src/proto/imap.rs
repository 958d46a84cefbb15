//! IMAP (port 143) as tshark 4.0 dissects it: complete lines (a PDU is desegmented until
//! its lines end), each untagged `*` line shown as a line, the others split into tag,
//! command and, for the commands tshark knows, folder or username and password. The first
//! two payloads of a connection that do not start with five printable characters make it
//! TLS (tshark's `imap.ssl_heuristic`), and an `OK` to `STARTTLS` does too. An untagged
//! `FETCH` response is desegmented until its parenthesised data is complete and a
//! `{size}` literal after it goes to IMF, as tshark does.
//!
//! `LOGIN` feeds tshark's credentials tap; pcap-creds reads the password and
//! `AUTHENTICATE` (PLAIN, LOGIN, CRAM-MD5) too.
crate::declare_fields! {
    after = super::pop::END;
    PROTO = "imap", "Internet Message Access Protocol", Protocol, None;
    ISREQUEST = "imap.isrequest", "Request", Boolean, None, blurb = "TRUE if IMAP request, FALSE otherwise";
    LINE = "imap.line", "Line", String, None, blurb = "A line of an IMAP message";
    REQUEST = "imap.request", "Request", String, None, blurb = "Remainder of request line";
    REQUEST_TAG = "imap.request_tag", "Request Tag", String, None, blurb = "First token of request line";
    RESPONSE = "imap.response", "Response", String, None, blurb = "Remainder of response line";
    RESPONSE_TAG = "imap.response_tag", "Response Tag", String, None, blurb = "First token of response line";
    REQUEST_COMMAND = "imap.request.command", "Request Command", String, None, blurb = "Request command name";
    RESPONSE_COMMAND = "imap.response.command", "Response Command", String, None, blurb = "Response command name";
    RESPONSE_STATUS = "imap.response.status", "Response Status", String, None, blurb = "Response status code";
    TAG = "imap.tag", "Tag", String, None, blurb = "Tag";
    COMMAND = "imap.command", "Command", String, None, blurb = "Command";
    REQUEST_FOLDER = "imap.request.folder", "Request Folder", String, None, blurb = "Request command folder";
    REQUEST_UID = "imap.request.command.uid", "Request isUID", Boolean, None, blurb = "Request command uid";
    REQUEST_USERNAME = "imap.request.username", "Request Username", String, None, blurb = "Request command username";
    REQUEST_PASSWORD = "imap.request.password", "Request Password", String, None, blurb = "Request command password";
}

use crate::codec::ascii;
use crate::cx::{Bytes, Cx};
use crate::reasm::{Deseg, Need};
use crate::sasl::Sasl;
use crate::tap::Credential;
use crate::tree::{Span, Value};

/// An IMAP connection's state.
pub struct Conv {
    /// Payloads left for the TLS heuristic.
    heur_tries: u8,
    starttls_requested: bool,
    /// The connection is TLS from now on (heuristic, or STARTTLS accepted).
    pub tls: bool,
    sasl: Sasl,
}

impl Default for Conv {
    fn default() -> Self {
        Conv { heur_tries: 2, starttls_requested: false, tls: false, sasl: Sasl::default() }
    }
}

/// What [`dissect`] found.
pub enum Outcome {
    /// IMAP (the offset of an unfinished line, if any).
    Imap(Option<Deseg>),
    /// Not IMAP but TLS: the caller hands this payload to TLS.
    Tls,
}

/// The end of the line at `off` and the start of the next, as tshark's `tvb_find_line_end`
/// with desegmentation: none without CR or LF, or when a CR is the last byte.
fn line_end(d: &[u8], off: usize) -> Option<(usize, usize)> {
    let i = off + memchr::memchr2(b'\r', b'\n', d.get(off..)?)?;
    match d[i] {
        b'\r' if i + 1 >= d.len() => None,
        b'\r' if d[i + 1] == b'\n' => Some((i, i + 2)),
        _ => Some((i, i + 1)),
    }
}

/// tshark's `tvb_get_token_len` (no desegmentation): the token at `off` within `len` bytes
/// (up to a space, CR or LF) and where the next starts (one past the delimiter).
fn token(d: &[u8], off: usize, len: usize) -> (usize, usize) {
    let end = (off + len).min(d.len());
    let s = &d[off.min(end)..end];
    match s.iter().position(|&c| matches!(c, b' ' | b'\r' | b'\n')) {
        Some(i) => (i, off + i + 1),
        None => (s.len(), end),
    }
}

/// The IMAP payload `off..end`; `request` when it goes to the server port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, request: bool, conv: &mut Conv) -> Outcome {
    let cap_end = end.min(b.len());
    let d = &b.data[..cap_end];
    if conv.heur_tries > 0 {
        conv.heur_tries -= 1;
        if let Some(head) = d.get(off..off + 5) {
            if !head.iter().all(|c| (0x20..0x7f).contains(c)) {
                conv.heur_tries = 0;
                conv.tls = true;
                return Outcome::Tls;
            }
        }
    }
    if line_end(d, off).is_none() {
        return Outcome::Imap(Deseg::new(0, Need::OneMoreSegment));
    }
    cx.proto(PROTO, "imap", b.span_to(off, end));
    cx.add(ISREQUEST, Value::Bool(request), Span::EMPTY);
    let mut p = off;
    while p < cap_end {
        let Some((e, next)) = line_end(d, p) else {
            return Outcome::Imap(Deseg::new(p - off, Need::OneMoreSegment));
        };
        if cx.creds_on() {
            ours(cx, conv, &d[p..e], request);
        }
        if d[p] == b'*' {
            match fetch(cx, b, p, next, end) {
                Fetch::No => {}
                Fetch::More => return Outcome::Imap(Deseg::new(p - off, Need::OneMoreSegment)),
                Fetch::Done(after) => {
                    p = after;
                    continue;
                }
                Fetch::Stop => return Outcome::Imap(None),
            }
        }
        if !line(cx, b, p, e, next, request, conv) {
            // tshark's dissector stops on an exception (a LOGIN without password).
            return Outcome::Imap(None);
        }
        p = next;
    }
    Outcome::Imap(None)
}

/// What tshark's look at an untagged line for `FETCH` found.
#[derive(Debug, PartialEq, Eq)]
enum Fetch {
    /// Not a `FETCH` line: shown as a plain line.
    No,
    /// A `FETCH` whose parenthesised data (and literal) is not all here yet.
    More,
    /// Shown (with its literal handed to IMF); the next line starts here.
    Done(usize),
    /// The literal runs past the data: tshark's dissector throws.
    Stop,
}

/// tshark's handling of an untagged response line `p..next` (`end`: the data's end): if
/// one of its first three words is `FETCH` (or a prefix of it), the data from the first
/// `(` after it is searched, to the end of the data, for a `{size}` literal followed
/// somewhere by `)`; the `size` bytes after the line go to IMF. Without `{`, the line that
/// holds the `(` must end. Anything missing: more data is needed.
fn fetch(cx: &mut Cx, b: Bytes, p: usize, next: usize, end: usize) -> Fetch {
    let d = &b.data[..end.min(b.len())];
    let ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    let mut words = [(0usize, 0usize); 3];
    let mut n = 0;
    let mut at = p;
    while n < 3 {
        let start = at + 1;
        let Some(i) = d.get(start..next).and_then(|s| s.iter().position(ws)) else { break };
        if i > 0 {
            words[n] = (start, start + i);
            n += 1;
        }
        at = start + i;
    }
    if n < 2 {
        return Fetch::No;
    }
    let is_fetch = |&(s, e): &(usize, usize)| {
        let w = &d[s..e];
        w.len() <= 5 && w.eq_ignore_ascii_case(&b"FETCH"[..w.len()])
    };
    let Some(&(_, fetch_end)) = words[..n].iter().find(|w| is_fetch(w)) else { return Fetch::No };
    let find = |c: u8, from: usize, to: usize| -> Option<usize> {
        let to = to.min(d.len());
        memchr::memchr(c, d.get(from..to)?).map(|i| from + i)
    };
    let Some(paren) = find(b'(', fetch_end, d.len()) else { return Fetch::More };
    if paren + 1 >= end {
        return Fetch::More;
    }
    let Some(open) = find(b'{', paren, end - 1) else {
        // No literal: the line holding the parenthesis has to end.
        let Some((_, after)) = line_end(d, paren) else { return Fetch::More };
        cx.add_ascii(LINE, &d[p..after], b.span(p, after - p));
        return Fetch::Done(after);
    };
    let Some(close) = find(b'}', open + 1, end) else { return Fetch::More };
    let digits = &d[open + 1..close];
    let size = match std::str::from_utf8(digits).ok().filter(|s| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
    {
        Some(s) => match s.parse::<u32>() {
            Ok(v) => v as usize,
            Err(_) => return Fetch::More,
        },
        None => return Fetch::More,
    };
    let from = close.saturating_add(size);
    if from >= end || find(b')', from, d.len()).is_none() {
        return Fetch::More;
    }
    cx.add_ascii(LINE, &d[p..next], b.span(p, next - p));
    if next + size > end {
        return Fetch::Stop;
    }
    // The literal is already in memory: IMF gets all of it (its body's parts included),
    // cut to the export cap only for the export record.
    let keep = if cx.st.export.has(crate::export::Proto::Imf) { crate::proto::imf::keep(cx) } else { usize::MAX };
    let body_end = (next + size).min(d.len());
    let message = d[next.min(body_end)..body_end.min(next.saturating_add(keep))].to_vec();
    crate::proto::imf::dissect(cx, b, next, next + size, message, size > keep);
    Fetch::Done(next + size)
}

/// One line as tshark shows it; false where tshark would throw.
fn line(cx: &mut Cx, b: Bytes, p: usize, e: usize, next: usize, request: bool, conv: &mut Conv) -> bool {
    let d = b.data;
    let s = |x: usize, n: usize| &d[x..x + n];
    cx.add_ascii(LINE, s(p, next - p), b.span(p, next - p));
    if d[p] == b'*' {
        return true;
    }
    let mut linelen = e - p;
    if linelen != 0 {
        cx.add_ascii(if request { REQUEST } else { RESPONSE }, s(p, linelen), b.span(p, linelen));
    }
    let mut o = p;
    let (tl, nt) = token(d, o, linelen);
    if tl != 0 {
        cx.add_ascii(if request { REQUEST_TAG } else { RESPONSE_TAG }, s(o, tl), b.span(o, tl));
        cx.add_ascii(TAG, s(o, tl), b.span(o, tl));
        linelen -= nt - o;
        o = nt;
    }
    let (tl, nt) = token(d, o, linelen);
    if tl == 0 {
        return true;
    }
    let lower = d[o..o + tl].to_ascii_lowercase();
    let prefix_of = |word: &[u8], t: &[u8]| t.len() <= word.len() && word[..t.len()] == *t;
    let mut command: Option<Vec<u8>> = None;
    let rest_len = |from: usize| linelen - (from - o);
    if request && prefix_of(b"uid", &lower) {
        cx.add(REQUEST_UID, Value::Bool(true), b.span(o, tl));
        let (ul, unt) = token(d, nt, rest_len(nt));
        if ul != 0 {
            cx.add_ascii(REQUEST_COMMAND, s(nt, ul), b.span(nt, ul));
            cx.add_ascii(COMMAND, s(o, tl), b.span(o, tl));
            command = Some(d[nt..nt + ul].to_ascii_lowercase());
            folder(cx, b, unt, rest_len(unt), &command);
        }
    } else {
        cx.add_ascii(if request { REQUEST_COMMAND } else { RESPONSE_STATUS }, s(o, tl), b.span(o, tl));
        if request {
            cx.add_ascii(COMMAND, s(o, tl), b.span(o, tl));
            command = Some(lower.clone());
            folder(cx, b, nt, rest_len(nt), &command);
        }
    }
    if let Some(cmd) = command.filter(|c| !c.is_empty()) {
        let folders = FOLDER_COMMANDS;
        if folders.iter().any(|f| prefix_of(f, &cmd)) || (linelen > 0 && prefix_of(b"copy", &cmd)) {
            // (folder fields emitted above)
        } else if prefix_of(b"starttls", &cmd) {
            conv.starttls_requested = true;
        } else if prefix_of(b"login", &cmd) {
            let (ul, unt) = token(d, nt, rest_len(nt));
            let user = ascii(&d[nt..nt + ul]);
            cx.add_str(REQUEST_USERNAME, &String::from_utf8_lossy(&user), b.span(nt, ul));
            let (pl, _) = token(d, unt, rest_len(unt));
            if pl == 0 {
                return false;
            }
            let pw_end = if pl >= 2 { unt + 1 + pl - 2 } else { b.len() };
            let pw = ascii(&d[(unt + 1).min(pw_end)..pw_end]);
            cx.add_str(REQUEST_PASSWORD, &String::from_utf8_lossy(&pw), b.span(unt, pl));
            cx.tshark_credential("IMAP", Some(&user), None);
        }
    }
    if !request {
        let (cl, _) = token(d, nt, rest_len(nt));
        if cl > 0 {
            cx.add_ascii(RESPONSE_COMMAND, s(nt, cl), b.span(nt, cl));
            cx.add_ascii(COMMAND, s(nt, cl), b.span(nt, cl));
        }
        if conv.starttls_requested && prefix_of(b"ok", &lower) {
            conv.tls = true;
            conv.starttls_requested = false;
        }
    }
    true
}

/// The commands whose argument is a folder (prefixes of them count, as tshark reads them).
const FOLDER_COMMANDS: [&[u8]; 10] =
    [b"select", b"examine", b"create", b"delete", b"rename", b"subscribe", b"unsubscribe", b"status", b"append", b"search"];

/// The folder argument of the commands that take one (the second for `COPY`).
fn folder(cx: &mut Cx, b: Bytes, at: usize, len: usize, command: &Option<Vec<u8>>) {
    let Some(cmd) = command else { return };
    let prefix_of = |word: &[u8]| cmd.len() <= word.len() && word[..cmd.len()] == **cmd;
    let folders = FOLDER_COMMANDS;
    let (fl, fnt) = token(b.data, at, len);
    if folders.iter().any(|f| prefix_of(f)) {
        if fl != 0 {
            cx.add_ascii(REQUEST_FOLDER, &b.data[at..at + fl], b.span(at, fl));
        }
    } else if len > 0 && prefix_of(b"copy") {
        let (cl, _) = token(b.data, fnt, len - (fnt - at));
        if cl != 0 {
            cx.add_ascii(REQUEST_FOLDER, &b.data[fnt..fnt + cl], b.span(fnt, cl));
        }
    }
}

/// pcap-creds: `LOGIN` with IMAP strings read properly, and `AUTHENTICATE`.
fn ours(cx: &mut Cx, conv: &mut Conv, line: &[u8], request: bool) {
    if !request {
        if let Some(ch) = line.strip_prefix(b"+ ") {
            conv.sasl.challenge(ch);
        } else if line.first() != Some(&b'*') && line.first() != Some(&b'+') {
            conv.sasl.end();
        }
        return;
    }
    if conv.sasl.active() {
        if let Some(c) = conv.sasl.client_line(line, "IMAP") {
            cx.credential(c);
        }
        return;
    }
    let mut rest = line;
    let _tag = astring(&mut rest);
    let Some(cmd) = astring(&mut rest) else { return };
    if cmd.eq_ignore_ascii_case(b"LOGIN") {
        if let (Some(user), Some(pass)) = (astring(&mut rest), astring(&mut rest)) {
            cx.credential(Credential::cleartext("IMAP", &user, &pass));
        }
    } else if cmd.eq_ignore_ascii_case(b"AUTHENTICATE") {
        if let Some(mech) = astring(&mut rest) {
            let initial = astring(&mut rest);
            if let Some(c) = conv.sasl.start(&mech, initial.as_deref(), "IMAP") {
                cx.credential(c);
            }
        }
    }
}

/// An IMAP atom or quoted string (`\` escapes); literals (`{n}`) are not followed.
fn astring(rest: &mut &[u8]) -> Option<Vec<u8>> {
    let s = {
        let n = rest.iter().take_while(|&&c| c == b' ').count();
        &rest[n..]
    };
    if s.is_empty() || s[0] == b'{' {
        return None;
    }
    if s[0] == b'"' {
        let mut out = Vec::new();
        let mut i = 1;
        while i < s.len() {
            match s[i] {
                b'\\' if i + 1 < s.len() => {
                    out.push(s[i + 1]);
                    i += 2;
                }
                b'"' => {
                    *rest = &s[i + 1..];
                    return Some(out);
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        return None;
    }
    let n = s.iter().position(|&c| c == b' ').unwrap_or(s.len());
    *rest = &s[n..];
    Some(s[..n].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_tokens() {
        let mut r: &[u8] = br#"a1 LOGIN "us\"er" pass"#;
        assert_eq!(astring(&mut r).unwrap(), b"a1");
        assert_eq!(astring(&mut r).unwrap(), b"LOGIN");
        assert_eq!(astring(&mut r).unwrap(), br#"us"er"#);
        assert_eq!(astring(&mut r).unwrap(), b"pass");
        assert!(astring(&mut r).is_none());
        assert_eq!(token(b"ab cd", 0, 5), (2, 3));
        assert_eq!(token(b"abcd", 0, 4), (4, 4));
        assert_eq!(line_end(b"x\r", 0), None);
        assert_eq!(line_end(b"x\r\ny", 0), Some((1, 3)));
    }
}
