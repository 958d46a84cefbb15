//! One module per protocol. Each declares its fields with `declare_fields!` (the first
//! entry being the protocol itself; a module may declare sub-protocols) and a `dissect`
//! function taking the context, the bytes and where its header starts.

pub mod ah;
pub mod arp;
pub mod bgp;
pub mod chdlc;
pub mod cmd;
pub mod data;
pub mod dcerpc;
pub mod dhcp;
pub mod dhcpv6;
pub mod dns;
pub mod erspan;
pub mod esp;
pub mod eth;
pub mod fr;
pub mod ftp;
pub mod ftp_data;
pub mod frame;
pub mod geneve;
pub mod gre;
pub mod gssapi;
pub mod gtp;
pub mod http;
pub mod imap;
pub mod icmp;
pub mod imf;
pub mod ieee8021ah;
pub mod icmpv6;
pub mod ieee8021ad;
pub mod ip;
pub mod ipv6;
pub mod kerberos;
pub mod l2tp;
pub mod ldap;
pub mod llc;
pub mod media;
pub mod mpls;
pub mod mqtt;
pub mod nbdgm;
pub mod nbns;
pub mod nbss;
pub mod nflog;
pub mod nsh;
pub mod ntlmssp;
pub mod null;
pub mod ppi;
pub mod pgsql;
pub mod pop;
pub mod ppp;
pub mod pppoe;
pub mod quic;
pub mod radiotap;
pub mod raw;
pub mod sll;
pub mod smb;
pub mod smb2;
pub mod smtp;
pub mod snmp;
pub mod socks;
pub mod ssh;
pub mod spnego;
pub mod tcp;
pub mod tftp;
pub mod tds;
pub mod telnet;
pub mod teredo;
pub mod tls;
pub mod udp;
pub mod vlan;
pub mod vntag;
pub mod vxlan;
pub mod igmp;
pub mod stp;
pub mod gvrp;
pub mod ntp;
pub mod cdp;
pub mod dtp;
pub mod udld;
pub mod lldp;
pub mod eapol;
pub mod hsrp;
pub mod bfd;
pub mod radius;
pub mod wlan;
pub mod x509;
pub mod ospf;
pub mod vrrp;
pub mod pim;
pub mod rsvp;
pub mod pgm;
pub mod ipcomp;
pub mod mipv6;
pub mod wol;
pub mod bofl;
pub mod macsec;
pub mod hsr;
pub mod epl_v1;
pub mod aoe;
pub mod slow;
pub mod ethloop;
pub mod msnlb;
pub mod ipx;
pub mod netbios;
pub mod lcp;
pub mod usb;
pub mod i2c;
pub mod arcnet;
pub mod nhrp;
pub mod sctp;
pub mod m3ua;
pub mod wpan;
pub mod infiniband;
pub mod sip;
pub mod sdp;
pub mod rtp;
pub mod mgcp;
pub mod syslog;
pub mod rtps;
pub mod apps;
pub mod dis;
pub mod ptp;
pub mod papi;
pub mod eap;
pub mod pana;
pub mod dhcpfo;
pub mod nntp;
pub mod mysql;
pub mod resp;
pub mod ctdb;
pub mod gquic;
pub mod db_lsp_disc;
pub mod rpc;
pub mod iwarp;
pub mod sflow;
pub mod tivoconnect;
pub mod mndp;
pub mod lsd;
pub mod steam_ihs_discovery;
pub mod olsr;
pub mod lwres;
pub mod udt;
pub mod hcrt;
pub mod tipc;
pub mod doip;
pub mod sbus;
pub mod isakmp;
pub mod udpencap;
pub mod uds;
pub mod irc;
pub mod tpm;
pub mod gryphon;
pub mod netsync;
pub mod pcp;
pub mod rpkirtr;
pub mod wow;
pub mod mbtcp;
pub mod vnc;
pub mod kafka;
pub mod tpkt;
pub mod tns;
pub mod proxy;
pub mod afp;
pub mod brdwlk;
pub mod ymsg;
pub mod diameter;
pub mod msnms;
pub mod asap;
pub mod cups;
pub mod rfc2190;
pub mod openvpn;
pub mod lisp;
pub mod stun;
pub mod dtls;
pub mod cldap;
pub mod t30;
pub mod websocket;
pub mod finger;
pub mod ldp;
pub mod synphasor;
pub mod bittorrent;
pub mod cfp;
pub mod ajp13;
pub mod xmpp;

