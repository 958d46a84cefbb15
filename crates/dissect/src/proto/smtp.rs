//! SMTP (ports 25 and 587) as tshark 4.0 dissects it, with its session state: commands,
//! the DATA phase (lines between `DATA` and the lone `.` are message data, not commands;
//! `BDAT` chunks likewise), `STARTTLS`, and the AUTH exchanges tshark follows (LOGIN,
//! PLAIN, NTLM) with `smtp.decryption` off, its default: tshark's credentials table then
//! shows AUTH LOGIN at the password line, with the username still base64.
//!
//! Each request frame is classified once (tshark's per-frame `pdu_type`): a command frame,
//! a message-data frame or the end-of-message frame; [`Conv::phase`] tells which phase the
//! session is in, for a reader of the DATA phase (IMF export) to extend.
//!
//! pcap-creds also reads AUTH PLAIN / LOGIN / CRAM-MD5 and NTLM answers.
crate::declare_fields! {
    after = super::imap::END;
    PROTO = "smtp", "Simple Mail Transfer Protocol", Protocol, None;
    REQ = "smtp.req", "Request", Boolean, None;
    RSP = "smtp.rsp", "Response", Boolean, None;
    COMMAND_LINE = "smtp.command_line", "Command Line", String, None;
    REQ_COMMAND = "smtp.req.command", "Command", String, None;
    REQ_PARAMETER = "smtp.req.parameter", "Request parameter", String, None;
    RESPONSE = "smtp.response", "Response", String, None;
    RESPONSE_CODE = "smtp.response.code", "Response code", U32, Dec;
    RSP_PARAMETER = "smtp.rsp.parameter", "Response parameter", String, None;
    AUTH_USERNAME = "smtp.auth.username", "Username", String, None;
    AUTH_PASSWORD = "smtp.auth.password", "Password", String, None;
    AUTH_USERNAME_PASSWORD = "smtp.auth.username_password", "Username/Password", String, None;
    EOM = "smtp.eom", "EOM", None, None;
}

use crate::codec::{ascii, base64, cstr};
use crate::cx::{Bytes, Cx};
use crate::reasm::{Deseg, Need};
use crate::sasl::Sasl;
use crate::tree::{Span, Value};

/// The session phase (tshark's `smtp_state`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Phase {
    #[default]
    Start,
    Commands,
    /// Between `DATA` (or a non-empty `BDAT`) and the end of the message.
    Data,
    AwaitingStarttls,
}

/// How a request frame was classified (tshark's `pdu_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pdu {
    Command,
    Message,
    /// The frame that ends a message (`.`).
    Eom,
}

/// Where an AUTH exchange is (tshark's `auth_state`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Auth {
    #[default]
    None,
    Start,
    UsernameReq,
    UsernameRsp,
    PasswordReq,
    PasswordRsp,
    PlainStartReq,
    PlainReq,
    PlainRsp,
    PlainCredReq,
    NtlmReq,
    NtlmChallenge,
    NtlmRsp,
    Success,
    Failed,
}

/// An SMTP session's state.
#[derive(Default)]
pub struct Conv {
    phase: Phase,
    auth: Auth,
    crlf_seen: bool,
    data_seen: bool,
    msg_tot_len: u64,
    msg_read_len: u64,
    first_auth_frame: u32,
    last_auth_frame: u32,
    username_frame: u32,
    password_frame: u32,
    username: Option<Vec<u8>>,
    /// The request frame classified last, and how.
    classified: Option<(u32, Pdu)>,
    /// The server accepted STARTTLS: what follows is TLS.
    pub starttls: bool,
    /// The message data so far (all of it when IMF objects are exported, else its head), and whether it
    /// was cut at the per-object cap.
    message: Vec<u8>,
    message_capped: bool,
    sasl: Sasl,
    ntlm_active: bool,
    ntlm: crate::proto::ntlmssp::Pairing,
}

impl Conv {
    pub fn phase(&self) -> Phase {
        self.phase
    }
}

/// tshark's `tvb_find_line_end`: (line end, next line), `None` when `desegment` and the
/// line is unfinished.
fn line_end(d: &[u8], off: usize, desegment: bool) -> Option<(usize, usize)> {
    match memchr::memchr2(b'\r', b'\n', &d[off..]).map(|i| off + i) {
        None if desegment => None,
        None => Some((d.len(), d.len())),
        Some(i) if d[i] == b'\r' && i + 1 >= d.len() => {
            if desegment {
                None
            } else {
                Some((i, i + 1))
            }
        }
        Some(i) if d[i] == b'\r' && d[i + 1] == b'\n' => Some((i, i + 2)),
        Some(i) => Some((i, i + 1)),
    }
}

