//! pcap-export-objects: tshark's `--export-objects`, streamed to disk, with a manifest.

pub mod cli;
pub mod manifest;
pub mod names;
pub mod run;
pub mod sink;