/// Every protocol's field block, in id order (each module's `after =` names the previous).
pub static ALL_FIELDS: &[(u16, &[crate::field::FieldDef])] = &[
    (frame::BASE, frame::FIELDS),
    (eth::BASE, eth::FIELDS),
    (vlan::BASE, vlan::FIELDS),
    (llc::BASE, llc::FIELDS),
    (arp::BASE, arp::FIELDS),
    (ip::BASE, ip::FIELDS),
    (ipv6::BASE, ipv6::FIELDS),
    (icmp::BASE, icmp::FIELDS),
    (icmpv6::BASE, icmpv6::FIELDS),
    (tcp::BASE, tcp::FIELDS),
    (udp::BASE, udp::FIELDS),
    (vxlan::BASE, vxlan::FIELDS),
    (gre::BASE, gre::FIELDS),
    (data::BASE, data::FIELDS),
    (radiotap::BASE, radiotap::FIELDS),
    (wlan::BASE, wlan::FIELDS),
    (sll::BASE, sll::FIELDS),
    (null::BASE, null::FIELDS),
    (raw::BASE, raw::FIELDS),
    (ppp::BASE, ppp::FIELDS),
    (vntag::BASE, vntag::FIELDS),
    (pppoe::BASE, pppoe::FIELDS),
    (ah::BASE, ah::FIELDS),
    (esp::BASE, esp::FIELDS),
    (teredo::BASE, teredo::FIELDS),
    (geneve::BASE, geneve::FIELDS),
    (gtp::BASE, gtp::FIELDS),
    (chdlc::BASE, chdlc::FIELDS),
    (fr::BASE, fr::FIELDS),
    (nflog::BASE, nflog::FIELDS),
    (ieee8021ad::BASE, ieee8021ad::FIELDS),
    (mpls::BASE, mpls::FIELDS),
    (nsh::BASE, nsh::FIELDS),
    (cmd::BASE, cmd::FIELDS),
    (erspan::BASE, erspan::FIELDS),
    (l2tp::BASE, l2tp::FIELDS),
    (dns::BASE, dns::FIELDS),
    (ieee8021ah::BASE, ieee8021ah::FIELDS),
    (ppi::BASE, ppi::FIELDS),
    (http::BASE, http::FIELDS),
    (ftp::BASE, ftp::FIELDS),
    (nbss::BASE, nbss::FIELDS),
    (smb2::BASE, smb2::FIELDS),
    (tls::BASE, tls::FIELDS),
    (ntlmssp::BASE, ntlmssp::FIELDS),
    (pop::BASE, pop::FIELDS),
    (imap::BASE, imap::FIELDS),
    (smtp::BASE, smtp::FIELDS),
    (snmp::BASE, snmp::FIELDS),
    (ldap::BASE, ldap::FIELDS),
    (kerberos::BASE, kerberos::FIELDS),
    (ftp_data::BASE, ftp_data::FIELDS),
    (tftp::BASE, tftp::FIELDS),
    (quic::BASE, quic::FIELDS),
    (imf::BASE, imf::FIELDS),
    (media::BASE, media::FIELDS),
    (dhcp::BASE, dhcp::FIELDS),
    (dhcpv6::BASE, dhcpv6::FIELDS),
    (nbns::BASE, nbns::FIELDS),
    (nbdgm::BASE, nbdgm::FIELDS),
    (mqtt::BASE, mqtt::FIELDS),
    (pgsql::BASE, pgsql::FIELDS),
    (bgp::BASE, bgp::FIELDS),
    (ssh::BASE, ssh::FIELDS),
    (telnet::BASE, telnet::FIELDS),
    (socks::BASE, socks::FIELDS),
    (igmp::BASE, igmp::FIELDS),
    (stp::BASE, stp::FIELDS),
    (gvrp::BASE, gvrp::FIELDS),
    (ntp::BASE, ntp::FIELDS),
    (cdp::BASE, cdp::FIELDS),
    (dtp::BASE, dtp::FIELDS),
    (udld::BASE, udld::FIELDS),
    (lldp::BASE, lldp::FIELDS),
    (eapol::BASE, eapol::FIELDS),
    (hsrp::BASE, hsrp::FIELDS),
    (bfd::BASE, bfd::FIELDS),
    (radius::BASE, radius::FIELDS),
    (smb::BASE, smb::FIELDS),
    (gssapi::BASE, gssapi::FIELDS),
    (spnego::BASE, spnego::FIELDS),
    (dcerpc::BASE, dcerpc::FIELDS),
    (x509::BASE, x509::FIELDS),
    (ospf::BASE, ospf::FIELDS),
    (vrrp::BASE, vrrp::FIELDS),
    (pim::BASE, pim::FIELDS),
    (rsvp::BASE, rsvp::FIELDS),
    (pgm::BASE, pgm::FIELDS),
    (ipcomp::BASE, ipcomp::FIELDS),
    (mipv6::BASE, mipv6::FIELDS),
    (wol::BASE, wol::FIELDS),
    (bofl::BASE, bofl::FIELDS),
    (macsec::BASE, macsec::FIELDS),
    (hsr::BASE, hsr::FIELDS),
    (epl_v1::BASE, epl_v1::FIELDS),
    (aoe::BASE, aoe::FIELDS),
    (slow::BASE, slow::FIELDS),
    (ethloop::BASE, ethloop::FIELDS),
    (msnlb::BASE, msnlb::FIELDS),
    (ipx::BASE, ipx::FIELDS),
    (netbios::BASE, netbios::FIELDS),
    (lcp::BASE, lcp::FIELDS),
    (usb::BASE, usb::FIELDS),
    (i2c::BASE, i2c::FIELDS),
    (arcnet::BASE, arcnet::FIELDS),
    (nhrp::BASE, nhrp::FIELDS),
    (sctp::BASE, sctp::FIELDS),
    (m3ua::BASE, m3ua::FIELDS),
    (wpan::BASE, wpan::FIELDS),
    (infiniband::BASE, infiniband::FIELDS),
    (sip::BASE, sip::FIELDS),
    (sdp::BASE, sdp::FIELDS),
    (rtp::BASE, rtp::FIELDS),
    (mgcp::BASE, mgcp::FIELDS),
    (syslog::BASE, syslog::FIELDS),
    (rtps::BASE, rtps::FIELDS),
    (dis::BASE, dis::FIELDS),
    (ptp::BASE, ptp::FIELDS),
    (papi::BASE, papi::FIELDS),
    (eap::BASE, eap::FIELDS),
    (pana::BASE, pana::FIELDS),
    (dhcpfo::BASE, dhcpfo::FIELDS),
    (nntp::BASE, nntp::FIELDS),
    (mysql::BASE, mysql::FIELDS),
    (resp::BASE, resp::FIELDS),
    (ctdb::BASE, ctdb::FIELDS),
    (gquic::BASE, gquic::FIELDS),
    (db_lsp_disc::BASE, db_lsp_disc::FIELDS),
    (rpc::BASE, rpc::FIELDS),
    (iwarp::BASE, iwarp::FIELDS),
    (sflow::BASE, sflow::FIELDS),
    (tivoconnect::BASE, tivoconnect::FIELDS),
    (mndp::BASE, mndp::FIELDS),
    (lsd::BASE, lsd::FIELDS),
    (steam_ihs_discovery::BASE, steam_ihs_discovery::FIELDS),
    (olsr::BASE, olsr::FIELDS),
    (lwres::BASE, lwres::FIELDS),
    (udt::BASE, udt::FIELDS),
    (hcrt::BASE, hcrt::FIELDS),
    (tipc::BASE, tipc::FIELDS),
    (doip::BASE, doip::FIELDS),
    (sbus::BASE, sbus::FIELDS),
    (isakmp::BASE, isakmp::FIELDS),
    (udpencap::BASE, udpencap::FIELDS),
    (uds::BASE, uds::FIELDS),
    (irc::BASE, irc::FIELDS),
    (tpm::BASE, tpm::FIELDS),
    (gryphon::BASE, gryphon::FIELDS),
    (netsync::BASE, netsync::FIELDS),
    (pcp::BASE, pcp::FIELDS),
    (rpkirtr::BASE, rpkirtr::FIELDS),
    (wow::BASE, wow::FIELDS),
    (mbtcp::BASE, mbtcp::FIELDS),
    (vnc::BASE, vnc::FIELDS),
    (kafka::BASE, kafka::FIELDS),
    (tpkt::BASE, tpkt::FIELDS),
    (tns::BASE, tns::FIELDS),
    (proxy::BASE, proxy::FIELDS),
    (afp::BASE, afp::FIELDS),
    (brdwlk::BASE, brdwlk::FIELDS),
    (tds::BASE, tds::FIELDS),
    (ymsg::BASE, ymsg::FIELDS),
    (diameter::BASE, diameter::FIELDS),
    (msnms::BASE, msnms::FIELDS),
    (asap::BASE, asap::FIELDS),
    (cups::BASE, cups::FIELDS),
    (rfc2190::BASE, rfc2190::FIELDS),
    (openvpn::BASE, openvpn::FIELDS),
    (lisp::BASE, lisp::FIELDS),
    (stun::BASE, stun::FIELDS),
    (dtls::BASE, dtls::FIELDS),
    (cldap::BASE, cldap::FIELDS),
    (t30::BASE, t30::FIELDS),
    (websocket::BASE, websocket::FIELDS),
    (finger::BASE, finger::FIELDS),
    (ldp::BASE, ldp::FIELDS),
    (synphasor::BASE, synphasor::FIELDS),
    (bittorrent::BASE, bittorrent::FIELDS),
    (cfp::BASE, cfp::FIELDS),
    (ajp13::BASE, ajp13::FIELDS),
    (xmpp::BASE, xmpp::FIELDS),
];

