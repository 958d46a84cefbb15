//! pcap-tshark: takes a tshark command line and runs it through the pcaptk tool that
//! answers it (replacing this process), or says which flag is not supported.

use pcap_tshark::cli;
use pcap_tshark::route::{self, Action};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::ExitCode;

fn fail(msg: impl AsRef<str>) -> ExitCode {
    eprintln!("pcap-tshark: {}", msg.as_ref());
    ExitCode::from(1)
}

/// The tool next to this executable, else the first on PATH.
fn find(tool: &str) -> Option<PathBuf> {
    let beside = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join(tool)));
    if let Some(p) = beside.filter(|p| p.is_file()) {
        return Some(p);
    }
    std::env::var_os("PATH").and_then(|path| std::env::split_paths(&path).map(|d| d.join(tool)).find(|p| p.is_file()))
}

fn main() -> ExitCode {
    let args: Vec<String> = match std::env::args_os().skip(1).map(|a| a.into_string()).collect() {
        Ok(a) => a,
        Err(a) => return fail(format!("an argument is not valid UTF-8: {}", a.to_string_lossy())),
    };
    let r = match route::route(&args) {
        Ok(Action::Run(r)) => r,
        Ok(Action::Help) => {
            let _ = cli::command().print_long_help();
            return ExitCode::SUCCESS;
        }
        Ok(Action::Version) => {
            println!("pcap-tshark (pcaptk) {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(msg) => return fail(msg),
    };
    if let Err(msg) = route::check(&r) {
        return fail(msg);
    }
    let Some(path) = find(r.tool) else {
        return fail(format!("{} not found next to pcap-tshark or on PATH: build it (cargo build --release) or install it", r.tool));
    };
    let err = std::process::Command::new(&path).args(&r.args).exec();
    fail(format!("running {} failed: {err}", path.display()))
}
