//! Byte-for-byte comparison with tshark 4.0.17 on the fixture captures: every case of
//! `crates/pcap-creds/tests/cases.tsv` run through `pcap-creds` and compared with tshark's answers
//! in `crates/pcap-creds/tests/expected/` (written by `crates/pcap-creds/tests/make-expected.sh`). The harness is shared by
//! every tool: `tests/support/fixtures.rs` (workspace root) says how cases are run and compared.

const TOOL: &str = "pcap-creds";
const BIN: &str = env!("CARGO_BIN_EXE_pcap-creds");
const CASES: &str = "crates/pcap-creds/tests/cases.tsv";
const EXPECTED: &str = "crates/pcap-creds/tests/expected";
const REGEN: &str = "crates/pcap-creds/tests/make-expected.sh";

#[path = "../../../tests/support/fixtures.rs"]
mod harness;
