//! The read → dissect → collect loop: every frame is dissected with the application layers
//! that carry credentials, and the credential taps the dissectors queued are collected.

use pcaptk_capture::CaptureError;
use pcaptk_dissect::cx::NetAddr;
use pcaptk_dissect::parallel::{self, Collect, Event, Frame};
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
    /// Dissecting threads (frames split by conversation, `pcaptk_dissect::parallel`); with 1,
    /// one dissector on the reading thread.
    pub threads: usize,
}

/// How the run ended.
pub enum Outcome {
    Done,
    /// A read error after the packets before it were processed (tshark's message).
    ReadError(String),
    /// The capture could not be opened (tshark's message).
    OpenError(String),
}

/// One frame's finding, before duplicates are collapsed.
enum Row {
    Tshark(TsharkCredential),
    Found(Found),
}

/// What one dissector collects: rows in frame order.
#[derive(Default)]
struct Rows(Vec<(u32, Row)>);

impl Collect for Rows {
    fn clear(&mut self) {
        self.0.clear()
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn frame(&self, i: usize) -> u32 {
        self.0[i].0
    }
}

/// A dissector with the application layers credentials come in, and its tree.
struct Shard {
    dissector: Dissector,
    tree: Tree,
}

impl Shard {
    fn new(cfg: &Config) -> Shard {
        // Any field of these protocols makes TCP reassemble and hand payloads to them.
        let mut dissector = Dissector::new([
            ftp::PROTO,
            http::PROTO,
            pop::PROTO,
            imap::PROTO,
            smtp::PROTO,
            nbss::PROTO,
            smb2::PROTO,
            ntlmssp::PROTO,
        ]);
        dissector.set_form_fields(cfg.form_fields.clone());
        // Credentials come from headers, commands and form posts (which HTTP reads itself),
        // never from the media types inside a body.
        dissector.skip_bodies();
        // TCP conversations that can carry none of the protocols read for credentials (TLS,
        // DNS, any other port's dissector) get no state and no reassembly.
        {
            use pcaptk_dissect::proto::tcp_app::*;
            let table = HTTP | FTP | POP | IMAP | SMTP;
            dissector.only_tcp_apps(if cfg.table_only {
                table
            } else {
                table | NBSS | LDAP | KERBEROS | TELNET | TDS | LOGINS
            });
        }
        if cfg.table_only {
            // Nothing of the table comes over UDP (but from tunnels it carries).
            dissector.only_tunnels_over_udp();
        }
        Shard { dissector, tree: Tree { record_taps: true, record_creds: true, ..Tree::default() } }
    }

    /// Dissects one frame and collects its credentials.
    fn dissect(&mut self, meta: &FrameMeta, data: &[u8], rows: &mut Rows) {
        self.dissector.dissect(meta, data, &mut self.tree);
        let number = meta.number;
        let mut ends: Option<(Endpoint, Endpoint)> = None;
        for tap in self.tree.taps.drain(..) {
            match tap {
                Tap::Tcp { src, dst, sport, dport, .. } | Tap::Udp { src, dst, sport, dport, .. } => {
                    ends = Some((Endpoint { addr: src, port: sport }, Endpoint { addr: dst, port: dport }));
                }
                Tap::TsharkCredential(row) => rows.0.push((number, Row::Tshark(*row))),
                Tap::Credential(cred) => {
                    let (client, server) = match ends {
                        Some((s, d)) if cred.from_client => (Some(s), Some(d)),
                        Some((s, d)) => (Some(d), Some(s)),
                        None => (None, None),
                    };
                    rows.0.push((
                        number,
                        Row::Found(Found { frame: number, ts_ns: meta.ts_ns, client, server, cred: *cred }),
                    ));
                }
                _ => {}
            }
        }
    }
}

// Every credential comes from state kept per conversation (a TCP connection's reassembly,
// NTLMSSP challenges and database salts paired on their connection, single messages over
// UDP), so the frames can be split by conversation between threads.
impl parallel::Shard for Shard {
    type Out = Rows;
    fn frame(&mut self, f: &Frame, data: &[u8], rows: &mut Rows) {
        self.dissect(&f.meta, data, rows)
    }
}

/// Adds a row to the results, collapsing duplicates unless every attempt is kept.
struct Collector<'a> {
    results: Results,
    seen: HashSet<(&'static str, Vec<u8>, Vec<u8>, Vec<u8>)>,
    all: &'a bool,
}

impl Collector<'_> {
    fn add(&mut self, number: u32, row: &Row) {
        match row {
            Row::Tshark(t) => self.results.tshark.push((number, t.clone())),
            Row::Found(f) => {
                let c = &f.cred;
                if *self.all || self.seen.insert((c.protocol, c.username.clone(), c.domain.clone(), c.secret.clone())) {
                    self.results.found.push(f.clone());
                }
            }
        }
    }
}

fn outcome(frames: u32, error: Option<CaptureError>) -> Outcome {
    match error {
        None => Outcome::Done,
        Some(e) if frames == 0 && e.before_open() => Outcome::OpenError(e.to_string()),
        Some(e) => Outcome::ReadError(e.to_string()),
    }
}

pub fn run(cfg: Config) -> (Results, Outcome) {
    let mut collect = Collector { results: Results::default(), seen: HashSet::new(), all: &cfg.all };
    let shards = (0..cfg.threads.clamp(1, parallel::MAX_THREADS)).map(|_| Shard::new(&cfg)).collect();
    let (end, results, _) = parallel::run(cfg.inputs.clone(), cfg.progress, shards, move |mut rounds| {
        while let Some(event) = rounds.next() {
            if let Event::Round(round) = event {
                let _ = parallel::merge(round, |rows, i| -> Result<(), ()> {
                    let (number, row) = &rows.0[i];
                    collect.add(*number, row);
                    Ok(())
                });
            }
        }
        collect.results
    });
    (results, outcome(end.frames, end.error))
}
