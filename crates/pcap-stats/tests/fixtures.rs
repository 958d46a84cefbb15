//! Byte-for-byte comparison with tshark 4.0.17 on the fixture captures: every case of
//! `crates/pcap-stats/tests/cases.tsv` run through `pcap-stats` and compared with tshark's answers
//! in `crates/pcap-stats/tests/expected/` (written by `crates/pcap-stats/tests/make-expected.sh`). The harness is shared by
//! every tool: `tests/support/fixtures.rs` (workspace root) says how cases are run and compared.

const TOOL: &str = "pcap-stats";
const BIN: &str = env!("CARGO_BIN_EXE_pcap-stats");
const CASES: &str = "crates/pcap-stats/tests/cases.tsv";
const EXPECTED: &str = "crates/pcap-stats/tests/expected";
const REGEN: &str = "crates/pcap-stats/tests/make-expected.sh";

#[path = "../../../tests/support/fixtures.rs"]
mod harness;
