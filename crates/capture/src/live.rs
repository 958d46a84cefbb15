//! Live capture from network interfaces through libpcap (loaded at run time,
//! see `libpcap.rs`): the same [`Packet`]s a file gives, so every tool's read
//! loop works unchanged.
//!
//! Several interfaces are read round-robin; each handle is non-blocking and
//! the reader sleeps in `poll(2)` on all of them. The capture ends (the
//! source returns end-of-stream, so each tool finishes normally and prints
//! its statistics) when SIGINT/SIGTERM arrives, when the `-a duration:N`
//! deadline passes, or when an interface goes away.

use crate::error::{CaptureError, ErrorKind};
use crate::libpcap::{self, Lib, PcapStat, PcapT, PktHdr};
use crate::Packet;
use std::ffi::{c_char, CString};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// What to capture, and how.
#[derive(Debug, Clone)]
pub struct LiveConfig {
    /// Interface names (or 1-based indexes into the `-D` list); `any` included.
    pub interfaces: Vec<String>,
    /// BPF capture filter (`-f`), compiled by libpcap.
    pub filter: Option<String>,
    /// Bytes kept of each packet.
    pub snaplen: u32,
    pub promisc: bool,
    /// Deliver each packet at once instead of in blocks.
    pub immediate: bool,
    /// Kernel buffer size in bytes (None: libpcap's default, 2 MiB).
    pub buffer_size: Option<u32>,
    /// Nanosecond time stamps (tshark's default); microseconds otherwise.
    pub nano: bool,
    /// Stop after this long (`-a duration:N`).
    pub duration: Option<Duration>,
    /// Print tshark's "Capturing on 'X'" at the start and "N packets
    /// captured" at the end, on stderr.
    pub announce: bool,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            interfaces: Vec::new(),
            filter: None,
            snaplen: 262_144,
            promisc: true,
            immediate: false,
            buffer_size: None,
            nano: true,
            duration: None,
            announce: true,
        }
    }
}

/// An interface as `-D` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub description: String,
    pub loopback: bool,
}

impl Interface {
    /// tshark's friendly name: "Loopback" for loopback interfaces, else the name.
    pub fn friendly(&self) -> &str {
        if self.loopback {
            "Loopback"
        } else {
            &self.name
        }
    }

    /// How tshark names the interface in "Capturing on '…'".
    pub fn display(&self) -> String {
        if self.loopback {
            format!("Loopback: {}", self.name)
        } else {
            self.name.clone()
        }
    }
}

static STOP: AtomicBool = AtomicBool::new(false);

/// Asks every live capture of this process to end (as Ctrl-C does).
pub fn request_stop() {
    STOP.store(true, Ordering::SeqCst);
}

/// True once SIGINT/SIGTERM arrived (or [`request_stop`] was called).
pub fn stop_requested() -> bool {
    STOP.load(Ordering::Relaxed)
}

