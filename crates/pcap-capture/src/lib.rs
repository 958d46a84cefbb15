//! pcap-capture as a library: the CLI definition (for docs and completions), the file
//! writers (pcap, pcapng), the rotation rules of tcpdump (`-C`, `-G`, `-W`) and dumpcap
//! (`-b`), and the capture loop.

pub mod cli;
pub mod rotate;
pub mod run;
pub mod writer;
