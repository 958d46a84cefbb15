//! pcap-beacon: RITA v5's beacon scores straight from captures, or the seed's variance detector.

use anyhow::{bail, Context, Result};
use pcap_beacon::candidate::{self, Candidate, Span};
use pcap_beacon::output::{self, Format};
use pcap_beacon::run::{self, Outcome};
use pcap_beacon::score::Params;
use pcap_beacon::scope::{Scope, Subnet};
use pcap_beacon::{cli, plot};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

const PREFIX: &str = "pcap-beacon: ";

fn main() -> ExitCode {
    let m = match cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if let Some(c) = pcaptk_capture::cli::list_interfaces_if_asked(&m, PREFIX) {
        return ExitCode::from(c);
    }
    match run_cli(&m) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let _ = std::io::stdout().flush();
            if e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) {
                return ExitCode::from(0);
            }
            eprintln!("{}{:#}", PREFIX, e);
            ExitCode::from(2)
        }
    }
}

/// Reports how the read ended, as the other tools do: an unreadable input ends the run (exit
/// 2); a read error after some packets is reported and the results of what was read follow.
fn read_outcome(outcome: Outcome) -> Option<u8> {
    match outcome {
        Outcome::Done => Some(0),
        Outcome::ReadError(msg) => {
            eprintln!("{}{}", PREFIX, msg);
            Some(2)
        }
        Outcome::OpenError(msg) => {
            eprintln!("{}{}", PREFIX, msg);
            None
        }
    }
}

fn run_cli(m: &clap::ArgMatches) -> Result<u8> {
    let format = match m.get_one::<String>("format").map(String::as_str) {
        Some("csv") => Format::Csv,
        Some("json") => Format::Json,
        _ => Format::Tsv,
    };
    let min_score = *m.get_one::<f64>("min_score").expect("default");
    if !(0.0..=1.0).contains(&min_score) {
        bail!("--min-score must be between 0 and 1 (got {})", min_score);
    }
    let inputs = match pcaptk_capture::cli::prepare(m, false) {
        Ok(pcaptk_capture::cli::Inputs::Listed) => return Ok(0),
        Ok(pcaptk_capture::cli::Inputs::Ready { files, .. }) => files,
        Err((code, msg)) => {
            eprintln!("{}{}", PREFIX, msg);
            return Ok(code);
        }
    };
    let quiet = m.get_flag("quiet");
    let progress = !quiet && !m.get_flag("no_progress");
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());

    if m.get_one::<String>("method").map(String::as_str) == Some("variance") {
        let threshold = *m.get_one::<f64>("threshold").expect("default");
        let (v, outcome) = run::collect_variance(inputs, progress);
        let Some(code) = read_outcome(outcome) else { return Ok(2) };
        output::variance_rows(&v.rows(threshold), format, &mut out).context("writing the output")?;
        out.flush().context("writing the output")?;
        return Ok(code);
    }

    let span = if m.get_one::<String>("span").map(String::as_str) == Some("auto") { Span::Auto } else { Span::Rita };
    let scope = if m.get_flag("all_pairs") {
        Scope::new(None)
    } else {
        match m.get_many::<String>("internal") {
            None => Scope::default(),
            Some(nets) => Scope::new(Some(nets.map(|n| Subnet::parse(n)).collect::<Result<Vec<_>, _>>().context("--internal")?)),
        }
    };
    let (collected, outcome) = run::collect(inputs, progress, &scope);
    let Some(code) = read_outcome(outcome) else { return Ok(2) };
    let params = Params::default();
    let all = candidate::candidates(&collected.agg, &collected.names, &params, span);
    let shown: Vec<&Candidate> = all
        .iter()
        .filter(|c| c.strobe || c.scores.as_ref().is_some_and(|s| s.score >= min_score))
        .collect();
    if !quiet {
        let mut note = format!(
            "{}{} packets, {} connections, {} host pairs, {} candidates ({} shown)",
            PREFIX,
            collected.packets,
            collected.agg.connections,
            collected.agg.pairs(),
            all.len(),
            shown.len()
        );
        if collected.agg.not_kept > 0 || collected.untracked_packets > 0 {
            note += &format!("; memory caps reached: {} connections counted but not kept, {} packets of untracked flows", collected.agg.not_kept, collected.untracked_packets);
        }
        eprintln!("{}", note);
    }
    if let Some(sel) = m.get_one::<String>("explain") {
        let Some((rank, c)) = select(&shown, sel) else {
            bail!("--explain {}: no such candidate among the {} listed (give a rank from 1, or SRC,DST or SRC,NAME)", sel, shown.len());
        };
        out.write_all(output::explain(c, rank, shown.len()).as_bytes()).context("writing the output")?;
    } else {
        output::candidates(&shown, format, &mut out).context("writing the output")?;
    }
    out.flush().context("writing the output")?;
    if let Some(dir) = m.get_one::<String>("plot") {
        let top = *m.get_one::<usize>("top").expect("default");
        let list: Vec<&Candidate> = shown.iter().take(top).copied().collect();
        let written = plot::write_all(Path::new(dir), &list).with_context(|| format!("writing plots into {}", dir))?;
        if !quiet {
            eprintln!("{}{} plots written into {}", PREFIX, written.len(), dir);
        }
    }
    Ok(code)
}

/// A candidate by rank (1-based) or by "SRC,DST" / "SRC,NAME".
fn select<'a>(list: &[&'a Candidate], sel: &str) -> Option<(usize, &'a Candidate)> {
    if let Ok(rank) = sel.trim().parse::<usize>() {
        return list.get(rank.checked_sub(1)?).map(|c| (rank, *c));
    }
    let (src, target) = sel.split_once(',')?;
    let target = target.trim().to_ascii_lowercase();
    list.iter().enumerate().find_map(|(i, c)| {
        let src_ok = c.src.to_string() == src.trim();
        let dst_ok = c.name.as_deref() == Some(target.as_str()) || (c.name.is_none() && c.dsts.iter().any(|d| d.to_string() == target));
        (src_ok && dst_ok).then_some((i + 1, *c))
    })
}