extern "C" fn on_signal(_sig: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

/// Makes SIGINT, SIGTERM and SIGHUP end live captures cleanly instead of
/// killing the process. A second signal kills it as usual.
pub fn install_stop_handler() {
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: a plain sigaction with an async-signal-safe handler (one
        // atomic store); SA_RESETHAND restores the default for a second signal.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
            sa.sa_flags = libc::SA_RESETHAND;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

fn live_err(iface: &str, msg: String) -> CaptureError {
    CaptureError::new(iface, ErrorKind::Live(msg))
}

/// The interfaces libpcap can capture on, in its order (tshark's `-D`).
pub fn interfaces() -> Result<Vec<Interface>, CaptureError> {
    let lib = libpcap::lib().map_err(|m| live_err("", m))?;
    let mut errbuf = [0 as c_char; libpcap::ERRBUF_SIZE];
    let mut list = std::ptr::null_mut();
    // SAFETY: findalldevs fills `list` (freed below) or the error buffer.
    let rc = unsafe { (lib.findalldevs)(&mut list, errbuf.as_mut_ptr()) };
    if rc != 0 {
        return Err(live_err("", format!("Can't get list of interfaces: {}", libpcap::errbuf_text(&errbuf))));
    }
    let mut out = Vec::new();
    let mut p = list;
    while !p.is_null() {
        // SAFETY: p walks the list libpcap returned, which is still alive.
        let i = unsafe { &*p };
        out.push(Interface {
            name: libpcap::cstr(i.name),
            description: libpcap::cstr(i.description),
            loopback: i.flags & libpcap::IF_LOOPBACK != 0,
        });
        p = i.next;
    }
    if !list.is_null() {
        // SAFETY: list came from findalldevs.
        unsafe { (lib.freealldevs)(list) };
    }
    Ok(out)
}

/// tshark's `-D` output: `1. eth0`, `3. lo (Loopback)`, ...
pub fn format_interface_list(list: &[Interface]) -> String {
    let mut s = String::new();
    for (n, i) in list.iter().enumerate() {
        s.push_str(&format!("{}. {}", n + 1, i.name));
        if i.loopback {
            s.push_str(" (Loopback)");
        }
        s.push('\n');
    }
    s
}

/// "'a'", "'a' and 'b'", "'a', 'b' and 'c'" as tshark joins interface names.
pub fn join_names(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

struct Handle {
    p: *mut PcapT,
    info: Interface,
    linktype: u32,
    nano: bool,
    fd: libc::c_int,
}

/// Drop counts of one interface at the end of a capture (`pcap_stats`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Packets the filter accepted (libpcap's `ps_recv`).
    pub received: u64,
    /// Dropped for lack of buffer space (`ps_drop`: tcpdump's "dropped by kernel").
    pub dropped: u64,
    /// Dropped by the interface or its driver (`ps_ifdrop`).
    pub if_dropped: u64,
}

/// A running capture on one or more interfaces.
pub struct LiveCapture {
    lib: &'static Lib,
    handles: Vec<Handle>,
    pollfds: Vec<libc::pollfd>,
    deadline: Option<Instant>,
    /// Next handle to try first (round-robin).
    next: usize,
    /// The packet last returned: handle index, header and data pointers.
    current: Option<(usize, *const PktHdr, *const u8)>,
    captured: u64,
    done: bool,
    announce: bool,
    /// An error to hand out after the packets already read.
    failed: Option<CaptureError>,
}

impl std::fmt::Debug for LiveCapture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.handles.iter().map(|h| h.info.name.as_str()).collect();
        f.debug_struct("LiveCapture").field("interfaces", &names).finish_non_exhaustive()
    }
}

// SAFETY: the pcap handles are used from one thread at a time (&mut self).
unsafe impl Send for LiveCapture {}

impl LiveCapture {
    /// Opens and activates every interface, sets the filter, and installs the
    /// Ctrl-C handler. Errors carry tshark's messages.
    pub fn open(cfg: &LiveConfig) -> Result<LiveCapture, CaptureError> {
        let lib = libpcap::lib().map_err(|m| live_err("", m))?;
        if cfg.interfaces.is_empty() {
            return Err(live_err("", "no interface to capture on: give one with -i IFACE (-D lists them)".into()));
        }
        let known = interfaces().unwrap_or_default();
        let mut infos = Vec::new();
        for name in &cfg.interfaces {
            infos.push(resolve(name, &known)?);
        }
        let mut cap = LiveCapture {
            lib,
            handles: Vec::new(),
            pollfds: Vec::new(),
            deadline: None,
            next: 0,
            current: None,
            captured: 0,
            done: false,
            // Set once every interface is open: no "0 packets captured" after an open error.
            announce: false,
            failed: None,
        };
        if cfg.announce {
            let names: Vec<String> = infos.iter().map(Interface::display).collect();
            eprintln!("Capturing on {}", join_names(&names));
        }
        for info in infos {
            let h = open_one(lib, info, cfg)?;
            cap.pollfds.push(libc::pollfd { fd: h.fd, events: libc::POLLIN, revents: 0 });
            cap.handles.push(h);
        }
        install_stop_handler();
        cap.announce = cfg.announce;
        cap.deadline = cfg.duration.map(|d| Instant::now() + d);
        Ok(cap)
    }

    /// Packets returned so far.
    pub fn captured(&self) -> u64 {
        self.captured
    }

    /// The interfaces being captured on, in `-i` order.
    pub fn interfaces(&self) -> Vec<Interface> {
        self.handles.iter().map(|h| h.info.clone()).collect()
    }

    /// Link type of each interface, in `-i` order.
    pub fn linktypes(&self) -> Vec<u32> {
        self.handles.iter().map(|h| h.linktype).collect()
    }

    /// Whether time stamps are in nanoseconds (else microseconds).
    pub fn nano(&self) -> bool {
        self.handles.first().is_none_or(|h| h.nano)
    }

    /// libpcap's counters for each interface (read now).
    pub fn stats(&self) -> Vec<Stats> {
        self.handles
            .iter()
            .map(|h| {
                let mut s = PcapStat::default();
                // SAFETY: live handle, valid out-pointer.
                let rc = unsafe { (self.lib.stats)(h.p, &mut s) };
                if rc != 0 {
                    return Stats::default();
                }
                Stats { received: s.ps_recv as u64, dropped: s.ps_drop as u64, if_dropped: s.ps_ifdrop as u64 }
            })
            .collect()
    }

    /// Ends the capture: the next call of [`next_packet`](Self::next_packet)
    /// returns `Ok(None)`.
    pub fn stop(&mut self) {
        self.done = true;
    }

    /// The next packet, waiting for one; `Ok(None)` once the capture has
    /// ended (signal, duration, [`stop`](Self::stop)).
    pub fn next_packet(&mut self) -> Result<Option<Packet<'_>>, CaptureError> {
        self.current = None;
        if self.done {
            return Ok(None);
        }
        if let Some(e) = self.failed.take() {
            self.done = true;
            return Err(e);
        }
        let n = self.handles.len();
        loop {
            if stop_requested() {
                self.done = true;
                return Ok(None);
            }
            let now = Instant::now();
            if self.deadline.is_some_and(|d| now >= d) {
                self.done = true;
                return Ok(None);
            }
            for k in 0..n {
                let i = (self.next + k) % n;
                let mut hdr: *mut PktHdr = std::ptr::null_mut();
                let mut data: *const u8 = std::ptr::null();
                // SAFETY: live handle; libpcap fills both pointers on success.
                let rc = unsafe { (self.lib.next_ex)(self.handles[i].p, &mut hdr, &mut data) };
                match rc {
                    1 if !hdr.is_null() => {
                        self.next = (i + 1) % n;
                        self.captured += 1;
                        self.current = Some((i, hdr, data));
                        return Ok(Some(self.packet()));
                    }
                    1 | 0 => {}
                    -2 => {
                        self.done = true;
                        return Ok(None);
                    }
                    _ => {
                        let h = &self.handles[i];
                        // SAFETY: live handle.
                        let detail = libpcap::cstr(unsafe { (self.lib.geterr)(h.p) });
                        self.done = true;
                        return Err(live_err(
                            &h.info.name,
                            format!(
                                "Error while capturing packets: {detail}\n\
                                 The network adapter '{}' on which the capture was being done is no longer running; the capture has stopped.",
                                h.info.name
                            ),
                        ));
                    }
                }
            }
            // Nothing ready: sleep until a handle has data, a signal arrives
            // (poll returns EINTR) or 100 ms pass (to check the deadline).
            let mut wait = Duration::from_millis(100);
            if let Some(d) = self.deadline {
                wait = wait.min(d.saturating_duration_since(now));
            }
            for p in &mut self.pollfds {
                p.revents = 0;
            }
            // SAFETY: pollfds is a valid array of n entries.
            unsafe { libc::poll(self.pollfds.as_mut_ptr(), n as libc::nfds_t, wait.as_millis().max(1) as libc::c_int) };
        }
    }

    fn packet(&self) -> Packet<'_> {
        let (i, hdr, data) = self.current.expect("a packet was just read");
        let h = &self.handles[i];
        // SAFETY: hdr and data stay valid until the next pcap_next_ex on this
        // handle, which needs &mut self, so not while the Packet lives.
        let hdr = unsafe { &*hdr };
        let caplen = hdr.caplen as usize;
        let data: &[u8] = if data.is_null() || caplen == 0 {
            &[]
        } else {
            // SAFETY: libpcap hands caplen bytes at data.
            unsafe { std::slice::from_raw_parts(data, caplen) }
        };
        #[allow(clippy::useless_conversion)] // time_t is i64 on 64-bit Linux, i32 elsewhere
        let ts_sec = i64::from(hdr.tv_sec);
        let ts_nsec = if h.nano { hdr.tv_frac as u32 } else { (hdr.tv_frac as u32).wrapping_mul(1000) };
        Packet {
            ts_ns: ts_sec.wrapping_mul(1_000_000_000).wrapping_add(ts_nsec as i64),
            ts_sec,
            ts_nsec,
            has_ts: true,
            len: hdr.len,
            data,
            linktype: h.linktype,
            interface_id: i as u32,
            has_interface_id: true,
            comments: &[],
            interface_name: &h.info.name,
            ts_digits: if h.nano { 9 } else { 6 },
            pseudo_header: &[],
            mapped: None,
        }
    }
}

