//! pcap-fields: tshark's field extraction (`-T fields|json|ek -e … -Y …`), byte for byte.

use pcap_fields::cli;
use pcap_fields::output::{Column, FieldOpts, Format, E_HELP};
use pcap_fields::run::{self, Config, Outcome};
use pcaptk_dissect::field;
use pcaptk_filter::Filter;
use pcaptk_capture::cli::Inputs;
use std::process::ExitCode;

/// Messages are tshark's own texts, under our name.
const PREFIX: &str = "pcap-fields: ";

fn fail(code: u8, msg: impl AsRef<str>) -> ExitCode {
    run::flush_stdout();
    eprintln!("{}{}", PREFIX, msg.as_ref());
    ExitCode::from(code)
}

/// The default column titles of tshark 4.0 (`_ws.col.<title>`): those have values in tshark,
/// which pcap-fields does not compute yet. Any other `_ws.col.*` is always empty in tshark.
const DEFAULT_COLUMNS: &[&str] = &["No.", "Time", "Source", "Destination", "Protocol", "Length", "Info"];

/// `-c` and `-a packets:N` together: the smaller.
fn min_count(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
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
    if let Some(report) = m.get_one::<String>("glossary") {
        if report != "fields" {
            return fail(1, format!("Invalid -G report \"{}\"; pcap-fields supports: fields", report));
        }
        let mut out = std::io::stdout().lock();
        let _ = field::write_glossary(&mut out);
        return ExitCode::SUCCESS;
    }
    if m.get_one::<String>("read_filter").is_some() && !m.get_flag("two_pass") {
        return fail(1, "-R without -2 is deprecated. For single-pass filtering use -Y.");
    }
    let count = match m.get_one::<String>("count") {
        None => None,
        Some(c) => match c.parse::<u64>() {
            Ok(0) => return fail(1, "The specified packet count is zero"),
            Ok(n) => Some(n),
            Err(_) => return fail(1, format!("The specified packet count \"{}\" isn't a decimal number", c)),
        },
    };
    let format = match m.get_one::<String>("format").map(String::as_str) {
        None => None,
        Some("fields") => Some(Format::Fields),
        Some("json") => Some(Format::Json),
        Some("ek") => Some(Format::Ek),
        Some(t @ ("pdml" | "psml" | "ps" | "text" | "tabs" | "jsonraw")) => {
            return fail(1, format!("-T {} is a tshark output format pcap-fields does not produce yet; use -T fields, json or ek with -e", t))
        }
        Some(t) => return fail(1, format!("Invalid -T parameter \"{}\"; it must be one of:\n{}", t, T_LIST)),
    };
    let mut opts = FieldOpts::default();
    for e in m.get_many::<String>("field_opt").into_iter().flatten() {
        if let Err(name) = opts.apply(e) {
            run::flush_stdout();
            eprint!("{}\"{}\" is not a valid field output option=value pair.\n{}", PREFIX, name, E_HELP);
            return ExitCode::from(1);
        }
    }
    let names: Vec<String> = m.get_many::<String>("field").into_iter().flatten().cloned().collect();
    let Some(format) = format else {
        if !names.is_empty() {
            return fail(1, "Output fields were specified with \"-e\", but \"-Tek, -Tfields, -Tjson or -Tpdml\" was not specified.");
        }
        return fail(1, "pcap-fields prints fields only: give -T fields (or json, ek) and -e FIELD. See --help.");
    };
    if names.is_empty() {
        let t = match format {
            Format::Fields => "fields",
            Format::Json => "json",
            Format::Ek => "ek",
        };
        if matches!(format, Format::Fields) {
            return fail(1, format!("\"-T{}\" was specified, but no fields were specified with \"-e\".", t));
        }
        return fail(1, format!("-T {} without -e (the whole protocol tree) is not produced by pcap-fields yet; name the fields with -e", t));
    }
    // Columns: tshark validates names up front; only the last of duplicate names gets values.
    let mut columns = Vec::with_capacity(names.len());
    let mut invalid = Vec::new();
    let mut unsupported = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let later_dup = names[i + 1..].contains(n);
        let id = if let Some(col) = n.strip_prefix("_ws.col.") {
            if DEFAULT_COLUMNS.contains(&col) {
                unsupported.push(n.clone());
            }
            None
        } else {
            match field::lookup(n) {
                Some(id) => Some(id),
                None => {
                    if pcaptk_filter::wireshark_knows(n) {
                        unsupported.push(n.clone());
                    } else {
                        invalid.push(n.clone());
                    }
                    None
                }
            }
        };
        columns.push(Column { name: n.clone(), id: if later_dup { None } else { id } });
    }
    if !invalid.is_empty() {
        let list: String = invalid.iter().map(|n| format!("\t{}\n", n)).collect();
        run::flush_stdout();
        eprint!("{}Some fields aren't valid:\n{}", PREFIX, list);
        return ExitCode::from(1);
    }
    if !unsupported.is_empty() {
        return fail(
            1,
            format!(
                "not supported yet: {} (a Wireshark field pcap-fields does not dissect yet; `pcap-fields -G fields` lists what it does)",
                unsupported.join(", ")
            ),
        );
    }
    let compile = |text: Option<&String>| -> Result<Option<Filter>, ExitCode> {
        let Some(t) = text else { return Ok(None) };
        Filter::compile(t).map(Some).map_err(|e| {
            run::flush_stdout();
            let text = e.render(t);
            eprint!("{}", text.strip_prefix("tshark: ").map(|s| format!("{}{}", PREFIX, s)).unwrap_or(text));
            ExitCode::from(e.exit_code as u8)
        })
    };
    let read_filter = match compile(m.get_one::<String>("read_filter")) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let filter = match compile(m.get_one::<String>("display_filter")) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (inputs, count) = match pcaptk_capture::cli::prepare(&m, true) {
        Ok(Inputs::Listed) => return ExitCode::SUCCESS,
        Ok(Inputs::Ready { files, packets }) => (files, min_count(count, packets)),
        Err((code, msg)) => return fail(code, msg),
    };
    // No files after prepare: a live capture is waiting (each packet is printed as it comes).
    let live = inputs.is_empty();
    let cfg = Config {
        inputs,
        read_filter,
        filter,
        format,
        columns,
        opts,
        count,
        progress: !m.get_flag("quiet") && !m.get_flag("no_progress"),
        flush_each: live || m.get_flag("line_buffered"),
        threads: m.get_one::<u16>("threads").map_or_else(pcap_fields::shard::default_threads, |&n| n as usize),
    };
    match run::run(cfg) {
        Ok(Outcome::Done) | Ok(Outcome::BrokenPipe) => ExitCode::SUCCESS,
        Ok(Outcome::ReadError(msg)) => fail(2, msg),
        Err(e) => fail(2, format!("writing the output failed: {}", e)),
    }
}

