//! TCP.
crate::declare_fields! {
    after = super::ip::END;
    PROTO = "tcp", "Transmission Control Protocol", Protocol, None;
    SRCPORT = "tcp.srcport", "Source Port", U16, Dec;
    DSTPORT = "tcp.dstport", "Destination Port", U16, Dec;
    PORT = "tcp.port", "Source or Destination Port", U16, Dec;
    STREAM = "tcp.stream", "Stream index", U32, Dec;
    LEN = "tcp.len", "TCP Segment Len", U32, Dec;
    SEQ = "tcp.seq", "Sequence Number", U32, Dec;
    ACK = "tcp.ack", "Acknowledgment Number", U32, Dec;
    FLAGS = "tcp.flags", "Flags", U16, Hex, mask = 0x0fff;
    FLAGS_SYN = "tcp.flags.syn", "Syn", Boolean, None, mask = 0x0002, tfs = ("Set", "Not set");
    FLAGS_ACK = "tcp.flags.ack", "Acknowledgment", Boolean, None, mask = 0x0010, tfs = ("Set", "Not set");
    WINDOW_SIZE_VALUE = "tcp.window_size_value", "Window", U16, Dec;
    PAYLOAD = "tcp.payload", "TCP payload", Bytes, None;
}
