//! Reading the inputs on a second thread: packets are copied into batches there and handed to
//! the dissecting thread in order (reading and copying are about a third of the work).

use pcaptk_capture::{MultiReader, Progress};
use pcaptk_dissect::FrameMeta;
use std::sync::mpsc;
use std::thread;

/// How the run ended.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Done,
    /// A read error after some packets: tshark's message; results of what was read follow.
    ReadError(String),
    /// Nothing could be read: tshark's message.
    OpenError(String),
}

/// Packets handed from the reading thread to the dissecting one at a time.
const BATCH_PACKETS: usize = 1024;
/// Batches in flight between the two threads.
const BATCHES_IN_FLIGHT: usize = 4;

/// A packet's metadata inside a batch; its bytes are `data[start..end]`.
struct Meta {
    ts_ns: i64,
    ts_sec: i64,
    ts_nsec: u32,
    len: u32,
    linktype: u32,
    interface_id: u32,
    has_interface: bool,
    start: usize,
    end: usize,
}

#[derive(Default)]
struct Batch {
    data: Vec<u8>,
    metas: Vec<Meta>,
}

enum Msg {
    Batch(Batch),
    End(Outcome),
}

/// Reads every packet of `inputs` in order on a second thread (reading and copying are about
/// a third of the work) and calls `f` with each here; the progress bar follows the bytes read.
/// Memory: at most `BATCHES_IN_FLIGHT + 2` batches of `BATCH_PACKETS` packets.
pub(crate) fn each_packet(inputs: Vec<String>, progress: bool, mut f: impl FnMut(&FrameMeta, &[u8])) -> Outcome {
    let (tx, rx) = mpsc::sync_channel::<Msg>(BATCHES_IN_FLIGHT);
    let (recycle_tx, recycle_rx) = mpsc::channel::<Batch>();
    let reader = thread::spawn(move || {
        let mut reader = MultiReader::new(inputs);
        let mut bar = Progress::new(progress);
        let mut batch = Batch::default();
        let mut count: u64 = 0;
        let outcome = loop {
            let pkt = match reader.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => break Outcome::Done,
                Err(e) => break if count == 0 && e.before_open() { Outcome::OpenError(e.to_string()) } else { Outcome::ReadError(e.to_string()) },
            };
            count += 1;
            let start = batch.data.len();
            batch.data.extend_from_slice(pkt.data);
            batch.metas.push(Meta {
                ts_ns: pkt.ts_ns,
                ts_sec: pkt.ts_sec,
                ts_nsec: pkt.ts_nsec,
                len: pkt.len,
                linktype: pkt.linktype,
                interface_id: pkt.interface_id,
                has_interface: pkt.has_interface_id,
                start,
                end: batch.data.len(),
            });
            if batch.metas.len() >= BATCH_PACKETS {
                let mut next = recycle_rx.try_recv().unwrap_or_default();
                next.data.clear();
                next.metas.clear();
                if tx.send(Msg::Batch(std::mem::replace(&mut batch, next))).is_err() {
                    return;
                }
                bar.tick(reader.bytes_read(), reader.total_bytes());
            }
        };
        bar.finish();
        if !batch.metas.is_empty() {
            let _ = tx.send(Msg::Batch(batch));
        }
        let _ = tx.send(Msg::End(outcome));
    });
    let mut number: u32 = 0;
    let mut outcome = Outcome::Done;
    for msg in rx {
        match msg {
            Msg::Batch(batch) => {
                for m in &batch.metas {
                    number = number.wrapping_add(1);
                    let meta = FrameMeta {
                        number,
                        ts_ns: m.ts_ns,
                        ts_sec: m.ts_sec,
                        ts_nsec: m.ts_nsec,
                        len: m.len,
                        linktype: m.linktype,
                        interface_id: m.interface_id,
                        has_interface: m.has_interface,
                        interface_name: "",
                        comments: &[],
                    };
                    f(&meta, &batch.data[m.start..m.end]);
                }
                let _ = recycle_tx.send(batch);
            }
            Msg::End(o) => outcome = o,
        }
    }
    // The reader only ends by sending its outcome or when this side hangs up.
    let _ = reader.join();
    outcome
}