/// Bits of [`tcp_apps_needed`]: the application protocols a TCP conversation may carry,
/// as tshark picks them (by port, then by heuristics).
pub mod tcp_app {
    pub const HTTP: u16 = 1;
    pub const TLS: u16 = 2;
    pub const DNS: u16 = 4;
    pub const FTP: u16 = 8;
    pub const POP: u16 = 16;
    pub const IMAP: u16 = 32;
    pub const SMTP: u16 = 64;
    pub const NBSS: u16 = 128;
    /// Read only for credentials (pcap-creds); data otherwise.
    pub const LDAP: u16 = 256;
    pub const KERBEROS: u16 = 512;
    pub const TELNET: u16 = 1024;
    pub const TDS: u16 = 2048;
    /// A port of any other dissector.
    pub const OTHER: u16 = 4096;
    /// Read only for credentials (pcap-creds): MySQL, PostgreSQL, Redis, SOCKS, SIP, IRC.
    pub const LOGINS: u16 = 8192;

    /// The bit of a dissector name of `ports::tcp`.
    pub fn of(name: &str) -> u16 {
        match name {
            "http" => HTTP,
            "tls" => TLS,
            "dns" => DNS,
            "ftp" => FTP,
            "pop" => POP,
            "imap" => IMAP,
            "smtp" => SMTP,
            "nbss" => NBSS,
            "ldap" => LDAP,
            "kerberos" => KERBEROS,
            "telnet" => TELNET,
            "tds" => TDS,
            "mysql" | "pgsql" | "resp" | "socks" | "sip" | "irc" => LOGINS,
            _ => OTHER,
        }
    }
}

