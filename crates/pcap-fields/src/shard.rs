//! The sharded run: frames split between several dissecting threads by conversation, for
//! commands whose fields depend only on state kept per conversation
//! ([`Dissector::shard_safe`]).
//!
//! This thread reads and hands each frame to the dissector of its conversation
//! ([`Router`]), in rounds: every round of [`ROUND`] frames gives each
//! dissecting thread one batch, possibly empty; this thread dissects a smaller share of the
//! conversations itself, in place. Each dissector sends on, per round, the packets it
//! displayed; the printing thread takes one batch of every dissector per round and writes
//! them merged by frame number. The output is the same as one dissector's, in the same
//! order. Memory: at most [`IN_FLIGHT`] rounds queued per thread.

use crate::output::Writer;
use crate::run::{pipe, Batch, Config, Outcome};
use pcaptk_capture::{MultiReader, Progress};
use pcaptk_dissect::shard::Router;
use pcaptk_dissect::{Dissector, FieldId, FrameMeta, Tree};
use pcaptk_filter::Filter;
use std::io::{self, Write};
use std::sync::{mpsc, Arc};
use std::thread;

/// Frames read per round (split between the dissectors).
const ROUND: usize = 4096;
/// Rounds queued between two threads.
const IN_FLIGHT: usize = 4;
/// The most dissecting threads a run starts.
pub const MAX_THREADS: usize = 8;

/// One frame of a batch; its bytes are `data[start..end]`.
struct Frame {
    number: u32,
    ts_ns: i64,
    ts_sec: i64,
    ts_nsec: u32,
    len: u32,
    linktype: u32,
    interface_id: u32,
    has_interface: bool,
    /// The previous frame's time (`frame.time_delta`).
    prev: Option<i64>,
    start: usize,
    end: usize,
}

/// One dissector's frames of one round.
#[derive(Default)]
struct Frames {
    /// The capture's first frame time (`frame.time_relative`).
    first: i64,
    data: Vec<u8>,
    frames: Vec<Frame>,
}

enum In {
    /// The first frame was read (or the capture turned out empty): the output begins.
    Begin,
    Round(Frames),
}

enum Out {
    Begin,
    Round(Batch),
}

/// The number of dissecting threads (the reading one included) when none is asked for: one
/// per core, at most 4.
pub fn default_threads() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get()).min(4)
}

pub(crate) fn run(cfg: Config, wanted: Vec<FieldId>) -> io::Result<Outcome> {
    let threads = cfg.threads.clamp(2, MAX_THREADS);
    // This thread dissects one bucket of conversations besides reading; each other thread
    // three (reading costs about what dissecting two buckets does).
    let buckets = 3 * threads as u64 - 2;
    let filter = cfg.filter.map(Arc::new);
    let (spare_tx, spare_rx) = mpsc::channel::<Frames>();
    let mut to_workers = Vec::with_capacity(threads - 1);
    let mut from = Vec::with_capacity(threads);
    let mut recycle = Vec::with_capacity(threads);
    let (own_tx, own_rx) = mpsc::sync_channel::<Out>(IN_FLIGHT);
    let (own_back_tx, own_back) = mpsc::channel::<Batch>();
    from.push(own_rx);
    recycle.push(own_back_tx);
    let mut workers = Vec::with_capacity(threads - 1);
    for _ in 1..threads {
        let (in_tx, in_rx) = mpsc::sync_channel::<In>(IN_FLIGHT);
        let (out_tx, out_rx) = mpsc::sync_channel::<Out>(IN_FLIGHT);
        let (back_tx, back_rx) = mpsc::channel::<Batch>();
        let (wanted, filter, spare) = (wanted.clone(), filter.clone(), spare_tx.clone());
        workers
            .push(thread::spawn(move || dissect(Shard::new(wanted), filter.as_deref(), in_rx, out_tx, back_rx, spare)));
        to_workers.push(in_tx);
        from.push(out_rx);
        recycle.push(back_tx);
    }
    let w = Writer::new(io::BufWriter::with_capacity(1 << 16, io::stdout()), cfg.format, cfg.columns, cfg.opts);
    let printer = thread::spawn(move || print(w, from, recycle));

    let mut own = Shard::new(wanted);
    let mut shown = Batch::default();
    let mut reader = MultiReader::new(cfg.inputs);
    let mut progress = Progress::new(cfg.progress);
    let mut router = Router::new();
    let mut round: Vec<Frames> = (1..threads).map(|_| Frames::default()).collect();
    let mut in_round = 0;
    let mut number: u32 = 0;
    let mut first = None;
    let mut prev = None;
    let mut outcome = Outcome::Done;
    let mut opened = true;
    // Every dissector (this thread's too) gets every `Begin` and every round, in the same
    // order: the printer takes one message of each in turn.
    let begin = |to: &[mpsc::SyncSender<In>], own: &mpsc::SyncSender<Out>| {
        own.send(Out::Begin).is_ok() && to.iter().all(|tx| tx.send(In::Begin).is_ok())
    };
    let mut alive = true;
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
        if first.is_none() {
            first = Some(pkt.ts_ns);
            alive = begin(&to_workers, &own_tx);
            if !alive {
                break;
            }
        }
        number = number.wrapping_add(1);
        let f = Frame {
            number,
            ts_ns: pkt.ts_ns,
            ts_sec: pkt.ts_sec,
            ts_nsec: pkt.ts_nsec,
            len: pkt.len,
            linktype: pkt.linktype,
            interface_id: pkt.interface_id,
            has_interface: pkt.has_interface_id,
            prev,
            start: 0,
            end: 0,
        };
        match (router.key(pkt.linktype, pkt.data) % buckets) as usize {
            0 => own.frame(&f, first.unwrap_or(0), pkt.data, filter.as_deref(), &mut shown),
            bucket => {
                let b = &mut round[(bucket - 1) / 3];
                let start = b.data.len();
                b.data.extend_from_slice(pkt.data);
                b.frames.push(Frame { start, end: b.data.len(), ..f });
            }
        }
        prev = Some(pkt.ts_ns);
        in_round += 1;
        if in_round == ROUND {
            in_round = 0;
            alive = send_round(&to_workers, &mut round, first.unwrap_or(0), &spare_rx)
                && own_tx
                    .send(Out::Round(std::mem::replace(&mut shown, own_back.try_recv().unwrap_or_default())))
                    .is_ok();
            shown.clear();
            if !alive {
                break;
            }
            progress.tick(reader.bytes_read(), reader.total_bytes());
        }
    }
    progress.finish();
    if alive {
        if in_round > 0 {
            if send_round(&to_workers, &mut round, first.unwrap_or(0), &spare_rx) {
                let _ = own_tx.send(Out::Round(shown));
            }
        } else if first.is_none() && opened {
            // An empty or header-only capture still gets the header / JSON brackets; a file
            // that could not be opened gets nothing.
            begin(&to_workers, &own_tx);
        }
    }
    drop(to_workers);
    drop(own_tx);
    for w in workers {
        let _ = w.join();
    }
    match printer.join().unwrap_or_else(|_| Err(io::Error::other("the output thread panicked"))) {
        Ok(()) => Ok(outcome),
        Err(e) => pipe(e),
    }
}

