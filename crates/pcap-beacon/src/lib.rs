//! pcap-beacon as a library: RITA v5's beacon scores (`score`, over `stats`), Zeek-style
//! connection records from packets (`conn`), names from TLS SNI, HTTP Host and DNS answers
//! (`names`), candidates and their scoring (`candidate`), the seed playbook's variance detector
//! (`variance`), and the writers (`output`, `plot`).

pub mod score;
pub mod stats;
