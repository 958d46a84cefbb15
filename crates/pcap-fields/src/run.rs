//! The read → dissect → filter → print loop.

use crate::output::{Column, FieldOpts, Format, Writer};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pcaptk_capture::MultiReader;
use pcaptk_dissect::proto::frame;
use pcaptk_dissect::{Dissector, FieldId, FrameMeta, Tree, Value};
use pcaptk_filter::Filter;
use std::io::{self, Write};
use std::time::{Duration, Instant};

pub struct Config {
    pub inputs: Vec<String>,
    /// `-2 -R`: packets that do not match are dropped before numbering.
    pub read_filter: Option<Filter>,
    pub filter: Option<Filter>,
    pub format: Format,
    pub columns: Vec<Column>,
    pub opts: FieldOpts,
    /// Stop after reading this many packets (tshark's `-c`).
    pub count: Option<u64>,
    pub progress: bool,
}

/// How the run ended.
pub enum Outcome {
    Done,
    /// A read error after the packets before it were printed: tshark's message, exit 2.
    ReadError(String),
    /// stdout was closed (`| head`): stop quietly.
    BrokenPipe,
}

pub fn run(cfg: Config) -> io::Result<Outcome> {
    let mut wanted: Vec<FieldId> = cfg.columns.iter().filter_map(|c| c.id).collect();
    for f in cfg.filter.iter().chain(cfg.read_filter.iter()) {
        wanted.extend(f.fields());
    }
    let mut dissector = Dissector::new(wanted);
    let mut tree = Tree::default();
    let stdout = io::stdout();
    let out = io::BufWriter::with_capacity(1 << 12, stdout.lock());
    let mut w = Writer::new(out, cfg.format, cfg.columns, cfg.opts);
    let mut reader = MultiReader::new(cfg.inputs);
    let mut progress = Progress::new(cfg.progress);
    let mut number: u32 = 0;
    let mut read: u64 = 0;
    let mut last_kept: Option<i64> = None;
    let mut last_displayed: Option<i64> = None;
    let mut outcome = Outcome::Done;
    let mut begun = false;
    let mut opened = true;
    loop {
        let pkt = match reader.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => {
                opened = !opened_at_error(&e);
                outcome = Outcome::ReadError(e.to_string());
                break;
            }
        };
        if !begun {
            begun = true;
            if let Err(e) = w.begin() {
                return pipe(e);
            }
        }
        number = number.wrapping_add(1);
        read += 1;
        let meta = FrameMeta {
            number,
            ts_ns: pkt.ts_ns,
            ts_sec: pkt.ts_sec,
            ts_nsec: pkt.ts_nsec,
            len: pkt.len,
            linktype: pkt.linktype,
            interface_id: pkt.interface_id,
            has_interface: pkt.has_interface_id,
            interface_name: pkt.interface_name,
            comments: pkt.comments,
        };
        dissector.dissect(&meta, pkt.data, &mut tree);
        let view = tree.view(pkt.data);
        if let Some(rf) = &cfg.read_filter {
            if !rf.matches(&view) {
                number -= 1;
                if cfg.count.is_some_and(|c| read >= c) {
                    break;
                }
                continue;
            }
            // Deltas as tshark -2 computes them over the kept frames: 0 for the first, the
            // second measured from the capture's first frame (a 4.0 quirk), later ones from
            // the previous kept (displayed) frame.
            let first = dissector.first_time().unwrap_or(pkt.ts_ns);
            let delta = match last_kept {
                None => 0,
                Some(_) if number == 2 => pkt.ts_ns - first,
                Some(t) => pkt.ts_ns - t,
            };
            let delta_disp = match last_displayed {
                None => 0,
                Some(_) if number == 2 => pkt.ts_ns - first,
                Some(t) => pkt.ts_ns - t,
            };
            last_kept = Some(pkt.ts_ns);
            tree.set_value(frame::TIME_DELTA, Value::Time(delta));
            tree.set_value(frame::TIME_DELTA_DISPLAYED, Value::Time(delta_disp));
        }
        let view = tree.view(pkt.data);
        let shown = cfg.filter.as_ref().is_none_or(|f| f.matches(&view));
        if shown {
            last_displayed = Some(pkt.ts_ns);
            dissector.displayed(pkt.ts_ns);
            if let Err(e) = w.packet(&view, pkt.ts_ns, (pkt.ts_sec, pkt.ts_nsec)) {
                return pipe(e);
            }
        }
        if number & 0xfff == 0 {
            progress.tick(reader.bytes_read(), reader.total_bytes());
        }
        if cfg.count.is_some_and(|c| read >= c) {
            break;
        }
    }
    progress.finish();
    if !begun {
        // An empty or header-only capture still gets the header / JSON brackets; a file
        // that could not be opened gets nothing.
        if !opened {
            return Ok(outcome);
        }
        if let Err(e) = w.begin() {
            return pipe(e);
        }
    }
    if let Err(e) = w.end() {
        return pipe(e);
    }
    Ok(outcome)
}

/// True for errors tshark reports before it has opened the file (nothing is printed then).
fn opened_at_error(e: &pcaptk_capture::CaptureError) -> bool {
    use pcaptk_capture::ErrorKind::*;
    matches!(e.kind(), NotFound | IsDirectory | PermissionDenied | OpenFailed(_) | UnknownFormat | CutShortOpen | Unsupported(_) | NoMatch | BadPattern(_))
}

fn pipe(e: io::Error) -> io::Result<Outcome> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(Outcome::BrokenPipe)
    } else {
        Err(e)
    }
}

/// A byte-based progress bar on stderr, shown only on a terminal and only once a read has
/// taken more than a second.
struct Progress {
    enabled: bool,
    start: Instant,
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new(enabled: bool) -> Self {
        Progress { enabled: enabled && io::IsTerminal::is_terminal(&io::stderr()), start: Instant::now(), bar: None }
    }
    fn tick(&mut self, pos: u64, total: Option<u64>) {
        if !self.enabled {
            return;
        }
        if self.bar.is_none() {
            if self.start.elapsed() < Duration::from_secs(1) {
                return;
            }
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr_with_hz(4));
            bar.set_style(
                ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} {bar:30} {bytes_per_sec} eta {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            self.bar = Some(bar);
        }
        if let Some(b) = &self.bar {
            b.set_position(pos);
        }
    }
    fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

/// Flushes stdout before an error message goes to stderr.
pub fn flush_stdout() {
    let _ = io::stdout().flush();
}
