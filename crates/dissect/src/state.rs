//! Cross-packet state kept during one pass (what tshark keeps in its conversations).

use crate::proto::{dns, ip, ipv6, tcp, udp};

pub struct State {
    pub first_ts: Option<i64>,
    pub prev_ts: Option<i64>,
    pub prev_displayed_ts: Option<i64>,
    pub tcp: tcp::Streams,
    pub udp: udp::Streams,
    pub ip_frag: ip::Defrag,
    pub ipv6_frag: ipv6::Defrag,
    pub dns: dns::Pending,
    /// This frame's protocol chain (`frame.protocols`), reused from frame to frame.
    pub protos: Vec<&'static str>,
    /// The protocols whose objects are exported, and the most bytes one object may hold.
    pub export: crate::export::Protocols,
    pub export_cap: usize,
    pub ftp_data: crate::proto::ftp_data::Table,
    pub tftp: crate::proto::tftp::Table,
}

impl State {
    pub fn new(want: &[bool]) -> Self {
        State {
            first_ts: None,
            prev_ts: None,
            prev_displayed_ts: None,
            tcp: tcp::Streams::new(want),
            udp: udp::Streams::new(want),
            ip_frag: ip::Defrag::default(),
            ipv6_frag: ipv6::Defrag::default(),
            dns: dns::Pending::default(),
            protos: Vec::new(),
            export: crate::export::Protocols::default(),
            export_cap: 64 << 20,
            ftp_data: Default::default(),
            tftp: Default::default(),
        }
    }
}
