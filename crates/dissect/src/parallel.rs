//! Dissecting a capture on several threads, its frames split by conversation ([`Router`]).
//!
//! The calling thread reads the inputs and gives each frame to the shard of its conversation
//! in rounds of [`ROUND`] frames: it dissects one share of the conversations itself, in
//! place, and hands the others to the other threads, which each keep their own [`Shard`]
//! (a [`crate::Dissector`] and what the command collects). Each shard collects, per round, its
//! results in frame order; a consuming thread gets every shard's collection of each round in
//! turn ([`Rounds`]) and [`merge`]s them by frame number. What it sees is what one thread
//! dissecting every frame would have collected, in the same order, as long as everything a
//! result depends on is kept per conversation ([`crate::Dissector::shard_safe`]).
//! Memory: at most [`IN_FLIGHT`] rounds queued between two threads. A frame of a memory-mapped
//! file is not copied: its batch refers to the map.

use crate::shard::Router;
use crate::FrameMeta;
use pcaptk_capture::{CaptureError, MappedFile, MultiReader, Progress};
use std::sync::{mpsc, Arc};
use std::thread;

/// Frames read per round (split between the shards) ...
pub const ROUND: usize = 4096;
/// ... or fewer, once they hold this many bytes: what is queued stays small whatever the
/// frames' sizes (a mapped file's pages are released this far behind the reader, see
/// `pcaptk_capture::MappedFile`).
pub const ROUND_BYTES: usize = 1 << 20;
/// Rounds queued between two threads.
pub const IN_FLIGHT: usize = 4;
/// The most threads a run uses.
pub const MAX_THREADS: usize = 8;

/// The number of dissecting threads (the reading one included) when none is asked for: one
/// per core, at most 4.
pub fn default_threads() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get()).min(4)
}

/// A frame handed to a shard, with the capture's clock.
pub struct Frame {
    /// Its metadata (no interface name or comments: no field a sharded command may want
    /// shows them).
    pub meta: FrameMeta<'static>,
    /// The capture's first frame time (`frame.time_relative`).
    pub first: i64,
    /// The previous frame's time (`frame.time_delta`).
    pub prev: Option<i64>,
    /// Its bytes inside its batch's map (`mapped`) or data.
    start: usize,
    end: usize,
    mapped: bool,
}

/// What a shard collects in a round: results, each of one frame, in frame order.
pub trait Collect: Default + Send {
    fn clear(&mut self);
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The frame number of result `i`.
    fn frame(&self, i: usize) -> u32;
}

/// One thread's dissection state.
pub trait Shard: Send {
    type Out: Collect;
    /// Dissects one frame (set the dissector's clock from `f`) and collects what it yields.
    fn frame(&mut self, f: &Frame, data: &[u8], out: &mut Self::Out);
}

/// Visits a round's results in frame order: `f(shard, index)`.
pub fn merge<O: Collect, E>(round: &[O], mut f: impl FnMut(&O, usize) -> Result<(), E>) -> Result<(), E> {
    let mut at = vec![0usize; round.len()];
    while let Some(s) = (0..round.len()).filter(|&s| at[s] < round[s].len()).min_by_key(|&s| round[s].frame(at[s])) {
        f(&round[s], at[s])?;
        at[s] += 1;
    }
    Ok(())
}

enum Msg<O> {
    Begin,
    Round(O),
}

/// What the consuming thread receives.
pub enum Event<'a, O> {
    /// The first frame was read, or an opened capture turned out empty (once, first).
    Begin,
    /// One round: every shard's collection.
    Round(&'a mut [O]),
}

/// The consuming thread's side: the rounds in order.
pub struct Rounds<O> {
    from: Vec<mpsc::Receiver<Msg<O>>>,
    back: Vec<mpsc::Sender<O>>,
    current: Vec<O>,
}