/// Sends every dissecting thread its frames of this round, replacing them with spent batches.
fn send_round(to: &[mpsc::SyncSender<In>], round: &mut [Frames], first: i64, spare: &mpsc::Receiver<Frames>) -> bool {
    for (tx, frames) in to.iter().zip(round.iter_mut()) {
        let mut next = spare.try_recv().unwrap_or_default();
        next.data.clear();
        next.frames.clear();
        let mut full = std::mem::replace(frames, next);
        full.first = first;
        if tx.send(In::Round(full)).is_err() {
            return false;
        }
    }
    true
}

/// One dissector and its tree.
struct Shard {
    dissector: Dissector,
    tree: Tree,
}

impl Shard {
    fn new(wanted: Vec<FieldId>) -> Shard {
        Shard { dissector: Dissector::new(wanted), tree: Tree::default() }
    }

    /// Dissects one frame and adds it to `shown` if the display filter shows it.
    fn frame(&mut self, f: &Frame, first: i64, data: &[u8], filter: Option<&Filter>, shown: &mut Batch) {
        let meta = FrameMeta {
            number: f.number,
            ts_ns: f.ts_ns,
            ts_sec: f.ts_sec,
            ts_nsec: f.ts_nsec,
            len: f.len,
            linktype: f.linktype,
            interface_id: f.interface_id,
            has_interface: f.has_interface,
            interface_name: "",
            comments: &[],
        };
        self.dissector.set_clock(first, f.prev);
        self.dissector.dissect(&meta, data, &mut self.tree);
        let view = self.tree.view(data);
        if filter.is_none_or(|flt| flt.matches(&view)) {
            shown.push(f.number, &view, f.ts_ns, (f.ts_sec, f.ts_nsec));
        }
    }
}

/// A dissecting thread: dissects its frames of each round in order and sends on the packets
/// the display filter shows.
fn dissect(
    mut shard: Shard,
    filter: Option<&Filter>,
    rounds: mpsc::Receiver<In>,
    out: mpsc::SyncSender<Out>,
    back: mpsc::Receiver<Batch>,
    spare: mpsc::Sender<Frames>,
) {
    for msg in rounds {
        let sent = match msg {
            In::Begin => out.send(Out::Begin),
            In::Round(frames) => {
                let mut shown = back.try_recv().unwrap_or_default();
                shown.clear();
                for f in &frames.frames {
                    shard.frame(f, frames.first, &frames.data[f.start..f.end], filter, &mut shown);
                }
                let _ = spare.send(frames);
                out.send(Out::Round(shown))
            }
        };
        if sent.is_err() {
            return;
        }
    }
}

/// The printing thread: per round, one batch from each dissector, written merged by frame
/// number.
fn print<W: Write>(
    mut w: Writer<W>,
    from: Vec<mpsc::Receiver<Out>>,
    recycle: Vec<mpsc::Sender<Batch>>,
) -> io::Result<()> {
    let mut begun = false;
    let mut batches: Vec<Batch> = Vec::with_capacity(from.len());
    loop {
        batches.clear();
        let mut begin = false;
        for rx in &from {
            match rx.recv() {
                Ok(Out::Begin) => begin = true,
                Ok(Out::Round(b)) => batches.push(b),
                // Every dissector has finished (they get the same messages).
                Err(_) => return if begun { w.end() } else { Ok(()) },
            }
        }
        if begin {
            begun = true;
            w.begin()?;
            continue;
        }
        // Merge: the next record is the one with the lowest frame number.
        let mut at = vec![0usize; batches.len()];
        loop {
            let next = (0..batches.len())
                .filter(|&i| at[i] < batches[i].recs.len())
                .min_by_key(|&i| batches[i].recs[at[i]].number);
            let Some(i) = next else { break };
            batches[i].write(&batches[i].recs[at[i]], &mut w)?;
            at[i] += 1;
        }
        for (b, back) in batches.drain(..).zip(&recycle) {
            let _ = back.send(b);
        }
    }
}