/// RFC 821's four letters, or one of the longer commands tshark knows.
fn is_command(cmd: &[u8]) -> bool {
    (cmd.len() == 4 && cmd.iter().all(u8::is_ascii_alphabetic))
        || [&b"STARTTLS"[..], b"X-EXPS", b"X-LINK2STATE", b"XEXCH50"].iter().any(|c| c.eq_ignore_ascii_case(cmd))
}

fn starts_ci(line: &[u8], p: &[u8]) -> bool {
    line.len() >= p.len() && line[..p.len()].eq_ignore_ascii_case(p)
}

/// The payload `off..end`; `request` when it goes to the server port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, request: bool, conv: &mut Conv) -> Option<Deseg> {
    let cap_end = end.min(b.len());
    let d = &b.data[..cap_end];
    let frame = cx.meta.number;
    // Text tshark decoded in the classification pass (its `decrypt`), reused below.
    let mut decrypt: Option<Vec<u8>> = None;
    let mut pdu = conv.classified.filter(|c| request && c.0 == frame).map(|c| c.1);
    // Client lines outside the DATA phase, for pcap-creds (whatever tshark calls the frame).
    let mut command_lines: Vec<(usize, usize)> = Vec::new();
    if pdu.is_none() {
        if request {
            pdu = Some(Pdu::Command);
            conv.classified = Some((frame, Pdu::Command));
        }
        let mut p = off;
        while p < cap_end {
            let (e, next) = match line_end(d, p, true) {
                Some(x) => x,
                None if p == off => return Deseg::new(0, Need::OneMoreSegment),
                None => (end, end),
            };
            let mut eom = false;
            if conv.phase == Phase::Data {
                eom = (conv.crlf_seen && d[p..].starts_with(b".\r\n")) || d[p..].starts_with(b"\r\n.\r\n");
                conv.crlf_seen = cap_end == end && d.ends_with(b"\r\n");
            }
            if request {
                if conv.phase != Phase::Data && command_lines.len() < 64 {
                    command_lines.push((p, e.min(cap_end)));
                }
                let mut next = next;
                let kind = classify(conv, frame, &d[p..e.min(cap_end)], eom, &mut decrypt, (end - p) as u64, &mut next);
                if let Some(k) = kind.0 {
                    pdu = Some(k);
                }
                if kind.1 {
                    break;
                }
                p = next;
                continue;
            }
            p = next;
        }
        if let (true, Some(k)) = (request, pdu) {
            conv.classified = Some((frame, k));
        }
    }
    if cx.creds_on() {
        for (p, e) in command_lines {
            ours(cx, conv, &d[p..e], true);
        }
    }
    cx.proto(PROTO, "smtp", b.span_to(off, end));
    if request {
        cx.add(REQ, Value::Bool(true), Span::EMPTY);
        match pdu {
            Some(Pdu::Command) => commands(cx, b, off, cap_end, conv, decrypt),
            Some(Pdu::Eom) => {
                cx.add(EOM, Value::None, b.span_to(off, end));
                // The data up to the CRLF before the terminating "." belongs to the message.
                let frame = &d[off.min(cap_end)..cap_end];
                let before = if conv_eom_at_start(frame) { 0 } else { memchr::memmem::find(frame, b"\r\n.\r\n").map_or(0, |i| i + 2) };
                append(conv, &frame[..before], crate::proto::imf::keep(cx));
                let message = std::mem::take(&mut conv.message);
                let capped = std::mem::take(&mut conv.message_capped);
                crate::proto::imf::dissect(cx, b, off, end, message, capped);
            }
            Some(Pdu::Message) => {
                append(conv, &d[off.min(cap_end)..cap_end], crate::proto::imf::keep(cx));
                // tshark shows the lines of each message fragment inside the smtp item.
                cx.proto(crate::proto::ftp_data::TEXT_LINES, "data-text-lines", b.span_to(off, end));
            }
            _ => {}
        }
    } else {
        cx.add(RSP, Value::Bool(true), Span::EMPTY);
        responses(cx, b, off, cap_end, conv);
    }
    None
}

/// A frame that is only the end of a message (its "." line, or CRLF "." CRLF): it adds
/// nothing to the message (the data frames before it are the message).
fn conv_eom_at_start(frame: &[u8]) -> bool {
    frame.starts_with(b".\r\n") || frame.starts_with(b"\r\n.\r\n")
}

