//! Tap records: what tshark hands its conversation and endpoint taps (`-z conv`,
//! `-z endpoints`) for one frame, in the order tshark queues them. Dissectors record one
//! where tshark calls `tap_queue_packet` for the `eth`, `ip`, `ipv6`, `tcp` and `udp` taps,
//! under the same conditions (a header dissected that far); nothing is recorded inside a
//! packet quoted by an ICMP error (tshark's taps skip those). Recorded only when the
//! command asks for them (`Tree::record_taps`).

use crate::cx::NetAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tap {
    Eth { src: [u8; 6], dst: [u8; 6] },
    Ip { src: [u8; 4], dst: [u8; 4] },
    Ipv6 { src: [u8; 16], dst: [u8; 16] },
    /// `stream` is `tcp.stream` (u32::MAX when the stream table is off).
    Tcp { src: NetAddr, dst: NetAddr, sport: u16, dport: u16, stream: u32 },
    /// `stream` is `udp.stream` (u32::MAX when the stream table is off).
    Udp { src: NetAddr, dst: NetAddr, sport: u16, dport: u16, stream: u32 },
}
