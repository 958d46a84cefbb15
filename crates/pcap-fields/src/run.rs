//! The read → dissect → filter → print loop.

use crate::output::{Column, FieldOpts, Format, Writer};
use pcaptk_capture::Progress;
use pcaptk_capture::MultiReader;
use pcaptk_dissect::proto::frame;
use pcaptk_dissect::tree::{Buf, Item};
use pcaptk_dissect::{Dissector, FieldId, FrameMeta, Tree, Value, View};
use pcaptk_filter::Filter;
use std::io::{self, Write};
use std::ops::Range;
use std::sync::mpsc;
use std::thread;

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
    /// Write each displayed packet at once (`-l`, and always when capturing live).
    pub flush_each: bool,
    /// Dissecting threads when the command allows splitting the frames between them
    /// (`crate::shard`); 1 dissects on this thread.
    pub threads: usize,
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
    let mut dissector = Dissector::new(wanted.iter().copied());
    if cfg.threads > 1 && cfg.read_filter.is_none() && cfg.count.is_none() && !cfg.flush_each && dissector.shard_safe() {
        return crate::shard::run(cfg, wanted);
    }
    let mut tree = Tree::default();
    let w = Writer::new(io::BufWriter::with_capacity(1 << 12, io::stdout()), cfg.format, cfg.columns, cfg.opts);
    let mut w = Printer::spawn(w, cfg.flush_each);
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
                opened = !e.before_open();
                outcome = Outcome::ReadError(e.to_string());
                break;
            }
        };
        if !begun {
            begun = true;
            if w.begin().is_err() {
                return pipe(w.finish().err().unwrap_or_else(|| io::ErrorKind::BrokenPipe.into()));
            }
        }
        number = number.wrapping_add(1);
        read += 1;
        let meta = FrameMeta::of(number, &pkt);
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
            if w.packet(number, &view, pkt.ts_ns, (pkt.ts_sec, pkt.ts_nsec)).is_err() {
                return pipe(w.finish().err().unwrap_or_else(|| io::ErrorKind::BrokenPipe.into()));
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
            let _ = w.finish();
            return Ok(outcome);
        }
        let _ = w.begin();
    }
    if let Err(e) = w.finish() {
        return pipe(e);
    }
    Ok(outcome)
}

pub(crate) fn pipe(e: io::Error) -> io::Result<Outcome> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(Outcome::BrokenPipe)
    } else {
        Err(e)
    }
}


/// Flushes stdout before an error message goes to stderr.
pub fn flush_stdout() {
    let _ = io::stdout().flush();
}

/// One displayed packet inside a batch: ranges into the batch's buffers.
pub(crate) struct Rec {
    /// The frame number (a sharded run's printer merges batches by it).
    pub(crate) number: u32,
    items: Range<usize>,
    frame: Range<usize>,
    scratch: Range<usize>,
    reasm: Range<usize>,
    stream: Range<usize>,
    ts_ns: i64,
    ts: (i64, u32),
}

/// Displayed packets on their way to the printing thread: the tree items and the bytes
/// their values point into (the frame only when a value does).
#[derive(Default)]
pub(crate) struct Batch {
    pub(crate) recs: Vec<Rec>,
    items: Vec<Item>,
    frame: Vec<u8>,
    scratch: Vec<u8>,
    reasm: Vec<u8>,
    stream: Vec<u8>,
}

impl Batch {
    pub(crate) fn push(&mut self, number: u32, v: &View, ts_ns: i64, ts: (i64, u32)) {
        let needs_frame = v.items.iter().any(|i| matches!(i.value, Value::Bytes(s) | Value::Str(s) if s.buf == Buf::Frame));
        let add = |buf: &mut Vec<u8>, data: &[u8]| {
            let start = buf.len();
            buf.extend_from_slice(data);
            start..buf.len()
        };
        let items = add_items(&mut self.items, v.items);
        let frame = add(&mut self.frame, if needs_frame { v.frame } else { &[] });
        let scratch = add(&mut self.scratch, v.scratch);
        let reasm = add(&mut self.reasm, v.reasm);
        let stream = add(&mut self.stream, v.stream);
        self.recs.push(Rec { number, items, frame, scratch, reasm, stream, ts_ns, ts });
    }

