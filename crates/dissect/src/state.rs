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
    pub quic: crate::proto::quic::Table,
    /// ARP's IPv4-to-MAC bindings (duplicate address detection).
    pub arp: crate::proto::arp::Bindings,
    /// RTP, RTCP and T.38 conversations SDP announced.
    pub rtp: crate::proto::rtp::Table,
    /// The application protocols of `proto::apps`.
    pub apps: crate::proto::apps::State,
    pub openvpn: crate::proto::openvpn::Table,
    pub t30: crate::proto::t30::Table,
    /// Which HTTP form fields hold usernames and passwords (credentials tap).
    pub form_fields: FormFields,
    /// Whether what message bodies hold can show in the output (`proto::bodies_matter`):
    /// otherwise HTTP frames its messages without looking into their bodies.
    pub bodies: bool,
    /// Whether the command reads TCP's tap records (see `Dissector::skip_tcp_taps`).
    pub tcp_taps: bool,
    /// Whether UDP hands its payloads to protocols that carry no lower layers (see
    /// `Dissector::only_tunnels_over_udp`).
    pub udp_leaves: bool,
    /// Where a dissector stopped reading a PDU it asked one more segment for (see
    /// [`crate::reasm::Resume`]): the dissector notes it in `stopped`, TCP's desegmentation
    /// keeps it with the PDU and hands it back in `resume`, only while it hands the same
    /// PDU over again, longer.
    pub resume: Option<crate::reasm::Resume>,
    pub stopped: Option<crate::reasm::Resume>,
}

/// Names of urlencoded form fields that carry a username or a password: a field matches
/// when its lower-cased name contains one of the words.
#[derive(Clone)]
pub struct FormFields {
    pub user: Vec<String>,
    pub password: Vec<String>,
}

impl Default for FormFields {
    fn default() -> Self {
        let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        FormFields {
            user: v(&["user", "login", "email", "uname", "usr", "account"]),
            password: v(&["password", "passwd", "pass", "pwd", "secret"]),
        }
    }
}

impl FormFields {
    pub fn is_password(&self, name: &str) -> bool {
        self.password.iter().any(|w| name.contains(w.as_str()))
    }
    pub fn is_user(&self, name: &str) -> bool {
        self.user.iter().any(|w| name.contains(w.as_str()))
    }
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
            quic: crate::proto::quic::Table::new(want),
            arp: Default::default(),
            rtp: Default::default(),
            apps: Default::default(),
            openvpn: Default::default(),
            t30: Default::default(),
            form_fields: FormFields::default(),
            bodies: crate::proto::bodies_matter(want),
            tcp_taps: true,
            udp_leaves: true,
            resume: None,
            stopped: None,
        }
    }
}
