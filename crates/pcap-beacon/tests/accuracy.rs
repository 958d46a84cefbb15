//! Precision and recall of RITA's scoring at score >= 0.7 on generated captures: known beacons
//! (intervals from 1 s to 1 h, jitter 0-30%, size jitter, dropped beats; named by TLS SNI, HTTP
//! Host or DNS, or not named at all) and random-timed clients (negatives), mixed into the real
//! Ethernet captures of ../shared/captures/core (when that folder exists; without it the test
//! runs on the generated traffic alone and says so).
//!
//! `cargo test --release -p pcap-beacon --test accuracy -- --nocapture` prints the table.

mod gen;

use gen::{load_real, Capture, Rng};
use pcap_beacon::candidate::{self, Candidate, Span};
use pcap_beacon::run;
use pcap_beacon::score::Params;
use pcap_beacon::scope::Scope;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

const INTERVALS: [f64; 6] = [1.0, 10.0, 60.0, 300.0, 900.0, 3600.0];
const JITTERS: [f64; 4] = [0.0, 0.1, 0.2, 0.3];
const SEEDS: u64 = 2;
const THRESHOLD: f64 = 0.7;
/// Share of beats a beacon skips.
const DROPPED: f64 = 0.1;
/// Relative jitter of request and response sizes.
const SIZE_JITTER: f64 = 0.1;
const T0: f64 = 1_700_000_000.0;

#[derive(Clone, Copy, PartialEq)]
enum Naming {
    Sni,
    Http,
    Dns,
    None,
}

struct Known {
    src: IpAddr,
    server: IpAddr,
    name: Option<String>,
    /// A beacon (else a random-timed client, a negative by construction).
    beacon: bool,
}

fn shared_core() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/captures");
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

/// Small Ethernet captures of the shared core set that tshark reads cleanly.
fn background() -> Vec<Vec<(i64, Vec<u8>, u32)>> {
    let Some(dir) = shared_core() else { return Vec::new() };
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap_or_default();
    manifest
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let packets: u64 = f.get(4)?.parse().ok()?;
            (f[0].starts_with("core/") && f.get(3) == Some(&"ether") && f.get(7) == Some(&"ok") && (20..=5000).contains(&packets)).then(|| dir.join(f[0]))
        })
        .map(|p| load_real(&p))
        .filter(|p| !p.is_empty())
        .collect()
}