impl<O: Collect> Rounds<O> {
    /// The next event; `None` once every shard is done (the previous round's collections are
    /// handed back to be refilled).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Event<'_, O>> {
        for (o, back) in self.current.drain(..).zip(&self.back) {
            let _ = back.send(o);
        }
        let mut begin = false;
        for rx in &self.from {
            match rx.recv().ok()? {
                Msg::Begin => begin = true,
                Msg::Round(o) => self.current.push(o),
            }
        }
        Some(if begin { Event::Begin } else { Event::Round(&mut self.current) })
    }
}

/// How reading ended.
pub struct End {
    /// Frames read.
    pub frames: u32,
    /// The read error that ended it (the frames before it were dissected and collected).
    pub error: Option<CaptureError>,
}

/// One batch of frames for a thread.
#[derive(Default)]
struct Batch {
    /// The bytes of frames not in `map`.
    data: Vec<u8>,
    /// The mapped file its first mapped frame came from.
    map: Option<Arc<MappedFile>>,
    frames: Vec<Frame>,
}

impl Batch {
    /// Adds a frame: a reference when its bytes lie in the batch's mapped file (or the batch
    /// has none yet), else a copy.
    fn push(&mut self, mut f: Frame, data: &[u8], mapped: Option<&Arc<MappedFile>>) {
        match mapped {
            Some(m) if self.map.as_ref().is_none_or(|b| Arc::ptr_eq(b, m)) => {
                let base = m.bytes().as_ptr() as usize;
                f.start = data.as_ptr() as usize - base;
                f.end = f.start + data.len();
                f.mapped = true;
                if self.map.is_none() {
                    self.map = Some(m.clone());
                }
            }
            _ => {
                f.start = self.data.len();
                self.data.extend_from_slice(data);
                f.end = self.data.len();
            }
        }
        self.frames.push(f);
    }

    fn bytes(&self, f: &Frame) -> &[u8] {
        match (&self.map, f.mapped) {
            (Some(m), true) => &m.bytes()[f.start..f.end],
            _ => &self.data[f.start..f.end],
        }
    }

    fn clear(&mut self) {
        self.data.clear();
        self.map = None;
        self.frames.clear();
    }
}

