//! Conversation and endpoint tables on several threads: the frames are split by
//! conversation (`pcaptk_dissect::parallel`), each thread fills tables of its own, and the
//! tables are merged at the end into the ones a single thread would have filled: rows in
//! first-seen order, TCP streams renumbered as one dissector numbers them.
//!
//! Used when every statistic is a conversation table of eth, ip, ipv6 or tcp, or an endpoint
//! table, and their filters need only fields kept per conversation. UDP conversations stay on
//! one thread: tshark's SNMP and TFTP conversations give `udp.stream` numbers across ports.

use crate::run::{self, Acc, Config, Outcome, Results, StatRun};
use crate::spec::{Kind, Table};
use crate::table::{ConvTable, EndpointTable};
use pcaptk_dissect::parallel::{self, Collect, Frame};
use pcaptk_dissect::shard::global_streams;
use pcaptk_dissect::{Dissector, Tree};

/// Whether `cfg` runs sharded.
pub fn eligible(cfg: &Config) -> bool {
    if cfg.threads < 2 || cfg.inputs.is_empty() {
        return false;
    }
    let tables = cfg.stats.iter().all(|s| {
        matches!(s.stat.kind, Kind::Conv(Table::Eth | Table::Ip | Table::Ipv6 | Table::Tcp) | Kind::Endpoints(_))
    });
    // The filters' fields (tcp.stream, which the tables renumber, aside).
    let filters = cfg.stats.iter().filter_map(|s| s.filter.as_ref()).chain(cfg.display_filter.as_ref());
    tables && Dissector::new(filters.flat_map(|f| f.fields())).shard_safe()
}

/// Nothing is collected per frame: the counts stay in the shards.
#[derive(Default)]
struct Nothing;

impl Collect for Nothing {
    fn clear(&mut self) {}
    fn len(&self) -> usize {
        0
    }
    fn frame(&self, _: usize) -> u32 {
        0
    }
}

/// One thread's dissector and tables.
struct Shard {
    dissector: Dissector,
    tree: Tree,
    stats: Vec<StatRun>,
    max_rel: i64,
}

impl parallel::Shard for Shard {
    type Out = Nothing;
    fn frame(&mut self, f: &Frame, data: &[u8], _: &mut Nothing) {
        self.dissector.set_clock(f.first, f.prev);
        self.dissector.dissect(&f.meta, data, &mut self.tree);
        let rel = f.meta.ts_ns - f.first;
        self.max_rel = self.max_rel.max(rel);
        let view = self.tree.view(data);
        for s in self.stats.iter_mut() {
            if s.filter.as_ref().is_some_and(|f| !f.matches(&view)) {
                continue;
            }
            run::count_taps(s, &self.tree.taps, f.meta.number, f.meta.len as u64, rel);
        }
    }
}

pub fn run(mut cfg: Config) -> (Results, Outcome) {
    let (want, frame_referenced, _) = run::wanted(&cfg);
    let shards: Vec<Shard> = (0..cfg.threads.clamp(1, parallel::MAX_THREADS))
        .map(|_| {
            let mut dissector = Dissector::new(want.iter().copied());
            dissector.log_tcp_streams();
            dissector.transport_taps();
            if !run::reads_tcp_taps(&cfg) {
                dissector.skip_tcp_taps();
            }
            let stats = cfg
                .stats
                .iter()
                .map(|s| StatRun {
                    stat: s.stat.clone(),
                    filter: s.filter.clone(),
                    acc: match s.acc {
                        Acc::Conv(_) => Acc::Conv(ConvTable::default()),
                        _ => Acc::Endpoints(EndpointTable::default()),
                    },
                })
                .collect();
            Shard { dissector, tree: Tree { record_taps: true, ..Tree::default() }, stats, max_rel: 0 }
        })
        .collect();
    let inputs = std::mem::take(&mut cfg.inputs);
    let (end, _, mut shards) =
        parallel::run(inputs, cfg.progress, shards, |mut rounds| while rounds.next().is_some() {});
    let births: Vec<&[u32]> = shards.iter().map(|s| s.dissector.tcp_stream_births()).collect();
    let streams = global_streams(&births);
    let max_rel = shards.iter().map(|s| s.max_rel).max().unwrap_or(0);
    for (k, stat) in cfg.stats.iter_mut().enumerate() {
        let parts = shards.iter_mut().map(|s| std::mem::replace(&mut s.stats[k].acc, Acc::Conv(ConvTable::default())));
        stat.acc = match stat.acc {
            Acc::Conv(_) => {
                let tcp = stat.stat.kind == Kind::Conv(Table::Tcp);
                let tables = parts
                    .zip(&streams)
                    .map(|(acc, renumber)| {
                        let Acc::Conv(mut t) = acc else { return ConvTable::default() };
                        if tcp {
                            for c in &mut t.rows {
                                c.id = renumber.get(c.id as usize).copied().unwrap_or(c.id);
                            }
                        }
                        t
                    })
                    .collect();
                Acc::Conv(ConvTable::merge(tables))
            }
            _ => Acc::Endpoints(EndpointTable::merge(
                parts.map(|acc| if let Acc::Endpoints(t) = acc { t } else { EndpointTable::default() }).collect(),
            )),
        };
    }
    let outcome = Outcome::of(end.frames, end.error);
    (Results { stats: cfg.stats, frame_referenced, duration_us: run::rel_us(max_rel) }, outcome)
}
