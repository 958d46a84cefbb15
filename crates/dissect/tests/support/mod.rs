//! Frames written by hand and the dissection the protocol tests share: build an Ethernet,
//! 802.3, IPv4 or UDP frame, dissect it wanting `frame.protocols` and some fields, and get
//! the values as `-T fields` renders them; or follow one TCP connection ([`Conn`]) and see
//! what each segment showed.
#![allow(dead_code)]

use pcaptk_dissect::tree::render_field;
use pcaptk_dissect::{field, lookup, tree, Dissector, FrameMeta, Tree};

/// Dissects one frame of `linktype` wanting `frame.protocols` and `names`; returns the chain
/// and each field's values joined by commas.
pub fn dissect_link(frame: &[u8], linktype: u32, names: &[&str]) -> (String, Vec<String>) {
    let ids: Vec<_> = names.iter().map(|n| field::lookup(n).unwrap_or_else(|| panic!("{n}"))).collect();
    let protocols = field::lookup("frame.protocols").unwrap();
    let mut d = Dissector::new(ids.iter().copied().chain([protocols]));
    let mut t = Tree::default();
    let meta = FrameMeta::synthetic(1, 0, frame.len() as u32, linktype);
    d.dissect(&meta, frame, &mut t);
    let view = t.view(frame);
    let render = |id| {
        let mut vals = Vec::new();
        for item in view.iter(id) {
            let mut s = String::new();
            tree::render_field(&view, item, &mut s);
            vals.push(s);
        }
        vals.join(",")
    };
    (render(protocols), ids.iter().map(|&id| render(id)).collect())
}

/// [`dissect_link`] for an Ethernet frame.
pub fn dissect(frame: &[u8], names: &[&str]) -> (String, Vec<String>) {
    dissect_link(frame, 1, names)
}

/// Every prefix of the frame dissects without a panic.
pub fn prefixes(frame: &[u8], linktype: u32) {
    for n in 0..frame.len() {
        dissect_link(&frame[..n], linktype, &["frame.protocols"]);
    }
}

/// An Ethernet II frame of `etype`.
pub fn eth2(etype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
    f.extend_from_slice(&etype.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// An 802.3 frame to `dst` carrying `llc` (LLC header and payload).
pub fn dot3(dst: [u8; 6], llc: &[u8]) -> Vec<u8> {
    let mut f = dst.to_vec();
    f.extend_from_slice(&[0x00, 0x11, 0x22, 0x33, 0x44, 0x55]);
    f.extend_from_slice(&(llc.len() as u16).to_be_bytes());
    f.extend_from_slice(llc);
    f
}

/// An IPv4 frame (no options, checksum left 0) of protocol `proto`, 10.0.0.1 to 10.0.0.2.
pub fn ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
    let mut ip = vec![0x45, 0, 0, 0, 0, 1, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
    let len = (20 + payload.len()) as u16;
    ip[2..4].copy_from_slice(&len.to_be_bytes());
    ip.extend_from_slice(payload);
    eth2(0x0800, &ip)
}

/// An IPv4/UDP frame between the two ports.
pub fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut u = sport.to_be_bytes().to_vec();
    u.extend_from_slice(&dport.to_be_bytes());
    u.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(payload);
    ipv4(17, &u)
}

/// The IPv4 addresses of [`Conn`]'s client and server.
pub const CLIENT: [u8; 4] = [10, 0, 0, 1];
pub const SERVER: [u8; 4] = [10, 0, 0, 2];

/// One TCP connection's data segments (the handshake is left out: the first segment of
/// each direction starts its relative numbering).
pub struct Conn {
    d: Dissector,
    tree: Tree,
    frame: u32,
    cport: u16,
    sport: u16,
    seq: [u32; 2],
    fields: Vec<&'static str>,
}

/// What one frame showed: `frame.protocols`, the `io,phs` path, and each asked field's
/// values joined by commas.
pub struct Shown {
    pub protocols: String,
    pub path: Vec<&'static str>,
    pub values: Vec<String>,
}

impl Conn {
    pub fn new(cport: u16, sport: u16, fields: &[&'static str]) -> Conn {
        let mut all = vec!["frame.protocols"];
        all.extend_from_slice(fields);
        let d = Dissector::new(all.iter().map(|n| lookup(n).expect("known field")));
        Conn { d, tree: Tree::default(), frame: 0, cport, sport, seq: [1000, 5000], fields: all }
    }

    /// Like [`Conn::new`] without `frame.protocols` (which makes every layer dissected): the
    /// command wants only `fields`; [`Shown::protocols`] is then the frame number.
    pub fn without_protocols(cport: u16, sport: u16, fields: &[&'static str]) -> Conn {
        let mut c = Conn::new(cport, sport, fields);
        c.fields[0] = "frame.number";
        c.d = Dissector::new(c.fields.iter().map(|n| lookup(n).expect("known field")));
        c
    }

    /// Bytes TCP reassembly holds for unfinished PDUs.
    pub fn reassembly_bytes(&self) -> usize {
        self.d.reassembly_bytes()
    }

    /// Sends `payload` from the client (`to_server`) or from the server.
    pub fn send(&mut self, to_server: bool, payload: &[u8]) -> Shown {
        let (src, dst, sp, dp, dir) = if to_server {
            (CLIENT, SERVER, self.cport, self.sport, 0)
        } else {
            (SERVER, CLIENT, self.sport, self.cport, 1)
        };
        let mut f = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00];
        let total = (40 + payload.len()) as u16;
        f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 6, 0, 0]);
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        f.extend_from_slice(&sp.to_be_bytes());
        f.extend_from_slice(&dp.to_be_bytes());
        f.extend_from_slice(&self.seq[dir].to_be_bytes());
        f.extend_from_slice(&self.seq[1 - dir].to_be_bytes());
        f.extend_from_slice(&[0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
        f.extend_from_slice(payload);
        self.seq[dir] = self.seq[dir].wrapping_add(payload.len() as u32);
        self.frame += 1;
        let meta = FrameMeta {
            number: self.frame,
            ts_ns: self.frame as i64 * 1_000_000,
            ts_sec: 0,
            ts_nsec: 0,
            len: f.len() as u32,
            linktype: 1,
            interface_id: 0,
            has_interface: false,
            interface_name: "",
            comments: &[],
        };
        self.d.dissect(&meta, &f, &mut self.tree);
        let view = self.tree.view(&f);
        let mut values = Vec::new();
        for name in &self.fields {
            let id = lookup(name).expect("known field");
            let mut line = String::new();
            for item in view.items.iter().filter(|i| i.id == id) {
                if !line.is_empty() {
                    line.push(',');
                }
                render_field(&view, item, &mut line);
            }
            values.push(line);
        }
        let protocols = values.remove(0);
        Shown { protocols, path: self.d.protocol_path().to_vec(), values }
    }
}

pub const TCP: &str = "eth:ethertype:ip:tcp";