    /// Writes the packet of record `r`.
    pub(crate) fn write<W: Write>(&self, r: &Rec, w: &mut Writer<W>) -> io::Result<()> {
        let view = View {
            frame: &self.frame[r.frame.clone()],
            scratch: &self.scratch[r.scratch.clone()],
            reasm: &self.reasm[r.reasm.clone()],
            stream: &self.stream[r.stream.clone()],
            items: &self.items[r.items.clone()],
        };
        w.packet(&view, r.ts_ns, r.ts)
    }

    pub(crate) fn clear(&mut self) {
        self.recs.clear();
        self.items.clear();
        self.frame.clear();
        self.scratch.clear();
        self.reasm.clear();
        self.stream.clear();
    }
}

fn add_items(buf: &mut Vec<Item>, items: &[Item]) -> Range<usize> {
    let start = buf.len();
    buf.extend_from_slice(items);
    start..buf.len()
}

enum Msg {
    Begin,
    Batch(Batch),
}

const BATCH: usize = 2048;

/// Formats and writes on the second core while this one reads and dissects: displayed
/// packets go over in batches, in order; spent batches come back to be refilled.
struct Printer {
    batch: Batch,
    /// Send (and write) every packet at once instead of in batches.
    flush_each: bool,
    to: Option<mpsc::SyncSender<Msg>>,
    back: mpsc::Receiver<Batch>,
    handle: Option<thread::JoinHandle<io::Result<()>>>,
}

impl Printer {
    fn spawn<W: Write + Send + 'static>(mut w: Writer<W>, flush_each: bool) -> Printer {
        let (to, from) = mpsc::sync_channel::<Msg>(4);
        let (give_back, back) = mpsc::channel::<Batch>();
        let handle = thread::spawn(move || -> io::Result<()> {
            // A file that could not be opened gets no output at all, not even JSON's `]`.
            let mut begun = false;
            for msg in from {
                match msg {
                    Msg::Begin => {
                        begun = true;
                        w.begin()?
                    }
                    Msg::Batch(mut b) => {
                        for r in &b.recs {
                            b.write(r, &mut w)?;
                        }
                        if flush_each {
                            w.flush()?;
                        }
                        b.clear();
                        let _ = give_back.send(b);
                    }
                }
            }
            if begun {
                w.end()
            } else {
                Ok(())
            }
        });
        Printer { batch: Batch::default(), flush_each, to: Some(to), back, handle: Some(handle) }
    }

    fn send(&mut self, msg: Msg) -> Result<(), ()> {
        self.to.as_ref().ok_or(())?.send(msg).map_err(|_| ())
    }

    fn begin(&mut self) -> Result<(), ()> {
        self.send(Msg::Begin)
    }

    fn packet(&mut self, number: u32, v: &View, ts_ns: i64, ts: (i64, u32)) -> Result<(), ()> {
        self.batch.push(number, v, ts_ns, ts);
        if self.flush_each || self.batch.recs.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ()> {
        if self.batch.recs.is_empty() {
            return Ok(());
        }
        let next = self.back.try_recv().unwrap_or_default();
        let full = std::mem::replace(&mut self.batch, next);
        self.send(Msg::Batch(full))
    }

    /// Sends what is left, closes the output (JSON's `]`, flush) and reports its error.
    fn finish(&mut self) -> io::Result<()> {
        let _ = self.flush();
        self.to = None;
        match self.handle.take() {
            Some(h) => h.join().unwrap_or_else(|_| Err(io::Error::other("the output thread panicked"))),
            None => Ok(()),
        }
    }
}
