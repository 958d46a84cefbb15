//! FTP control connection (port 21): the first line of each segment, as a request (to the
//! server port) or a response, the way tshark 4.0 shows it (no desegmentation). `USER` and
//! `PASS` feed the credentials tap.
crate::declare_fields! {
    after = super::http::END;
    PROTO = "ftp", "File Transfer Protocol (FTP)", Protocol, None;
    RESPONSE = "ftp.response", "Response", Boolean, None;
    REQUEST = "ftp.request", "Request", Boolean, None;
    REQUEST_COMMAND = "ftp.request.command", "Request command", String, None;
    REQUEST_ARG = "ftp.request.arg", "Request arg", String, None;
    RESPONSE_CODE = "ftp.response.code", "Response code", U32, Dec;
    RESPONSE_ARG = "ftp.response.arg", "Response arg", String, None;
}

use crate::cx::{Bytes, Cx};
use crate::tap::Credential;
use crate::tree::{Span, Value};

/// Login state of a control connection.
#[derive(Default)]
pub struct Conv {
    /// The first `USER` argument and its frame (what tshark's table shows).
    first_user: Option<(Vec<u8>, u32)>,
    /// The latest `USER` argument (what the next `PASS` belongs to).
    user: Vec<u8>,
}

/// One segment of the control connection, `off..end`; `request` when it goes to the server.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, request: bool, conv: &mut Conv) {
    cx.proto(PROTO, "ftp", b.span_to(off, end));
    // tshark's "[Current working directory: ...]", a top-level item of every FTP packet.
    cx.push_name("ftp.current-working-directory");
    let d = &b.data[off.min(b.len())..end.min(b.len())];
    let line_len = d.iter().position(|&c| c == b'\r' || c == b'\n').unwrap_or(d.len());
    let line = &d[..line_len];
    if request {
        cx.add(REQUEST, Value::Bool(true), Span::EMPTY);
    } else {
        cx.add(RESPONSE, Value::Bool(true), Span::EMPTY);
    }
    let (tok, rest_at) = token(line);
    if request {
        if !tok.is_empty() {
            cx.add_str(REQUEST_COMMAND, &String::from_utf8_lossy(tok), b.span(off, tok.len()));
        }
        if rest_at < line.len() {
            let arg = &line[rest_at..];
            cx.add_str(REQUEST_ARG, &String::from_utf8_lossy(arg), b.span(off + rest_at, arg.len()));
        }
        if cx.creds_on() && !tok.is_empty() {
            login(cx, conv, line, tok, rest_at);
        }
        return;
    }
    // A response: a three-digit code, then "-" on the first line of a multi-line reply.
    let code_len = if line.len() >= 3 && line[..3].iter().all(u8::is_ascii_digit) && (line.len() == 3 || matches!(line[3], b' ' | b'-')) {
        3
    } else {
        0
    };
    // Without a code the whole line is the argument.
    let mut arg_at = 0;
    if code_len == 3 {
        let code = (line[0] - b'0') as u32 * 100 + (line[1] - b'0') as u32 * 10 + (line[2] - b'0') as u32;
        cx.u(RESPONSE_CODE, code, b.span(off, 3));
        arg_at = if line.get(3) == Some(&b'-') { 4 } else { rest_at };
    }
    if arg_at < line.len() {
        let arg = &line[arg_at..];
        cx.add_str(RESPONSE_ARG, &String::from_utf8_lossy(arg), b.span(off + arg_at, arg.len()));
    }
}

/// `USER` / `PASS`. tshark compares the command case-sensitively as a prefix (`PA` is
/// `PASS`, `P` is `PORT`), and takes the username from one character after the command.
fn login(cx: &mut Cx, conv: &mut Conv, line: &[u8], tok: &[u8], rest_at: usize) {
    let is = |cmd: &[u8]| tok.len() <= 4 && cmd.starts_with(tok);
    if is(b"PORT") || is(b"EPRT") {
        return;
    }
    let arg = &line[rest_at..];
    if is(b"USER") {
        if conv.first_user.is_none() && line.len() - tok.len() > 1 {
            let name = crate::codec::cstr(&line[tok.len() + 1..]).to_vec();
            conv.first_user = Some((name, cx.meta.number));
        }
        conv.user = arg.to_vec();
    } else if is(b"PASS") {
        if let Some((name, frame)) = &conv.first_user {
            let info = format!("Username in packet: {}", frame);
            let name = name.clone();
            cx.tshark_credential("FTP", Some(&name), Some(info));
        }
        if !arg.is_empty() && tok == b"PASS" {
            cx.credential(Credential::cleartext("FTP", &conv.user, arg));
        }
    }
}

/// The first space-delimited token and where the next one starts (spaces skipped).
fn token(line: &[u8]) -> (&[u8], usize) {
    let n = line.iter().position(|&c| c == b' ').unwrap_or(line.len());
    let mut next = n;
    while next < line.len() && line[next] == b' ' {
        next += 1;
    }
    (&line[..n], next)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens() {
        assert_eq!(super::token(b"USER anonymous"), (&b"USER"[..], 5));
        assert_eq!(super::token(b"LIST"), (&b"LIST"[..], 4));
        assert_eq!(super::token(b"PASS  x"), (&b"PASS"[..], 6));
    }
}
