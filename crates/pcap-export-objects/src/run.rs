//! The read → dissect → export loop: one pass, every object handed to its protocol's folder
//! as the frame that completes it is dissected.

use crate::sink::{Origin, Sink};
use pcaptk_capture::{MultiReader, Progress};
use pcaptk_dissect::export::{Piece, Proto, Protocols};
use pcaptk_dissect::proto::{ftp_data, http, ip, ipv6, smb2, smtp, tcp, tftp, udp};
use pcaptk_dissect::tree::View;
use pcaptk_dissect::{Dissector, FieldId, FrameMeta, Tree, Value};

pub struct Config {
    pub inputs: Vec<String>,
    /// One folder per protocol, in command-line order.
    pub sinks: Vec<Sink>,
    /// `-c`: stop after this many packets.
    pub count: Option<u64>,
    pub progress: bool,
    /// Record the packet's addresses for the manifest.
    pub addresses: bool,
    /// The per-object cap (also bounds decompression).
    pub cap: u64,
    /// Assemble HTTP 206 partial responses into one file per resource (`--ranges`).
    pub ranges: bool,
}

/// How the run ended.
pub enum Outcome {
    Done,
    /// A read error after the packets before it were exported: tshark's message.
    ReadError(String),
    /// The capture could not be opened: tshark's message; no folder is created.
    OpenError(String),
}

/// The fields that switch on the dissectors of the exported protocols.
fn wanted(cfg: &Config) -> (Vec<FieldId>, Protocols) {
    let mut w = Vec::new();
    let mut protos = Protocols::default();
    for s in &cfg.sinks {
        protos.insert(s.proto);
        match s.proto {
            Proto::Http => w.push(http::PROTO),
            Proto::Smb => w.push(smb2::PROTO),
            Proto::FtpData => w.push(ftp_data::PROTO),
            Proto::Tftp => w.push(tftp::PROTO),
            Proto::Imf => w.push(smtp::PROTO),
            _ => {}
        }
    }
    if cfg.addresses {
        w.extend([ip::SRC, ip::DST, ipv6::SRC, ipv6::DST, tcp::SRCPORT, tcp::DSTPORT, udp::SRCPORT, udp::DSTPORT]);
    }
    (w, protos)
}

pub fn run(cfg: &mut Config) -> Outcome {
    let (want, protos) = wanted(cfg);
    let mut dissector = Dissector::new(want);
    dissector.export(protos, cfg.cap.min(usize::MAX as u64) as usize);
    let mut tree = Tree::default();
    let mut reader = MultiReader::new(std::mem::take(&mut cfg.inputs));
    let mut progress = Progress::new(cfg.progress);
    let mut number: u32 = 0;
    let mut outcome = Outcome::Done;
    loop {
        if cfg.count.is_some_and(|c| number as u64 >= c) {
            break;
        }
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
        if !tree.objects.is_empty() {
            let objects = std::mem::take(&mut tree.objects);
            let (src, dst) = if cfg.addresses { addresses(&tree.view(pkt.data)) } else { Default::default() };
            for mut obj in objects {
                if cfg.ranges {
                    as_range_piece(&mut obj);
                }
                if let Some(sink) = cfg.sinks.iter_mut().find(|s| s.proto == obj.proto) {
                    sink.add(obj, Origin { frame: number, src: src.clone(), dst: dst.clone() });
                }
            }
        }
        if number & 0x3fff == 0 {
            progress.tick(reader.bytes_read(), reader.total_bytes());
        }
    }
    progress.finish();
    if !matches!(outcome, Outcome::OpenError(_)) {
        // tshark creates every folder at the end, objects or not.
        for s in cfg.sinks.iter_mut() {
            s.ensure_dir();
            s.finish();
        }
    }
    outcome
}

/// An HTTP 206 part becomes a piece of its resource's file: at its offset, keyed by host
/// and name, with the announced total length.
fn as_range_piece(obj: &mut pcaptk_dissect::export::Object) {
    let Some(r) = obj.range.filter(|_| obj.proto == Proto::Http && obj.piece == Piece::Whole) else { return };
    let mut h: u64 = 0xcbf29ce484222325;
    let parts = [obj.host.as_deref().unwrap_or(b""), b"\0", obj.filename.as_deref().unwrap_or(b"")];
    for b in parts.iter().flat_map(|p| p.iter()) {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    let want = (r.last - r.first).saturating_add(1);
    obj.data.truncate(want.min(usize::MAX as u64) as usize);
    obj.piece = Piece::At { key: h, offset: r.first, size: r.total };
}

/// "address:port" of the packet's innermost source and destination.
pub fn addresses(view: &View) -> (String, String) {
    let last = |id: FieldId| view.iter(id).last().map(|i| i.value);
    let addr = |v4: FieldId, v6: FieldId| -> Option<String> {
        match (last(v4), last(v6)) {
            (_, Some(Value::Ipv6(a))) => Some(format!("[{}]", std::net::Ipv6Addr::from(a))),
            (Some(Value::Ipv4(a)), _) => Some(std::net::Ipv4Addr::from(a).to_string()),
            _ => None,
        }
    };
    let port = |t: FieldId, u: FieldId| match last(t).or_else(|| last(u)) {
        Some(Value::U(p)) => format!(":{}", p),
        _ => String::new(),
    };
    let src = addr(ip::SRC, ipv6::SRC).map(|a| a + &port(tcp::SRCPORT, udp::SRCPORT)).unwrap_or_default();
    let dst = addr(ip::DST, ipv6::DST).map(|a| a + &port(tcp::DSTPORT, udp::DSTPORT)).unwrap_or_default();
    (src, dst)
}