impl Drop for LiveCapture {
    fn drop(&mut self) {
        self.current = None;
        if self.announce {
            let n = self.captured;
            eprintln!("{} packet{} captured", n, if n == 1 { "" } else { "s" });
        }
        for h in self.handles.drain(..) {
            // SAFETY: each handle is closed once.
            unsafe { (self.lib.close)(h.p) };
        }
    }
}

/// `-i` names an interface, or its 1-based number in the `-D` list.
fn resolve(name: &str, known: &[Interface]) -> Result<Interface, CaptureError> {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
        let n: usize = name.parse().unwrap_or(0);
        return match n.checked_sub(1).and_then(|i| known.get(i)) {
            Some(i) => Ok(i.clone()),
            None if n == 0 => Err(live_err(name, "The specified capture interface index is not a positive integer".into())),
            None => Err(live_err(name, "There are fewer capture interfaces than the specified interface index; `-D` lists them".into())),
        };
    }
    Ok(known.iter().find(|i| i.name == name).cloned().unwrap_or(Interface {
        name: name.to_string(),
        description: String::new(),
        loopback: false,
    }))
}

fn open_one(lib: &'static Lib, info: Interface, cfg: &LiveConfig) -> Result<Handle, CaptureError> {
    let name = info.name.clone();
    let c_name = CString::new(name.as_str())
        .map_err(|_| live_err(&name, format!("There is no device named \"{name}\".\n(the name holds a NUL byte)")))?;
    let mut errbuf = [0 as c_char; libpcap::ERRBUF_SIZE];
    // SAFETY: valid name and error buffer.
    let p = unsafe { (lib.create)(c_name.as_ptr(), errbuf.as_mut_ptr()) };
    if p.is_null() {
        return Err(live_err(&name, format!("The capture session could not be initiated on interface '{name}' ({}).", libpcap::errbuf_text(&errbuf))));
    }
    let close = |e: CaptureError| {
        // SAFETY: p is open and not used after this.
        unsafe { (lib.close)(p) };
        e
    };
    // SAFETY (every call below): p is a live, not yet closed handle.
    unsafe {
        (lib.set_snaplen)(p, cfg.snaplen.min(i32::MAX as u32) as i32);
        (lib.set_promisc)(p, cfg.promisc as i32);
        (lib.set_timeout)(p, 100);
        (lib.set_immediate_mode)(p, cfg.immediate as i32);
        if let Some(b) = cfg.buffer_size {
            (lib.set_buffer_size)(p, b.min(i32::MAX as u32) as i32);
        }
        if cfg.nano {
            (lib.set_tstamp_precision)(p, libpcap::TSTAMP_PRECISION_NANO);
        }
    }
    // SAFETY: as above.
    let rc = unsafe { (lib.activate)(p) };
    if rc < 0 {
        // SAFETY: as above.
        let detail = libpcap::cstr(unsafe { (lib.geterr)(p) });
        let status = libpcap::cstr(unsafe { (lib.statustostr)(rc) });
        let detail = if detail.is_empty() { status.clone() } else { detail };
        let msg = match rc {
            libpcap::ERROR_NO_SUCH_DEVICE => format!("There is no device named \"{name}\".\n({status})"),
            libpcap::ERROR_PERM_DENIED | libpcap::ERROR_PROMISC_PERM_DENIED => format!(
                "You don't have permission to capture on that device.\n({detail})\n\n\
                 Run as root, or give the program the capture capabilities once:\n    \
                 sudo setcap cap_net_raw,cap_net_admin=eip {}",
                std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_else(|_| "PROGRAM".into())
            ),
            _ => format!("The capture session could not be initiated on interface '{name}' ({detail})."),
        };
        return Err(close(live_err(&name, msg)));
    }
    if let Some(f) = &cfg.filter {
        let c_filter = CString::new(f.as_str())
            .map_err(|_| close(live_err(&name, format!("Invalid capture filter \"{f}\": it holds a NUL byte."))))?;
        let mut prog = libpcap::BpfProgram { bf_len: 0, bf_insns: std::ptr::null_mut() };
        // PCAP_NETMASK_UNKNOWN, as dumpcap when the interface has no IPv4 address.
        // SAFETY: live handle, valid program and filter string.
        let rc = unsafe { (lib.compile)(p, &mut prog, c_filter.as_ptr(), 1, 0xffff_ffff) };
        if rc < 0 {
            // SAFETY: live handle.
            let detail = libpcap::cstr(unsafe { (lib.geterr)(p) });
            return Err(close(live_err(
                &name,
                format!(
                    "Invalid capture filter \"{f}\" for interface '{}'.\n\n\
                     That string isn't a valid capture filter ({detail}).\n\
                     See the User's Guide for a description of the capture filter syntax.",
                    info.friendly()
                ),
            )));
        }
        // SAFETY: prog was compiled for p; freed right after use.
        let rc = unsafe { (lib.setfilter)(p, &mut prog) };
        unsafe { (lib.freecode)(&mut prog) };
        if rc < 0 {
            let detail = libpcap::cstr(unsafe { (lib.geterr)(p) });
            return Err(close(live_err(&name, format!("Couldn't install filter \"{f}\" on interface '{name}': {detail}."))));
        }
    }
    // SAFETY: as above.
    let nb = unsafe { (lib.setnonblock)(p, 1, errbuf.as_mut_ptr()) };
    if nb < 0 {
        return Err(close(live_err(&name, format!("Can't put interface '{name}' in non-blocking mode: {}", libpcap::errbuf_text(&errbuf)))));
    }
    let dlt = unsafe { (lib.datalink)(p) };
    let nano = unsafe { (lib.get_tstamp_precision)(p) } == libpcap::TSTAMP_PRECISION_NANO;
    let fd = unsafe { (lib.get_selectable_fd)(p) };
    Ok(Handle { p, info, linktype: dlt_to_linktype(dlt), nano, fd })
}

