//! pcap-stats: tshark's `-z conv`, `-z endpoints`, `-z io,phs` and `-z io,stat`, byte for
//! byte, or as TSV/CSV/JSON rows.

use pcap_stats::cli;
use pcap_stats::iostat::Column;
use pcap_stats::output::{self, Format};
use pcap_stats::phs::Phs;
use pcap_stats::run::{self, Acc, Config, Outcome, StatRun};
use pcap_stats::spec::{self, Kind, SpecError};
use pcap_stats::table::{ConvTable, EndpointTable};
use pcaptk_filter::Filter;
use std::io::Write;
use std::process::ExitCode;

/// Messages are tshark's own texts, under our name.
const PREFIX: &str = "pcap-stats: ";

fn fail(code: u8, msg: impl AsRef<str>) -> ExitCode {
    let _ = std::io::stdout().flush();
    eprintln!("{}{}", PREFIX, msg.as_ref());
    ExitCode::from(code)
}

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
    let format = match m.get_one::<String>("format").map(String::as_str) {
        Some("tsv") => Format::Tsv,
        Some("csv") => Format::Csv,
        Some("json") => Format::Json,
        _ => Format::Text,
    };
    let mut stats = Vec::new();
    for arg in m.get_many::<String>("stat").into_iter().flatten() {
        let stat = match spec::parse(arg) {
            Ok(s) => s,
            Err(SpecError::Unknown(msg)) => {
                let _ = std::io::stdout().flush();
                eprint!("{}{}", PREFIX, msg);
                return ExitCode::from(1);
            }
            Err(SpecError::Invalid(msg)) => {
                let _ = std::io::stdout().flush();
                eprintln!("\n{}{}", PREFIX, msg);
                return ExitCode::from(1);
            }
            Err(SpecError::Unsupported(msg)) => return fail(1, msg),
        };
        // Tap filters: tshark's registration error, exit 1.
        let (what, lead) = match stat.kind {
            Kind::Conv(_) => ("conversations", ""),
            Kind::Endpoints(_) => ("endpoint", ""),
            Kind::Phs => ("io,phs", ""),
            Kind::IoStat(_) => ("io,stat", "\n"),
        };
        let compile = |text: &str| -> Result<Option<Filter>, ExitCode> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            Filter::compile(text).map(Some).map_err(|e| {
                let _ = std::io::stdout().flush();
                eprintln!("{}{}Couldn't register {} tap: Filter \"{}\" is invalid - {}", lead, PREFIX, what, text, e.message);
                ExitCode::from(1)
            })
        };
        let filter = match stat.filter.as_deref().map(compile).transpose() {
            Ok(f) => f.flatten(),
            Err(code) => return code,
        };
        let acc = match &stat.kind {
            Kind::Conv(_) => Acc::Conv(ConvTable::default()),
            Kind::Endpoints(_) => Acc::Endpoints(EndpointTable::default()),
            Kind::Phs => Acc::Phs(Phs::default()),
            Kind::IoStat(io) => {
                let mut filters = Vec::new();
                for c in &io.columns {
                    match c.as_deref().map(compile).transpose() {
                        Ok(f) => filters.push(f.flatten()),
                        Err(code) => return code,
                    }
                }
                Acc::IoStat(vec![Column::default(); io.columns.len()], filters)
            }
        };
        stats.push(StatRun { stat, filter, acc });
    }
    if stats.is_empty() {
        return fail(1, "give at least one statistic with -z (conv,TYPE endpoints,TYPE io,phs io,stat,INTERVAL); see --help");
    }
    let display_filter = match m.get_one::<String>("display_filter") {
        None => None,
        Some(t) => match Filter::compile(t) {
            Ok(f) => Some(f),
            Err(e) => {
                let text = e.render(t);
                eprint!("{}", text.strip_prefix("tshark: ").map(|s| format!("{}{}", PREFIX, s)).unwrap_or(text));
                return ExitCode::from(e.exit_code as u8);
            }
        },
    };
    let inputs = match pcaptk_capture::cli::prepare(&m, false) {
        Ok(pcaptk_capture::cli::Inputs::Listed) => return ExitCode::SUCCESS,
        Ok(pcaptk_capture::cli::Inputs::Ready { files, .. }) => files,
        Err((code, msg)) => return fail(code, msg),
    };
    let threads = m.get_one::<u16>("threads").map_or_else(pcaptk_dissect::parallel::default_threads, |&n| n as usize);
    let cfg = Config { inputs, stats, display_filter, progress: !m.get_flag("quiet") && !m.get_flag("no_progress"), threads };
    let (results, outcome) = run::run(cfg);
    let code = match outcome {
        Outcome::OpenError(msg) => return fail(2, msg),
        Outcome::ReadError(msg) => {
            // tshark reports the error first, then prints the statistics of what it read.
            eprintln!("{}{}", PREFIX, msg);
            2
        }
        Outcome::Done => 0,
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if let Err(e) = output::render(&results, format, &mut out).and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("{}writing the output failed: {}", PREFIX, e);
            return ExitCode::from(2);
        }
    }
    ExitCode::from(code)
}
