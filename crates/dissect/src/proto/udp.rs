//! UDP.
crate::declare_fields! {
    after = super::tcp::END;
    PROTO = "udp", "User Datagram Protocol", Protocol, None;
    SRCPORT = "udp.srcport", "Source Port", U16, Dec;
    DSTPORT = "udp.dstport", "Destination Port", U16, Dec;
    PORT = "udp.port", "Source or Destination Port", U16, Dec;
    LENGTH = "udp.length", "Length", U16, Dec;
    STREAM = "udp.stream", "Stream index", U32, Dec;
}