/// Which TCP application protocols a command's fields need ([`tcp_app`] bits), so that TCP
/// can leave alone the conversations that cannot carry them (no state, no reassembly).
/// `None` means every conversation: `frame.protocols`, TCP's reassembly fields, `data`, or
/// a protocol this function does not place (the safe default for anything new).
pub fn tcp_apps_needed(want: &[bool]) -> Option<u16> {
    use tcp_app::*;
    // Protocols that never ride on TCP: they need no conversation.
    let below: &[(u16, usize)] = &[
        (frame::BASE, frame::FIELDS.len()),
        (eth::BASE, eth::FIELDS.len()),
        (vlan::BASE, vlan::FIELDS.len()),
        (llc::BASE, llc::FIELDS.len()),
        (arp::BASE, arp::FIELDS.len()),
        (ip::BASE, ip::FIELDS.len()),
        (ipv6::BASE, ipv6::FIELDS.len()),
        (icmp::BASE, icmp::FIELDS.len()),
        (icmpv6::BASE, icmpv6::FIELDS.len()),
        (udp::BASE, udp::FIELDS.len()),
        (vxlan::BASE, vxlan::FIELDS.len()),
        (gre::BASE, gre::FIELDS.len()),
        (radiotap::BASE, radiotap::FIELDS.len()),
        (wlan::BASE, wlan::FIELDS.len()),
        (sll::BASE, sll::FIELDS.len()),
        (null::BASE, null::FIELDS.len()),
        (raw::BASE, raw::FIELDS.len()),
        (ppp::BASE, ppp::FIELDS.len()),
        (vntag::BASE, vntag::FIELDS.len()),
        (pppoe::BASE, pppoe::FIELDS.len()),
        (ah::BASE, ah::FIELDS.len()),
        (esp::BASE, esp::FIELDS.len()),
        (teredo::BASE, teredo::FIELDS.len()),
        (geneve::BASE, geneve::FIELDS.len()),
        (gtp::BASE, gtp::FIELDS.len()),
        (chdlc::BASE, chdlc::FIELDS.len()),
        (fr::BASE, fr::FIELDS.len()),
        (nflog::BASE, nflog::FIELDS.len()),
        (ieee8021ad::BASE, ieee8021ad::FIELDS.len()),
        (mpls::BASE, mpls::FIELDS.len()),
        (nsh::BASE, nsh::FIELDS.len()),
        (cmd::BASE, cmd::FIELDS.len()),
        (erspan::BASE, erspan::FIELDS.len()),
        (l2tp::BASE, l2tp::FIELDS.len()),
        (ieee8021ah::BASE, ieee8021ah::FIELDS.len()),
        (ppi::BASE, ppi::FIELDS.len()),
        (tftp::BASE, tftp::FIELDS.len()),
        (cfp::BASE, cfp::FIELDS.len()),
        // TCP's own header fields (its reassembly fields from `tcp.payload` on are not).
        (tcp::BASE, (tcp::PAYLOAD.0 - tcp::BASE) as usize),
    ];
    // Application protocols, with the carriers they can appear in (TLS after STARTTLS or
    // an HTTP CONNECT; mail bodies in the three mail protocols; media in HTTP and mail).
    let apps: &[(u16, usize, u16)] = &[
        (dns::BASE, dns::FIELDS.len(), DNS),
        (http::BASE, http::FIELDS.len(), HTTP),
        (tls::BASE, tls::FIELDS.len(), TLS | HTTP | FTP | POP | IMAP | SMTP),
        (x509::BASE, x509::FIELDS.len(), TLS | HTTP | FTP | POP | IMAP | SMTP),
        (ftp::BASE, ftp::FIELDS.len(), FTP),
        (pop::BASE, pop::FIELDS.len(), POP),
        (imap::BASE, imap::FIELDS.len(), IMAP),
        (smtp::BASE, smtp::FIELDS.len(), SMTP),
        (nbss::BASE, nbss::FIELDS.len(), NBSS),
        (smb2::BASE, smb2::FIELDS.len(), NBSS),
        (smb::BASE, smb::FIELDS.len(), NBSS),
        (imf::BASE, imf::FIELDS.len(), SMTP | POP | IMAP),
        (media::BASE, media::FIELDS.len(), HTTP | SMTP | POP | IMAP),
    ];
    let inside = |id: usize, base: u16, n: usize| id >= base as usize && id < base as usize + n;
    let mut mask = 0;
    for (id, _) in want.iter().enumerate().filter(|(_, &w)| w) {
        if id == frame::PROTOCOLS.index() {
            return None;
        }
        if below.iter().any(|&(b, n)| inside(id, b, n)) {
            continue;
        }
        mask |= apps.iter().find(|&&(b, n, _)| inside(id, b, n))?.2;
    }
    Some(mask)
}

