//! SASL exchanges inside POP3 (`AUTH`), IMAP (`AUTHENTICATE`) and SMTP (`AUTH`): PLAIN and
//! LOGIN give the password, CRAM-MD5 a hashcat line (mode 10200) built from the server's
//! challenge and the client's answer.

use crate::codec::base64;
use crate::tap::Credential;

#[derive(Default, Clone, PartialEq, Eq, Debug)]
enum Step {
    #[default]
    Idle,
    /// `PLAIN` without an initial response: the next client line carries it.
    Plain,
    /// `LOGIN`: the next client line is the username.
    LoginUser,
    /// `LOGIN`: the next client line is the password.
    LoginPass(Vec<u8>),
    /// `CRAM-MD5` before the server's challenge.
    Cram,
    /// `CRAM-MD5` after the challenge (its base64 text).
    CramAnswer(Vec<u8>),
}

/// One connection's SASL exchange.
#[derive(Default)]
pub struct Sasl {
    step: Step,
}

/// Longest base64 line taken as a SASL message.
const MAX_LINE: usize = 4096;

impl Sasl {
    /// The client started `mech`, with an optional initial response (base64).
    pub fn start(&mut self, mech: &[u8], initial: Option<&[u8]>, carrier: &'static str) -> Option<Credential> {
        self.step = Step::Idle;
        let initial = initial.filter(|i| !i.is_empty() && *i != b"=");
        if mech.eq_ignore_ascii_case(b"PLAIN") {
            match initial {
                Some(i) => return plain(i, carrier),
                None => self.step = Step::Plain,
            }
        } else if mech.eq_ignore_ascii_case(b"LOGIN") {
            self.step = match initial.and_then(decode) {
                Some(user) => Step::LoginPass(user),
                None => Step::LoginUser,
            };
        } else if mech.eq_ignore_ascii_case(b"CRAM-MD5") {
            self.step = Step::Cram;
        }
        None
    }

    /// True while the exchange waits for a client line.
    pub fn active(&self) -> bool {
        self.step != Step::Idle
    }

    /// A server challenge line's base64 text (`+ ...` or `334 ...`).
    pub fn challenge(&mut self, b64: &[u8]) {
        if self.step == Step::Cram && b64.len() <= MAX_LINE {
            self.step = Step::CramAnswer(b64.to_vec());
        }
    }

    /// The server ended the exchange (a status reply that is no challenge).
    pub fn end(&mut self) {
        self.step = Step::Idle;
    }

    /// A client line while the exchange is active; `*` cancels it.
    pub fn client_line(&mut self, line: &[u8], carrier: &'static str) -> Option<Credential> {
        if line == b"*" || line.len() > MAX_LINE {
            self.step = Step::Idle;
            return None;
        }
        match std::mem::take(&mut self.step) {
            Step::Plain => plain(line, carrier),
            Step::LoginUser => {
                self.step = Step::LoginPass(decode(line)?);
                None
            }
            Step::LoginPass(user) => Some(Credential::cleartext(carrier, &user, &decode(line)?)),
            Step::CramAnswer(ch) => {
                let answer = decode(line)?;
                let sp = memchr::memrchr(b' ', &answer)?;
                let line = format!("$cram_md5${}${}", String::from_utf8_lossy(&ch), String::from_utf8_lossy(line));
                Some(Credential::hash(carrier, &answer[..sp], b"", line, 10200))
            }
            Step::Cram | Step::Idle => None,
        }
    }
}

fn decode(b64: &[u8]) -> Option<Vec<u8>> {
    base64(b64)
}

/// `authzid NUL authcid NUL password`.
fn plain(b64: &[u8], carrier: &'static str) -> Option<Credential> {
    let d = decode(b64)?;
    let mut parts = d.splitn(3, |&c| c == 0);
    let (_authz, user, pass) = (parts.next()?, parts.next()?, parts.next()?);
    Some(Credential::cleartext(carrier, user, pass))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mechanisms() {
        let mut s = Sasl::default();
        let c = s.start(b"PLAIN", Some(b"AHVzZXIAcGFzcw=="), "SMTP").unwrap();
        assert_eq!((c.username.as_slice(), c.secret.as_slice()), (&b"user"[..], &b"pass"[..]));
        assert!(s.start(b"LOGIN", None, "SMTP").is_none());
        assert!(s.client_line(b"dXNlcg==", "SMTP").is_none());
        let c = s.client_line(b"cGFzcw==", "SMTP").unwrap();
        assert_eq!(c.secret, b"pass");
        assert!(!s.active());
        s.start(b"CRAM-MD5", None, "IMAP");
        s.challenge(b"PDEyMzQ+");
        let c = s.client_line(b"dXNlciAwMTIz", "IMAP").unwrap();
        assert_eq!(c.secret, b"$cram_md5$PDEyMzQ+$dXNlciAwMTIz");
        assert_eq!(c.username, b"user");
        // Cancelled, garbage: nothing.
        s.start(b"LOGIN", None, "IMAP");
        assert!(s.client_line(b"*", "IMAP").is_none());
        assert!(s.client_line(b"!!", "IMAP").is_none());
    }
}