/// One generated capture: four beacons (SNI, Host, DNS-named, unnamed) of about `interval`,
/// two random-timed clients, and the background.
fn generate(interval: f64, jitter: f64, seed: u64, bg: &[Vec<(i64, Vec<u8>, u32)>], path: &Path) -> Vec<Known> {
    let mut rng = Rng::new(seed * 7919 + (interval as u64) * 31 + (jitter * 100.0) as u64);
    let span = (48.0 * interval).clamp(600.0, 86_400.0);
    let mut cap = Capture::default();
    let mut known = Vec::new();
    let resolver = Ipv4Addr::new(10, 99, 0, 53);
    for (k, naming) in [Naming::Sni, Naming::Http, Naming::Dns, Naming::None].into_iter().enumerate() {
        let client = Ipv4Addr::new(10, 99, seed as u8, k as u8 + 1);
        let server = Ipv4Addr::new(198, 51, 100, k as u8 + 1);
        let name = format!("c2-{}.beacon.example", k);
        let every = interval * (1.0 + 0.1 * k as f64);
        let base_size = 200.0 + 50.0 * k as f64;
        let mut t = rng.unit() * every;
        if naming == Naming::Dns {
            cap.dns_lookup(T0 + t * 0.5, client, resolver, &name, server, k as u16);
        }
        let mut n: u32 = 0;
        while t < span {
            if rng.unit() >= DROPPED {
                let size = (base_size * (1.0 + SIZE_JITTER * rng.sym())) as usize;
                let request = match naming {
                    Naming::Sni => gen::client_hello(&name, size),
                    Naming::Http => gen::http_request(&name, size),
                    _ => vec![0x42; size],
                };
                let port = if naming == Naming::Http { 80 } else { 443 };
                let response = (300.0 * (1.0 + SIZE_JITTER * rng.sym())) as usize;
                cap.tcp_session(T0 + t, client, 20_000 + (n % 40_000) as u16, server, port, &request, response);
                n += 1;
            }
            t += every * (1.0 + jitter * rng.sym());
        }
        let name = (naming != Naming::None).then_some(name);
        known.push(Known { src: client.into(), server: server.into(), name, beacon: true });
    }
    // Negatives: connections at random (exponential gaps), sizes spread log-normally.
    for j in 0..2u8 {
        let client = Ipv4Addr::new(10, 98, seed as u8, j + 1);
        let server = Ipv4Addr::new(203, 0, 113, j + 1);
        let name = format!("cdn-{}.random.example", j);
        let mut t = rng.exp(interval);
        let mut n: u32 = 0;
        while t < span {
            let size = rng.lognormal(600.0, 1.0).clamp(20.0, 16_000.0) as usize;
            let request = if j == 0 { gen::client_hello(&name, size) } else { vec![0x42; size] };
            let response = rng.lognormal(5000.0, 1.5).clamp(0.0, 60_000.0) as usize;
            cap.tcp_session(T0 + t, client, 20_000 + (n % 40_000) as u16, server, 443, &request, response);
            n += 1;
            t += rng.exp(interval);
        }
        known.push(Known { src: client.into(), server: server.into(), name: (j == 0).then_some(name), beacon: false });
    }
    for packets in bg {
        let at = T0 + rng.unit() * span;
        cap.add_real(packets, at, T0 + span);
    }
    cap.write(path);
    known
}

fn matches(c: &Candidate, k: &Known) -> bool {
    c.src == k.src && (c.name.is_some() && c.name == k.name || c.name.is_none() && c.dsts.contains(&k.server))
}

#[derive(Default, Clone, Copy)]
struct Tally {
    beacons: usize,
    found: usize,
    /// Candidates at or above the threshold, the random-timed clients left out.
    positives: usize,
    true_positives: usize,
    /// Random-timed clients, and how many of them reached the threshold.
    randoms: usize,
    randoms_flagged: usize,
}

impl Tally {
    fn add(&mut self, o: Tally) {
        self.beacons += o.beacons;
        self.found += o.found;
        self.positives += o.positives;
        self.true_positives += o.true_positives;
        self.randoms += o.randoms;
        self.randoms_flagged += o.randoms_flagged;
    }
    fn precision(&self) -> f64 {
        if self.positives == 0 {
            1.0
        } else {
            self.true_positives as f64 / self.positives as f64
        }
    }
    fn recall(&self) -> f64 {
        self.found as f64 / self.beacons.max(1) as f64
    }
}

fn evaluate(path: &Path, known: &[Known], span: Span) -> (Tally, Vec<String>) {
    let (c, outcome) = run::collect(vec![path.to_string_lossy().into_owned()], false, &Scope::default());
    assert_eq!(outcome, run::Outcome::Done);
    let all = candidate::candidates(&c.agg, &c.names, &Params::default(), span);
    let flagged: Vec<&Candidate> = all.iter().filter(|c| c.scores.as_ref().is_some_and(|s| s.score >= THRESHOLD)).collect();
    let (beacons, randoms): (Vec<&Known>, Vec<&Known>) = known.iter().partition(|k| k.beacon);
    let positive: Vec<&Candidate> = flagged.iter().copied().filter(|c| !randoms.iter().any(|k| matches(c, k))).collect();
    let mut t = Tally { beacons: beacons.len(), positives: positive.len(), randoms: randoms.len(), ..Tally::default() };
    t.true_positives = positive.iter().filter(|c| beacons.iter().any(|k| matches(c, k))).count();
    t.found = beacons.iter().filter(|k| positive.iter().any(|c| matches(c, k))).count();
    t.randoms_flagged = randoms.iter().filter(|k| flagged.iter().any(|c| matches(c, k))).count();
    let mut notes = Vec::new();
    for k in beacons.iter().filter(|k| !positive.iter().any(|c| matches(c, k))) {
        let best = all.iter().find(|c| matches(c, k));
        notes.push(format!(
            "missed {} -> {:?}: {}",
            k.src,
            k.name,
            best.and_then(|c| c.scores.as_ref()).map_or("no candidate".to_string(), |s| format!(
                "score {} (ts {} ds {} hist {} dur {})",
                s.score, s.ts.stat.score, s.ds.score, s.hist.score, s.dur
            ))
        ));
    }
    for c in positive.iter().filter(|c| !beacons.iter().any(|k| matches(c, k))) {
        notes.push(format!("false positive {} -> {:?} {:?}: score {}", c.src, c.name, c.dsts, c.scores.as_ref().map_or(0.0, |s| s.score)));
    }
    (t, notes)
}

