//! Tap records: what tshark hands its conversation and endpoint taps (`-z conv`,
//! `-z endpoints`) for one frame, in the order tshark queues them. Dissectors record one
//! where tshark calls `tap_queue_packet` for the `eth`, `ip`, `ipv6`, `tcp` and `udp` taps,
//! under the same conditions (a header dissected that far); nothing is recorded inside a
//! packet quoted by an ICMP error (tshark's taps skip those). Recorded only when the
//! command asks for them (`Tree::record_taps`).
//!
//! Credentials travel as taps too: [`TsharkCredential`] is a row of tshark's
//! `-z credentials` table (queued where tshark's dissectors queue one), [`Credential`] what
//! pcap-creds reports (a secret or a crackable hash), queued by the dissector that saw it.

use crate::cx::NetAddr;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tap {
    Eth { src: [u8; 6], dst: [u8; 6] },
    Ip { src: [u8; 4], dst: [u8; 4] },
    Ipv6 { src: [u8; 16], dst: [u8; 16] },
    /// `stream` is `tcp.stream` (u32::MAX when the stream table is off).
    Tcp { src: NetAddr, dst: NetAddr, sport: u16, dport: u16, stream: u32 },
    /// `stream` is `udp.stream` (u32::MAX when the stream table is off).
    Udp { src: NetAddr, dst: NetAddr, sport: u16, dport: u16, stream: u32 },
    TsharkCredential(Box<TsharkCredential>),
    Credential(Box<Credential>),
}

/// One row of tshark 4.0's credentials table (its `tap_credential_t`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TsharkCredential {
    /// `FTP`, `POP3`, `IMAP`, `SMTP`, `HTTP basic auth`, `HTTP header auth`.
    pub proto: &'static str,
    /// The bytes tshark prints; `None` where tshark has no username (it prints `(null)`).
    pub username: Option<Vec<u8>>,
    pub info: Option<String>,
}

/// Whether a secret is the password itself or something to crack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretKind {
    Cleartext,
    Hash,
}

/// A credential: who, and the secret (a password, a token, or a hash line for hashcat).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    /// What carried it: `FTP`, `HTTP Basic`, `HTTP Digest`, `NTLMv2`, `POP3`, ...
    pub protocol: &'static str,
    pub username: Vec<u8>,
    pub domain: Vec<u8>,
    pub secret: Vec<u8>,
    pub kind: SecretKind,
    /// hashcat's `-m` for hash lines.
    pub hashcat: Option<u32>,
    /// The frame goes from the client to the server (false for a server's reply, such as
    /// a Kerberos ticket).
    pub from_client: bool,
}

impl Credential {
    /// A password or token sent by the client.
    pub fn cleartext(protocol: &'static str, username: &[u8], secret: &[u8]) -> Self {
        Credential {
            protocol,
            username: username.to_vec(),
            domain: Vec::new(),
            secret: secret.to_vec(),
            kind: SecretKind::Cleartext,
            hashcat: None,
            from_client: true,
        }
    }
    /// A hash line for hashcat mode `mode`.
    pub fn hash(protocol: &'static str, username: &[u8], domain: &[u8], line: String, mode: u32) -> Self {
        Credential {
            protocol,
            username: username.to_vec(),
            domain: domain.to_vec(),
            secret: line.into_bytes(),
            kind: SecretKind::Hash,
            hashcat: Some(mode),
            from_client: true,
        }
    }
}
