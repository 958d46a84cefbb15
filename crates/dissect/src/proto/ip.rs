//! IPv4.
pub static PROTO_VALS: &[(u64, &str)] = &[(1, "ICMP"), (2, "IGMP"), (4, "IPIP"), (6, "TCP"), (17, "UDP"), (41, "IPv6"), (47, "GRE"), (50, "ESP"), (51, "AH"), (58, "IPv6-ICMP"), (132, "SCTP")];
crate::declare_fields! {
    after = super::eth::END;
    PROTO = "ip", "Internet Protocol Version 4", Protocol, None;
    VERSION = "ip.version", "Version", U8, Dec, mask = 0xf0;
    HDR_LEN = "ip.hdr_len", "Header Length", U8, Dec, mask = 0x0f;
    DSFIELD = "ip.dsfield", "Differentiated Services Field", U8, Hex;
    DSCP = "ip.dsfield.dscp", "Differentiated Services Codepoint", U8, Dec, mask = 0xfc;
    ECN = "ip.dsfield.ecn", "Explicit Congestion Notification", U8, Dec, mask = 0x03;
    LEN = "ip.len", "Total Length", U16, Dec;
    ID = "ip.id", "Identification", U16, Hex;
    FLAGS = "ip.flags", "Flags", U8, Hex, mask = 0xe0;
    FLAGS_RB = "ip.flags.rb", "Reserved bit", Boolean, None, mask = 0x80, tfs = ("Set", "Not set");
    FLAGS_DF = "ip.flags.df", "Don't fragment", Boolean, None, mask = 0x40, tfs = ("Set", "Not set");
    FLAGS_MF = "ip.flags.mf", "More fragments", Boolean, None, mask = 0x20, tfs = ("Set", "Not set");
    FRAG_OFFSET = "ip.frag_offset", "Fragment Offset", U16, Dec, mask = 0x1fff;
    TTL = "ip.ttl", "Time to Live", U8, Dec;
    PROTO_ = "ip.proto", "Protocol", U8, Dec, vals = PROTO_VALS;
    CHECKSUM = "ip.checksum", "Header Checksum", U16, Hex;
    CHECKSUM_STATUS = "ip.checksum.status", "Header checksum status", U8, None;
    SRC = "ip.src", "Source Address", Ipv4, None;
    ADDR = "ip.addr", "Source or Destination Address", Ipv4, None;
    SRC_HOST = "ip.src_host", "Source Host", String, None;
    HOST = "ip.host", "Source or Destination Host", String, None;
    DST = "ip.dst", "Destination Address", Ipv4, None;
    DST_HOST = "ip.dst_host", "Destination Host", String, None;
}