/// Adds message data, up to the per-object cap.
fn append(conv: &mut Conv, data: &[u8], cap: usize) {
    let room = cap.saturating_sub(conv.message.len());
    if data.len() > room {
        conv.message_capped = true;
    }
    conv.message.extend_from_slice(&data[..data.len().min(room)]);
}

/// One request line of the classification pass: the frame's kind if this line decides it,
/// and whether the pass stops here.
#[allow(clippy::too_many_arguments)]
fn classify(conv: &mut Conv, frame: u32, line: &[u8], eom: bool, decrypt: &mut Option<Vec<u8>>, remaining: u64, next: &mut usize) -> (Option<Pdu>, bool) {
    if conv.phase == Phase::Data {
        if eom {
            conv.phase = Phase::Commands;
            return (Some(Pdu::Eom), true);
        }
        if conv.msg_tot_len > 0 {
            conv.msg_read_len += remaining;
            *next = usize::MAX;
            if conv.msg_read_len == conv.msg_tot_len {
                conv.phase = Phase::Commands;
                return (Some(Pdu::Message), true);
            }
        }
        return (Some(Pdu::Message), false);
    }
    if conv.auth != Auth::None && frame >= conv.first_auth_frame && (conv.last_auth_frame == 0 || frame <= conv.last_auth_frame) {
        *decrypt = Some(ascii(line));
    }
    let cmd_len = line.iter().position(|&c| c == b' ').unwrap_or(line.len());
    if is_command(&line[..cmd_len]) {
        let n = line.len();
        if starts_ci(line, b"DATA") {
            conv.phase = Phase::Data;
            conv.data_seen = true;
        } else if starts_ci(line, b"BDAT") {
            let digits = line.get(5..).unwrap_or(&[]);
            let digits = &digits[digits.iter().take_while(|c| c.is_ascii_whitespace()).count()..];
            let len: u64 = digits.iter().take_while(|c| c.is_ascii_digit()).fold(0u64, |a, &c| a.saturating_mul(10).saturating_add((c - b'0') as u64));
            conv.data_seen = true;
            conv.msg_tot_len = conv.msg_tot_len.saturating_add(len);
            conv.phase = if len == 0 { Phase::Commands } else { Phase::Data };
        } else if starts_ci(line, b"AUTH LOGIN") {
            conv.phase = Phase::Commands;
            conv.first_auth_frame = frame;
            if n <= 11 {
                conv.auth = Auth::Start;
            } else {
                conv.auth = Auth::UsernameRsp;
            }
        } else if starts_ci(line, b"AUTH PLAIN") {
            conv.phase = Phase::Commands;
            conv.first_auth_frame = frame;
            conv.auth = if n <= 11 { Auth::PlainStartReq } else { Auth::PlainCredReq };
        } else if starts_ci(line, b"AUTH NTLM") && n > 10 {
            conv.phase = Phase::Commands;
            conv.auth = Auth::NtlmReq;
        } else if starts_ci(line, b"STARTTLS") {
            conv.phase = Phase::AwaitingStarttls;
        }
        return (Some(Pdu::Command), false);
    }
    match conv.auth {
        Auth::UsernameReq => {
            conv.auth = Auth::UsernameRsp;
            conv.username_frame = frame;
        }
        Auth::PasswordReq => {
            conv.auth = Auth::PasswordRsp;
            conv.password_frame = frame;
        }
        Auth::PlainReq => conv.auth = Auth::PlainRsp,
        Auth::NtlmChallenge => conv.auth = Auth::NtlmRsp,
        _ => {
            let k = if conv.data_seen || conv.phase == Phase::Start { Pdu::Message } else { Pdu::Command };
            return (Some(k), false);
        }
    }
    (None, false)
}

