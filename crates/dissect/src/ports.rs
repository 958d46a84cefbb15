//! tshark's port tables: which dissector a TCP or UDP port hands its payload to before any
//! heuristic runs (`tshark -G decodes`, saved by `data/make-ports.sh`).

use std::sync::OnceLock;

fn parse(src: &'static str) -> Vec<(u16, &'static str)> {
    let mut v: Vec<(u16, &'static str)> = src
        .lines()
        .filter_map(|l| {
            let (p, name) = l.split_once('\t')?;
            Some((p.parse().ok()?, name))
        })
        .collect();
    v.sort_unstable();
    v
}

fn find(t: &[(u16, &'static str)], port: u16) -> Option<&'static str> {
    t.binary_search_by_key(&port, |e| e.0).ok().map(|i| t[i].1)
}

/// The dissector tshark registers on a TCP port.
pub fn tcp(port: u16) -> Option<&'static str> {
    static T: OnceLock<Vec<(u16, &'static str)>> = OnceLock::new();
    find(T.get_or_init(|| parse(include_str!("../data/tcp-ports.tsv"))), port)
}

/// The dissector tshark registers on a UDP port.
pub fn udp(port: u16) -> Option<&'static str> {
    static T: OnceLock<Vec<(u16, &'static str)>> = OnceLock::new();
    find(T.get_or_init(|| parse(include_str!("../data/udp-ports.tsv"))), port)
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_ports() {
        assert_eq!(super::tcp(80), Some("http"));
        assert_eq!(super::tcp(443), Some("tls"));
        assert_eq!(super::tcp(21), Some("ftp"));
        assert_eq!(super::udp(53), Some("dns"));
        assert_eq!(super::tcp(1), None);
    }
}
