//! pcap-fields as a library: the CLI definition (for docs and completions), the `-E`
//! options and the writers for `-T fields`, `-T json` and `-T ek`.

pub mod cli;
pub mod output;
pub mod run;
pub mod shard;