#[test]
fn precision_and_recall_at_0_7() {
    let bg = background();
    if bg.is_empty() {
        eprintln!("note: ../shared/captures not found: generated traffic only, no real background");
    } else {
        eprintln!("background: {} real captures, {} packets, in every generated capture", bg.len(), bg.iter().map(Vec::len).sum::<usize>());
    }
    let dir = std::env::temp_dir().join(format!("pcap-beacon-accuracy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut table: Vec<(f64, Tally, Tally)> = Vec::new();
    let mut by_interval: Vec<(f64, f64, Tally, Tally)> = Vec::new();
    let mut notes = Vec::new();
    for jitter in JITTERS {
        let (mut rita, mut auto) = (Tally::default(), Tally::default());
        for interval in INTERVALS {
            let (mut ri, mut au) = (Tally::default(), Tally::default());
            for seed in 0..SEEDS {
                let path = dir.join(format!("i{}-j{}-s{}.pcap", interval, jitter, seed));
                let known = generate(interval, jitter, seed, &bg, &path);
                let (t, n) = evaluate(&path, &known, Span::Rita);
                ri.add(t);
                notes.extend(n.into_iter().map(|n| format!("[rita i={} j={} s={}] {}", interval, jitter, seed, n)));
                let (t, n) = evaluate(&path, &known, Span::Auto);
                au.add(t);
                notes.extend(n.into_iter().map(|n| format!("[auto i={} j={} s={}] {}", interval, jitter, seed, n)));
                let _ = std::fs::remove_file(&path);
            }
            rita.add(ri);
            auto.add(au);
            by_interval.push((jitter, interval, ri, au));
        }
        table.push((jitter, rita, auto));
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("| jitter | beacons | precision (rita) | recall (rita) | precision (auto) | recall (auto) | random clients >= 0.7 (rita / auto) |");
    eprintln!("|---|---|---|---|---|---|---|");
    for (j, r, a) in &table {
        eprintln!(
            "| {:.0}% | {} | {:.3} | {:.3} | {:.3} | {:.3} | {} / {} of {} |",
            j * 100.0,
            r.beacons,
            r.precision(),
            r.recall(),
            a.precision(),
            a.recall(),
            r.randoms_flagged,
            a.randoms_flagged,
            r.randoms
        );
    }
    eprintln!("\nby interval (recall rita / auto):");
    for (j, i, r, a) in &by_interval {
        eprintln!("  jitter {:.0}% interval {} s: {:.2} / {:.2} (positives {} / {})", j * 100.0, i, r.recall(), a.recall(), r.positives, a.positives);
    }
    for n in &notes {
        eprintln!("{}", n);
    }
    for (j, r, _) in &table {
        if *j <= 0.2 {
            assert!(r.precision() >= 0.95, "precision {:.3} at jitter {}", r.precision(), j);
            assert!(r.recall() >= 0.95, "recall {:.3} at jitter {}", r.recall(), j);
        }
    }
}
