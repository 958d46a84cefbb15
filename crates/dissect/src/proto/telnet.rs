//! Telnet (port 23): the tree tshark shows (text as `telnet.data`, one item per line with
//! its line end; each IAC command as `telnet.cmd` and, for option negotiation and
//! subnegotiation, `telnet.subcmd`), and logins for the credentials tap: what the client
//! types after the server's `login:` / `Username:` prompt and after `Password:`, with option
//! negotiation (IAC sequences) removed and backspaces applied.
crate::declare_fields! {
    after = super::ssh::END;
    PROTO = "telnet", "Telnet", Protocol, None;
    DATA = "telnet.data", "Data", String, None;
    CMD = "telnet.cmd", "Command", U8, Dec;
    SUBCMD = "telnet.subcmd", "Subcommand", U8, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tap::Credential;

const IAC: u8 = 0xff;

/// One segment's payload `off..end` as tshark's tree shows it.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "telnet", b.span_to(off, end));
    if !cx.wants_any(DATA, SUBCMD.0 + 1) {
        return;
    }
    let cap_end = b.len().min(end);
    let mut off = off;
    while off < cap_end {
        let d = &b.data[off..cap_end];
        let text = memchr::memchr(IAC, d).unwrap_or(d.len());
        lines(cx, b, off, off + text);
        off += text;
        if off >= cap_end {
            break;
        }
        // An IAC command: its code, the option it negotiates, a subnegotiation up to IAC SE.
        let Some(cmd) = b.u8(off + 1) else { break };
        cx.u(CMD, cmd, b.span(off + 1, 1));
        match cmd {
            251..=254 => {
                if let Some(opt) = b.u8(off + 2) {
                    cx.u(SUBCMD, opt, b.span(off + 2, 1));
                }
                off += 3;
            }
            250 => {
                if let Some(opt) = b.u8(off + 2) {
                    cx.u(SUBCMD, opt, b.span(off + 2, 1));
                }
                off = memchr::memmem::find(&b.data[off..cap_end], b"\xff\xf0").map_or(cap_end, |e| off + e + 2);
            }
            _ => off += 2,
        }
    }
}

/// Text `off..end` as one `telnet.data` item per line (a line ends at CR LF, CR CR LF, LF or CR).
fn lines(cx: &mut Cx, b: Bytes, mut off: usize, end: usize) {
    while off < end {
        let d = &b.data[off..end];
        let n = match d.iter().position(|&c| c == b'\r' || c == b'\n') {
            Some(i) if d[i] == b'\r' && d.get(i + 1) == Some(&b'\n') => i + 2,
            // CR CR LF ends one line too (as tshark reads it).
            Some(i) if d[i] == b'\r' && d.get(i + 1..i + 3) == Some(&b"\r\n"[..]) => i + 3,
            Some(i) => i + 1,
            None => d.len(),
        };
        cx.add_ascii(DATA, &d[..n], b.span(off, n));
        off += n;
    }
}

#[derive(Default, PartialEq, Eq)]
enum Step {
    #[default]
    Idle,
    User,
    Password,
}

/// A Telnet connection's login state.
#[derive(Default)]
pub struct Conv {
    step: Step,
    user: Vec<u8>,
    typed: Vec<u8>,
    /// The end of the server's last output (a prompt may span segments).
    prompt: Vec<u8>,
}

/// Longest username or password kept.
const MAX_TYPED: usize = 256;

/// One segment's payload; `from_client` when it goes to port 23.
pub fn credentials(cx: &mut crate::cx::Cx, d: &[u8], from_client: bool, conv: &mut Conv) {
    let text = strip_iac(d);
    if !from_client {
        conv.prompt.extend_from_slice(&text);
        let cut = conv.prompt.len().saturating_sub(32);
        conv.prompt.drain(..cut);
        let tail = String::from_utf8_lossy(&conv.prompt).trim_end().to_ascii_lowercase();
        if tail.ends_with("password:") {
            conv.step = Step::Password;
            conv.typed.clear();
        } else if tail.ends_with("login:") || tail.ends_with("username:") {
            conv.step = Step::User;
            conv.typed.clear();
        }
        return;
    }
    conv.prompt.clear();
    for c in text {
        match c {
            b'\r' | b'\n' | 0 => match conv.step {
                Step::User if !conv.typed.is_empty() => {
                    // The next line typed is the password (clients may send it before
                    // the prompt comes).
                    conv.user = std::mem::take(&mut conv.typed);
                    conv.step = Step::Password;
                }
                Step::Password if !conv.typed.is_empty() => {
                    cx.credential(Credential::cleartext("Telnet", &conv.user, &conv.typed));
                    conv.typed.clear();
                    conv.step = Step::Idle;
                }
                _ => {}
            },
            0x08 | 0x7f => {
                conv.typed.pop();
            }
            _ if conv.step != Step::Idle && conv.typed.len() < MAX_TYPED => conv.typed.push(c),
            _ => {}
        }
    }
}

/// The data bytes of a Telnet stream: IAC commands and subnegotiations removed, IAC IAC
/// read as one 0xff.
fn strip_iac(d: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(d.len());
    let mut i = 0;
    while i < d.len() {
        if d[i] != 0xff {
            out.push(d[i]);
            i += 1;
            continue;
        }
        match d.get(i + 1) {
            Some(0xff) => {
                out.push(0xff);
                i += 2;
            }
            Some(251..=254) => i += 3,
            Some(250) => {
                // Subnegotiation: up to IAC SE.
                i = memchr::memmem::find(&d[i..], b"\xff\xf0").map_or(d.len(), |e| i + e + 2);
            }
            _ => i += 2,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn iac_removed() {
        assert_eq!(super::strip_iac(b"\xff\xfb\x01ab\xff\xff\xff\xfa\x18\x01\xff\xf0c"), b"ab\xffc");
    }
}
