//! pcap-beacon as a library: RITA v5's beacon scores (`score`, over `stats`), Zeek-style
//! connection records from packets (`conn`), names from TLS SNI, HTTP Host and DNS answers
//! (`names`), candidates and their scoring (`candidate`), the seed playbook's variance detector
//! (`variance`), and the writers (`output`, `plot`).

pub mod score;
pub mod stats;
pub mod candidate;
pub mod conn;
pub mod names;
pub mod run;
pub mod scope;
pub mod variance;
pub mod cli;
pub mod output;
pub mod plot;
