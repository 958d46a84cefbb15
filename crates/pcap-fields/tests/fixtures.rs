//! Byte-for-byte comparison with tshark 4.0.17 on the fixture captures: every case of
//! `tests/fixtures/cases.tsv` (workspace root) run through `pcap-fields` and compared with tshark's answers
//! in `tests/fixtures/expected/` (written by `tests/fixtures/make-expected.sh`). The harness is shared by
//! every tool: `tests/support/fixtures.rs` (workspace root) says how cases are run and compared.

const TOOL: &str = "pcap-fields";
const BIN: &str = env!("CARGO_BIN_EXE_pcap-fields");
const CASES: &str = "tests/fixtures/cases.tsv";
const EXPECTED: &str = "tests/fixtures/expected";
const REGEN: &str = "tests/fixtures/make-expected.sh";

#[path = "../../../tests/support/fixtures.rs"]
mod harness;
