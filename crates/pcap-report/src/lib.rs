//! pcap-report as a library: one pass over the captures feeds every analysis (`collect`), the
//! report is built as one JSON document (`report`: the seed analyzer's keys first, then
//! ours), and the HTML page is rendered from that document (`html`, with the charts of
//! `svg`), so the two can never disagree.

pub mod cli;
pub mod collect;
pub mod html;
pub mod report;
pub mod svg;
pub mod timeline;
