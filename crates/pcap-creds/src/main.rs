//! pcap-creds: credentials and crackable hashes from a capture, or tshark's `-z credentials`
//! table byte for byte.

use anyhow::Context;
use pcap_creds::output::{self, Format};
use pcap_creds::run::{self, Config, Outcome};
use pcaptk_dissect::state::FormFields;
use std::io::Write;
use std::process::ExitCode;

/// Messages are tshark's own texts, under our name.
const PREFIX: &str = "pcap-creds: ";

fn fail(code: u8, msg: impl AsRef<str>) -> ExitCode {
    let _ = std::io::stdout().flush();
    eprintln!("{}{}", PREFIX, msg.as_ref());
    ExitCode::from(code)
}

fn main() -> ExitCode {
    let m = match pcap_creds::cli::command().try_get_matches() {
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
    let mut table = false;
    for z in m.get_many::<String>("stat").into_iter().flatten() {
        if z == "credentials" || z.starts_with("credentials,") {
            table = true;
        } else {
            return fail(1, format!("Invalid -z argument \"{}\"; pcap-creds knows only -z credentials", z));
        }
    }
    let format = match m.get_one::<String>("format").map(String::as_str) {
        Some("csv") => Format::Csv,
        Some("json") => Format::Json,
        _ => Format::Tsv,
    };
    let words = |id: &str, default: Vec<String>| -> Vec<String> {
        match m.get_one::<String>(id) {
            Some(s) => s.split(',').map(|w| w.trim().to_ascii_lowercase()).filter(|w| !w.is_empty()).collect(),
            None => default,
        }
    };
    let defaults = FormFields::default();
    let form_fields = FormFields { user: words("form_user", defaults.user), password: words("form_password", defaults.password) };
    let inputs = match pcaptk_capture::cli::prepare(&m, false) {
        Ok(pcaptk_capture::cli::Inputs::Listed) => return ExitCode::SUCCESS,
        Ok(pcaptk_capture::cli::Inputs::Ready { files, .. }) => files,
        Err((code, msg)) => return fail(code, msg),
    };
    let cfg = Config { inputs, all: m.get_flag("all"), form_fields, progress: !m.get_flag("quiet") && !m.get_flag("no_progress"), table_only: table,
        threads: m.get_one::<u16>("threads").map_or_else(pcaptk_dissect::parallel::default_threads, |&n| n as usize),
    };
    let (results, outcome) = run::run(cfg);
    let mut code = match outcome {
        Outcome::OpenError(msg) => return fail(2, msg),
        Outcome::ReadError(msg) => {
            // tshark reports the error first, then prints what it read.
            eprintln!("{}{}", PREFIX, msg);
            2
        }
        Outcome::Done => 0,
    };
    let written = (|| -> anyhow::Result<()> {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        if table {
            output::tshark_table(&results, &mut out)
        } else {
            output::list(&results, format, m.get_flag("redact"), &mut out)
        }
        .and_then(|_| out.flush())
        .context("writing the output failed")?;
        if let Some(dir) = m.get_one::<String>("hashcat") {
            let files = output::hashcat_files(&results, std::path::Path::new(dir)).with_context(|| format!("writing hash files into {}", dir))?;
            for (mode, n) in files {
                eprintln!("{}{} hash line(s) in {}/{}.txt (hashcat -m {})", PREFIX, n, dir.trim_end_matches('/'), mode, mode);
            }
        }
        Ok(())
    })();
    if let Err(e) = written {
        let broken_pipe = e.root_cause().downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe);
        if !broken_pipe {
            eprintln!("{}{:#}", PREFIX, e);
            code = 2;
        }
    }
    ExitCode::from(code)
}