/// True when every wanted field belongs to the link, network or transport layer (or a
/// tunnel carrying them): TCP and UDP payloads need dissecting only as far as they decide
/// where a tunnel is.
pub fn transport_only(want: &[bool]) -> bool {
    let tftp = want.get(tftp::BASE as usize..tftp::BASE as usize + tftp::FIELDS.len()).is_some_and(|w| w.contains(&true));
    tcp_apps_needed(want) == Some(0) && !tftp
}

/// True when what an HTTP body holds can change a command's output: it wants
/// `frame.protocols`, or a field of any protocol but the frame's own fields, HTTP and the
/// layers under it (Ethernet, IPv4, IPv6, TCP, UDP) and TLS (which only TCP, QUIC,
/// OpenVPN, a proxy header and an HTTP tunnel hand data to, never a body), since a body
/// may hold almost any protocol (media types, multipart parts, mail, certificates, data).
/// Exports are checked where bodies are read (`media::body`); no tap record comes from
/// inside a body.
pub fn bodies_matter(want: &[bool]) -> bool {
    let t = crate::field::table();
    let outside =
        [frame::PROTO, eth::PROTO, ip::PROTO, ipv6::PROTO, tcp::PROTO, udp::PROTO, http::PROTO, tls::PROTO];
    want.get(frame::PROTOCOLS.index()).copied().unwrap_or(false)
        || want.iter().enumerate().any(|(i, &w)| w && !outside.contains(&t.parent[i]))
}