/// libpcap's `DLT_*` value to the `LINKTYPE_*` written in files (they differ
/// only for a few old values; Linux's DLT_RAW is 12 or 14, LINKTYPE_RAW 101).
pub fn dlt_to_linktype(dlt: i32) -> u32 {
    match dlt {
        12 | 14 => 101,
        d if d < 0 => 0,
        d => d as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_joined_as_tshark_joins_them() {
        assert_eq!(join_names(&["Loopback: lo".into()]), "'Loopback: lo'");
        assert_eq!(join_names(&["a".into(), "b".into()]), "'a' and 'b'");
        assert_eq!(join_names(&["a".into(), "b".into(), "c".into()]), "'a', 'b' and 'c'");
    }

    #[test]
    fn interface_list_is_formatted_as_tshark_d() {
        let l = vec![
            Interface { name: "eth0".into(), description: String::new(), loopback: false },
            Interface { name: "lo".into(), description: String::new(), loopback: true },
        ];
        assert_eq!(format_interface_list(&l), "1. eth0\n2. lo (Loopback)\n");
        assert_eq!(l[1].display(), "Loopback: lo");
        assert_eq!(l[0].display(), "eth0");
    }

    #[test]
    fn interface_numbers_index_the_list() {
        let l = vec![Interface { name: "eth0".into(), description: String::new(), loopback: false }];
        assert_eq!(resolve("1", &l).unwrap().name, "eth0");
        assert!(resolve("2", &l).is_err());
        assert!(resolve("0", &l).is_err());
        assert_eq!(resolve("nosuch", &l).unwrap().name, "nosuch");
    }
}
