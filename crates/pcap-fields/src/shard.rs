//! The sharded run: frames split between several dissecting threads by conversation
//! ([`pcaptk_dissect::parallel`]), for commands whose fields depend only on state kept per
//! conversation ([`Dissector::shard_safe`]). Each thread collects the packets it displays; the
//! printing thread writes every round's merged by frame number, so the output is the same as
//! one thread's.

use crate::output::Writer;
use crate::run::{pipe, Batch, Config, Outcome};
use pcaptk_dissect::parallel::{self, Collect, Event, Frame};
use pcaptk_dissect::{Dissector, FieldId, Tree};
use pcaptk_filter::Filter;
use std::io;

pub use pcaptk_dissect::parallel::default_threads;

impl Collect for Batch {
    fn clear(&mut self) {
        Batch::clear(self)
    }
    fn len(&self) -> usize {
        self.recs.len()
    }
    fn frame(&self, i: usize) -> u32 {
        self.recs[i].number
    }
}

/// One thread's dissector, tree and the display filter.
struct Shard<'a> {
    dissector: Dissector,
    tree: Tree,
    filter: Option<&'a Filter>,
}

impl parallel::Shard for Shard<'_> {
    type Out = Batch;
    fn frame(&mut self, f: &Frame, data: &[u8], shown: &mut Batch) {
        self.dissector.set_clock(f.first, f.prev);
        self.dissector.dissect(&f.meta, data, &mut self.tree);
        let view = self.tree.view(data);
        if self.filter.is_none_or(|flt| flt.matches(&view)) {
            let m = &f.meta;
            shown.push(m.number, &view, m.ts_ns, (m.ts_sec, m.ts_nsec));
        }
    }
}

pub(crate) fn run(cfg: Config, wanted: Vec<FieldId>) -> io::Result<Outcome> {
    let threads = cfg.threads.clamp(2, parallel::MAX_THREADS);
    let filter = cfg.filter.as_ref();
    let shards = (0..threads)
        .map(|_| Shard { dissector: Dissector::new(wanted.iter().copied()), tree: Tree::default(), filter })
        .collect();
    let mut w = Writer::new(io::BufWriter::with_capacity(1 << 16, io::stdout()), cfg.format, cfg.columns, cfg.opts);
    let (end, written, _) = parallel::run(cfg.inputs, cfg.progress, shards, move |mut rounds| -> io::Result<()> {
        // A file that could not be opened gets no output at all, not even JSON's `]`.
        let mut begun = false;
        while let Some(event) = rounds.next() {
            match event {
                Event::Begin => {
                    begun = true;
                    w.begin()?
                }
                Event::Round(round) => parallel::merge(round, |b, i| b.write(&b.recs[i], &mut w))?,
            }
        }
        if begun {
            w.end()
        } else {
            Ok(())
        }
    });
    match written {
        Ok(()) => Ok(end.error.map_or(Outcome::Done, |e| Outcome::ReadError(e.to_string()))),
        Err(e) => pipe(e),
    }
}