/// A command frame's lines.
fn commands(cx: &mut Cx, b: Bytes, off: usize, cap_end: usize, conv: &mut Conv, mut decrypt: Option<Vec<u8>>) {
    let d = &b.data[..cap_end];
    let frame = cx.meta.number;
    let mut p = off;
    while p < cap_end {
        let Some((e, next)) = line_end(d, p, false) else { break };
        let line = &d[p..e];
        if conv.username_frame == frame {
            let v = decrypt.get_or_insert_with(|| ascii(line)).clone();
            if conv.username.is_none() {
                conv.username = Some(cstr(&v).to_vec());
            }
            cx.add_str(AUTH_USERNAME, &String::from_utf8_lossy(&v), b.span(p, e - p));
        } else if conv.password_frame == frame {
            let v = decrypt.get_or_insert_with(|| ascii(line)).clone();
            cx.add_str(AUTH_PASSWORD, &String::from_utf8_lossy(&v), b.span(p, e - p));
            let info = format!("Username in packet {}", conv.username_frame);
            let user = conv.username.clone();
            cx.tshark_credential("SMTP", user.as_deref(), Some(info));
        } else {
            cx.add_ascii(COMMAND_LINE, &d[p..next], b.span(p, next - p));
            let n = line.len().min(4);
            cx.add_ascii(REQ_COMMAND, &line[..n], b.span(p, n));
            if line.len() > 5 {
                cx.add_ascii(REQ_PARAMETER, &line[5..], b.span(p + 5, line.len() - 5));
            }
        }
        p = next.max(p + 1);
    }
}

/// A response frame's lines: the AUTH and STARTTLS transitions.
fn responses(cx: &mut Cx, b: Bytes, off: usize, cap_end: usize, conv: &mut Conv) {
    let d = &b.data[..cap_end];
    let frame = cx.meta.number;
    let mut p = off;
    while p < cap_end {
        let Some((e, next)) = line_end(d, p, false) else { break };
        let line = &d[p..e];
        if cx.creds_on() {
            ours(cx, conv, line, false);
        }
        if line.len() >= 3 && line[..3].iter().all(u8::is_ascii_digit) {
            let code = line[..3].iter().fold(0u32, |a, &c| a * 10 + (c - b'0') as u32);
            if conv.phase == Phase::AwaitingStarttls {
                if code == 220 {
                    conv.starttls = true;
                }
                conv.phase = Phase::Commands;
            }
            if code == 334 {
                conv.auth = match conv.auth {
                    Auth::Start => Auth::UsernameReq,
                    Auth::UsernameRsp => Auth::PasswordReq,
                    Auth::PlainReq => Auth::PlainRsp,
                    Auth::PlainStartReq => Auth::PlainReq,
                    Auth::NtlmReq => Auth::NtlmChallenge,
                    a => a,
                };
            } else if matches!(conv.auth, Auth::PasswordRsp | Auth::PlainRsp | Auth::NtlmRsp | Auth::PlainCredReq) {
                conv.auth = if code == 235 { Auth::Success } else { Auth::Failed };
                conv.last_auth_frame = frame;
            }
            cx.add_ascii(RESPONSE, &d[p..next], b.span(p, next - p));
            cx.u(RESPONSE_CODE, code, b.span(p, 3));
            if line.len() >= 4 {
                cx.add_ascii(RSP_PARAMETER, &line[4..], b.span(p + 4, line.len() - 4));
            }
        }
        p = next.max(p + 1);
    }
}

/// pcap-creds: AUTH PLAIN / LOGIN / CRAM-MD5 and NTLM, on command lines and replies.
fn ours(cx: &mut Cx, conv: &mut Conv, line: &[u8], request: bool) {
    if !request {
        let code = line.get(..3).unwrap_or(&[]);
        if code == b"334" {
            let arg = line.get(4..).unwrap_or(&[]);
            if conv.ntlm_active {
                if let Some(blob) = base64(arg) {
                    crate::proto::ntlmssp::find(cx, &blob, &mut conv.ntlm, "SMTP");
                }
            } else {
                conv.sasl.challenge(arg);
            }
        } else if code.len() == 3 && code.iter().all(u8::is_ascii_digit) {
            conv.sasl.end();
            conv.ntlm_active = false;
        }
        return;
    }
    if conv.ntlm_active {
        if let Some(blob) = base64(line) {
            crate::proto::ntlmssp::find(cx, &blob, &mut conv.ntlm, "SMTP");
        }
        return;
    }
    if conv.sasl.active() {
        if let Some(c) = conv.sasl.client_line(line, "SMTP") {
            cx.credential(c);
        }
        return;
    }
    let mut words = line.split(|&c| c == b' ').filter(|w| !w.is_empty());
    if words.next().is_some_and(|w| w.eq_ignore_ascii_case(b"AUTH")) {
        let Some(mech) = words.next() else { return };
        let initial = words.next();
        if mech.eq_ignore_ascii_case(b"NTLM") {
            conv.ntlm_active = true;
            if let Some(blob) = initial.and_then(base64) {
                crate::proto::ntlmssp::find(cx, &blob, &mut conv.ntlm, "SMTP");
            }
        } else if let Some(c) = conv.sasl.start(mech, initial, "SMTP") {
            cx.credential(c);
        }
    }
}