/// True when a command needs application protocols carried over TCP (so TCP keeps
/// conversation state and reassembles PDUs): a field of one, a field TCP shows for
/// reassembled PDUs, or `frame.protocols`.
pub fn app_fields_wanted(want: &[bool]) -> bool {
    let any = |base: u16, n: usize| want.get(base as usize..base as usize + n).is_some_and(|w| w.iter().any(|&x| x));
    let one = |id: crate::field::FieldId| want.get(id.index()).copied().unwrap_or(false);
    one(frame::PROTOCOLS)
        || any(http::BASE, http::FIELDS.len())
        || any(ftp::BASE, ftp::FIELDS.len())
        || any(nbss::BASE, nbss::FIELDS.len())
        || any(smb2::BASE, smb2::FIELDS.len())
        || any(smb::BASE, smb::FIELDS.len())
        || any(dns::BASE, dns::FIELDS.len())
        || any(tls::BASE, tls::FIELDS.len())
        || any(x509::BASE, x509::FIELDS.len())
        || any(ntlmssp::BASE, ntlmssp::FIELDS.len())
        || any(pop::BASE, pop::FIELDS.len())
        || any(imap::BASE, imap::FIELDS.len())
        || any(smtp::BASE, smtp::FIELDS.len())
        || any(ftp_data::BASE, ftp_data::FIELDS.len())
        || any(quic::BASE, quic::FIELDS.len())
        || any(mqtt::BASE, mqtt::FIELDS.len())
        || any(pgsql::BASE, pgsql::FIELDS.len())
        || any(bgp::BASE, bgp::FIELDS.len())
        || any(ssh::BASE, ssh::FIELDS.len())
        || any(telnet::BASE, telnet::FIELDS.len())
        || any(socks::BASE, socks::FIELDS.len())
        || any(sip::BASE, sip::FIELDS.len())
        || any(sdp::BASE, sdp::FIELDS.len())
        || any(ldap::BASE, ldap::FIELDS.len())
        || any(kerberos::BASE, kerberos::FIELDS.len())
        || any(doip::BASE, doip::FIELDS.len() + uds::FIELDS.len())
        || apps::tcp_fields().into_iter().any(|(b, n)| any(b, n))
        || [tcp::SEGMENT, tcp::SEGMENTS, tcp::SEGMENT_COUNT, tcp::REASSEMBLED_LENGTH, tcp::REASSEMBLED_DATA].into_iter().any(one)
}