/// Reads `inputs` and dissects every frame with `shards` (one per thread, this one's first;
/// at least one), routed by conversation, while `consume` runs on a thread of its own.
/// Returns how reading ended, what `consume` returned and the shards, in the order given
/// (for commands that keep their counts in them).
pub fn run<S: Shard, R: Send>(
    inputs: Vec<String>,
    progress: bool,
    mut shards: Vec<S>,
    consume: impl FnOnce(Rounds<S::Out>) -> R + Send,
) -> (End, R, Vec<S>) {
    assert!(!shards.is_empty(), "a run needs a shard");
    let others: Vec<S> = shards.drain(1..).collect();
    let mut own = shards.pop().expect("one shard");
    // This thread dissects one bucket of conversations besides reading; each other thread
    // four (reading, routing and copying cost about what dissecting three buckets does:
    // measured on the benchmark capture, 3 and 5 were slower for pcap-stats' tables).
    let buckets = 4 * others.len() as u64 + 1;
    thread::scope(|scope| {
        let (spare_tx, spare_rx) = mpsc::channel::<Batch>();
        let (own_tx, own_rx) = mpsc::sync_channel::<Msg<S::Out>>(IN_FLIGHT);
        let (own_back_tx, own_back) = mpsc::channel::<S::Out>();
        let mut rounds = Rounds { from: vec![own_rx], back: vec![own_back_tx], current: Vec::new() };
        let mut to = Vec::with_capacity(others.len());
        let mut workers = Vec::with_capacity(others.len());
        for mut shard in others {
            let (in_tx, in_rx) = mpsc::sync_channel::<Msg<Batch>>(IN_FLIGHT);
            let (out_tx, out_rx) = mpsc::sync_channel::<Msg<S::Out>>(IN_FLIGHT);
            let (back_tx, back_rx) = mpsc::channel::<S::Out>();
            let spare = spare_tx.clone();
            workers.push(scope.spawn(move || {
                for msg in in_rx {
                    let sent = match msg {
                        Msg::Begin => out_tx.send(Msg::Begin),
                        Msg::Round(mut batch) => {
                            let mut out = back_rx.try_recv().unwrap_or_default();
                            out.clear();
                            for f in &batch.frames {
                                shard.frame(f, batch.bytes(f), &mut out);
                            }
                            batch.clear();
                            let _ = spare.send(batch);
                            out_tx.send(Msg::Round(out))
                        }
                    };
                    if sent.is_err() {
                        break;
                    }
                }
                shard
            }));
            to.push(in_tx);
            rounds.from.push(out_rx);
            rounds.back.push(back_tx);
        }
        let consumer = scope.spawn(move || consume(rounds));

        let mut out = S::Out::default();
        let mut reader = MultiReader::new(inputs);
        let mut bar = Progress::new(progress);
        let mut router = Router::new();
        let mut batches: Vec<Batch> = to.iter().map(|_| Batch::default()).collect();
        let (mut in_round, mut round_bytes, mut number) = (0, 0, 0u32);
        let (mut first, mut prev) = (None, None);
        let mut error = None;
        // Every shard (this thread's too) gets every `Begin` and every round, in the same
        // order: the consumer takes one message of each in turn.
        let begin = |to: &[mpsc::SyncSender<Msg<Batch>>]| {
            own_tx.send(Msg::Begin).is_ok() && to.iter().all(|tx| tx.send(Msg::Begin).is_ok())
        };
        let send_round = |to: &[mpsc::SyncSender<Msg<Batch>>], batches: &mut [Batch]| {
            to.iter().zip(batches.iter_mut()).all(|(tx, b)| {
                let next = spare_rx.try_recv().unwrap_or_default();
                tx.send(Msg::Round(std::mem::replace(b, next))).is_ok()
            })
        };
        let mut alive = true;
        loop {
            let pkt = match reader.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => break,
                Err(e) => {
                    error = Some(e);
                    break;
                }
            };
            let first = *first.get_or_insert(pkt.ts_ns);
            if number == 0 && !begin(&to) {
                alive = false;
                break;
            }
            number = number.wrapping_add(1);
            let meta = FrameMeta { interface_name: "", comments: &[], ..FrameMeta::of(number, &pkt) };
            let f = Frame { meta, first, prev, start: 0, end: 0, mapped: false };
            // The key's high half scaled to the number of buckets (cheaper than a division).
            let bucket = if to.is_empty() { 0 } else { ((router.key(pkt.linktype, pkt.data) >> 32) * buckets) >> 32 };
            match bucket as usize {
                0 => own.frame(&f, pkt.data, &mut out),
                bucket => batches[(bucket - 1) / 4].push(f, pkt.data, pkt.mapped),
            }
            prev = Some(pkt.ts_ns);
            in_round += 1;
            round_bytes += pkt.data.len();
            if in_round == ROUND || round_bytes >= ROUND_BYTES {
                (in_round, round_bytes) = (0, 0);
                let next = own_back.try_recv().unwrap_or_default();
                alive =
                    send_round(&to, &mut batches) && own_tx.send(Msg::Round(std::mem::replace(&mut out, next))).is_ok();
                out.clear();
                if !alive {
                    break;
                }
                bar.tick(reader.bytes_read(), reader.total_bytes());
            }
        }
        bar.finish();
        if alive {
            if in_round > 0 {
                if send_round(&to, &mut batches) {
                    let _ = own_tx.send(Msg::Round(out));
                }
            } else if number == 0 && !error.as_ref().is_some_and(|e| e.before_open()) {
                begin(&to);
            }
        }
        drop(to);
        drop(own_tx);
        let r = consumer.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        let mut shards = vec![own];
        shards.extend(workers.into_iter().map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p))));
        (End { frames: number, error }, r, shards)
    })
}
