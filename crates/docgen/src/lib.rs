//! Man pages and shell completions, generated from each tool's clap `Command` so they can
//! never drift from the real flags. `cargo run -p pcaptk-docgen` rewrites `man/` and
//! `completions/`; the test in `tests/fresh.rs` fails when the committed files are stale.

use clap::Command;
use clap_complete::Shell;
use std::path::Path;

/// Every binary of the workspace, by its clap definition.
pub fn commands() -> Vec<Command> {
    vec![
        pcap_fields::cli::command(),
        pcap_stats::cli::command(),
        pcap_export_objects::cli::command(),
        pcap_beacon::cli::command(),
        pcap_creds::cli::command(),
        pcap_report::cli::command(),
        pcap_capture::cli::command(),
        pcap_tshark::cli::command(),
    ]
}

/// (relative path, contents) of every generated file.
pub fn render_all() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for cmd in commands() {
        let name = cmd.get_name().to_string();
        let mut man = Vec::new();
        clap_mangen::Man::new(cmd.clone()).render(&mut man).expect("render man page");
        man.extend_from_slice(&field_section(&name));
        files.push((format!("man/{}.1", name), man));
        for (shell, file) in [
            (Shell::Bash, format!("completions/{}.bash", name)),
            (Shell::Zsh, format!("completions/_{}", name)),
            (Shell::Fish, format!("completions/{}.fish", name)),
            (Shell::Elvish, format!("completions/{}.elv", name)),
            (Shell::PowerShell, format!("completions/_{}.ps1", name)),
        ] {
            let mut c = cmd.clone();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut c, name.clone(), &mut buf);
            files.push((file, buf));
        }
    }
    files
}

/// The FIELDS section of the man page, read from the field table.
fn field_section(name: &str) -> Vec<u8> {
    if name != "pcap-fields" {
        return Vec::new();
    }
    let mut s = String::from(".SH FIELDS\nEvery field pcap-fields dissects (the same names, types and rendering as tshark 4.0). A Wireshark field not listed here is refused with a \"not supported yet\" error.\n");
    for d in &pcaptk_dissect::field::table().defs {
        s.push_str(&format!(".TP\n\\fB{}\\fR\n{} ({})\n", d.abbrev, d.name.replace('\\', "\\\\"), d.ftype.ft_name()));
    }
    s.into_bytes()
}

/// Writes every generated file below `root`.
pub fn write_all(root: &Path) -> std::io::Result<()> {
    for (rel, data) in render_all() {
        let p = root.join(rel);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(p, data)?;
    }
    Ok(())
}
