//! pcap-stats as a library: the CLI definition (for docs and completions), `-z` parsing,
//! the conversation, endpoint, protocol-hierarchy and io,stat tables, and their writers.

pub mod cli;
pub mod iostat;
pub mod output;
pub mod phs;
pub mod run;
pub mod shard;
pub mod spec;
pub mod table;
pub mod text;
