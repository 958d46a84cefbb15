//! The read → dissect → collect loop: every frame is dissected with the application layers
//! that carry credentials, and the credential taps the dissectors queued are collected.

use pcaptk_capture::{MultiReader, Progress};
use pcaptk_dissect::cx::NetAddr;
use pcaptk_dissect::proto::{ftp, http, imap, nbss, ntlmssp, pop, smb2, smtp};
use pcaptk_dissect::state::FormFields;
use pcaptk_dissect::tap::{Credential, TsharkCredential};
use pcaptk_dissect::{Dissector, FrameMeta, Tap, Tree};
use std::collections::HashSet;

/// One end of a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Endpoint {
    pub addr: NetAddr,
    pub port: u16,
}

/// A credential and where it was seen.
#[derive(Clone, Debug)]
pub struct Found {
    pub frame: u32,
    pub ts_ns: i64,
    pub client: Option<Endpoint>,
    pub server: Option<Endpoint>,
    pub cred: Credential,
}

#[derive(Default)]
pub struct Results {
    /// tshark's table rows, with their frame numbers, in order.
    pub tshark: Vec<(u32, TsharkCredential)>,
    pub found: Vec<Found>,
}

pub struct Config {
    pub inputs: Vec<String>,
    /// Keep every attempt (otherwise the first of each protocol, user, domain, secret).
    pub all: bool,
    pub form_fields: FormFields,
    pub progress: bool,
    /// Only tshark's table is printed (`-z credentials`): read only the protocols it lists.
    pub table_only: bool,
}

/// How the run ended.
pub enum Outcome {
    Done,
    /// A read error after the packets before it were processed (tshark's message).
    ReadError(String),
    /// The capture could not be opened (tshark's message).
    OpenError(String),
}

pub fn run(cfg: Config) -> (Results, Outcome) {
    // Any field of these protocols makes TCP reassemble and hand payloads to them.
    let mut dissector = Dissector::new([ftp::PROTO, http::PROTO, pop::PROTO, imap::PROTO, smtp::PROTO, nbss::PROTO, smb2::PROTO, ntlmssp::PROTO]);
    dissector.set_form_fields(cfg.form_fields);
    // TCP conversations that can carry none of the protocols read for credentials (TLS,
    // DNS, any other port's dissector) get no state and no reassembly.
    {
        use pcaptk_dissect::proto::tcp_app::*;
        let table = HTTP | FTP | POP | IMAP | SMTP;
        dissector.only_tcp_apps(if cfg.table_only { table } else { table | NBSS | LDAP | KERBEROS | TELNET | TDS | LOGINS });
    }
    let mut tree = Tree { record_taps: true, record_creds: true, ..Tree::default() };
    let mut reader = MultiReader::new(cfg.inputs);
    let mut progress = Progress::new(cfg.progress);
    let mut results = Results::default();
    let mut seen: HashSet<(&'static str, Vec<u8>, Vec<u8>, Vec<u8>)> = HashSet::new();
    let mut number: u32 = 0;
    let mut outcome = Outcome::Done;
    loop {
        let pkt = match reader.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => {
                outcome = if number == 0 && e.before_open() { Outcome::OpenError(e.to_string()) } else { Outcome::ReadError(e.to_string()) };
                break;
            }
        };
        number = number.wrapping_add(1);
        let meta = FrameMeta::of(number, &pkt);
        dissector.dissect(&meta, pkt.data, &mut tree);
        let mut ends: Option<(Endpoint, Endpoint)> = None;
        for tap in tree.taps.drain(..) {
            match tap {
                Tap::Tcp { src, dst, sport, dport, .. } | Tap::Udp { src, dst, sport, dport, .. } => {
                    ends = Some((Endpoint { addr: src, port: sport }, Endpoint { addr: dst, port: dport }));
                }
                Tap::TsharkCredential(row) => results.tshark.push((number, *row)),
                Tap::Credential(cred) => {
                    if !cfg.all && !seen.insert((cred.protocol, cred.username.clone(), cred.domain.clone(), cred.secret.clone())) {
                        continue;
                    }
                    let (client, server) = match ends {
                        Some((s, d)) if cred.from_client => (Some(s), Some(d)),
                        Some((s, d)) => (Some(d), Some(s)),
                        None => (None, None),
                    };
                    results.found.push(Found { frame: number, ts_ns: pkt.ts_ns, client, server, cred: *cred });
                }
                _ => {}
            }
        }
        if number & 0xfff == 0 {
            progress.tick(reader.bytes_read(), reader.total_bytes());
        }
    }
    progress.finish();
    (results, outcome)
}
