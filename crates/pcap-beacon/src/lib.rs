//! pcap-beacon as a library: RITA v5's beacon scores (`score`, over `stats`); reading the
//! inputs (`read`) and dissecting them into Zeek-style connection records (`run`, `conn`) with
//! names from TLS SNI, HTTP Host and DNS answers (`names`), within RITA's import scope
//! (`scope`); candidates and their scoring (`candidate`); the seed playbook's variance detector
//! (`variance`); the command line (`cli`) and the writers (`output`, `plot`).

pub mod candidate;
pub mod cli;
pub mod conn;
pub mod names;
pub mod output;
pub mod plot;
pub mod read;
pub mod run;
pub mod scope;
pub mod score;
pub mod stats;
pub mod variance;
