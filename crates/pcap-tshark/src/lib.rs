//! pcap-tshark as a library: the CLI definition (for docs and completions) and the routing
//! of a tshark command line to the pcaptk tool that answers it.

pub mod cli;
pub mod route;
