//! pcap-creds as a library: the CLI definition (for docs and completions), the read →
//! dissect → collect loop, and the writers (tshark's table, TSV, CSV, JSON, hashcat files).

pub mod cli;
pub mod output;
pub mod run;