const T_LIST: &str = "	\"fields\"  The values of fields specified with the -e option, in a form
	          specified by the -E option.
	\"pdml\"    Packet Details Markup Language, an XML-based format for the
	          details of a decoded packet. This information is equivalent to
	          the packet details printed with the -V flag.
	\"ps\"      PostScript for a human-readable one-line summary of each of
	          the packets, or a multi-line view of the details of each of
	          the packets, depending on whether the -V flag was specified.
	\"psml\"    Packet Summary Markup Language, an XML-based format for the
	          summary information of a decoded packet. This information is
	          equivalent to the information shown in the one-line summary
	          printed by default.
	\"json\"    Packet Summary, an JSON-based format for the details
	          summary information of a decoded packet. This information is 
	          equivalent to the packet details printed with the -V flag.
	\"jsonraw\" Packet Details, a JSON-based format for machine parsing
	          including only raw hex decoded fields (same as -T json -x but
	          without text decoding, only raw fields included). 
	\"ek\"      Packet Details, an EK JSON-based format for the bulk insert 
	          into elastic search cluster. This information is 
	          equivalent to the packet details printed with the -V flag.
	\"text\"    Text of a human-readable one-line summary of each of the
	          packets, or a multi-line view of the details of each of the
	          packets, depending on whether the -V flag was specified.
	          This is the default.
	\"tabs\"    Similar to the text report except that each column of the
	          human-readable one-line summary is delimited with an ASCII
	          horizontal tab character.";
