//! libpcap, loaded at run time (`dlopen`), so that building the workspace
//! needs no `libpcap-dev`: only the few functions live capture calls are
//! declared here. The library is looked up as `libpcap.so.1`, then
//! `libpcap.so.0.8` (Debian's name), then `libpcap.so`.

use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};
use std::sync::OnceLock;

/// `PCAP_ERRBUF_SIZE`.
pub const ERRBUF_SIZE: usize = 256;
/// `PCAP_TSTAMP_PRECISION_NANO`.
pub const TSTAMP_PRECISION_NANO: c_int = 1;
/// `PCAP_IF_LOOPBACK`.
pub const IF_LOOPBACK: c_uint = 1;
/// `PCAP_ERROR_NO_SUCH_DEVICE`, `PCAP_ERROR_PERM_DENIED`, `PCAP_ERROR_PROMISC_PERM_DENIED`.
pub const ERROR_NO_SUCH_DEVICE: c_int = -5;
pub const ERROR_PERM_DENIED: c_int = -8;
pub const ERROR_PROMISC_PERM_DENIED: c_int = -11;

/// Opaque `pcap_t`.
#[repr(C)]
pub struct PcapT {
    _private: [u8; 0],
}

/// `struct pcap_pkthdr` (Linux: `struct timeval` of two longs).
#[repr(C)]
pub struct PktHdr {
    pub tv_sec: libc::time_t,
    /// Microseconds, or nanoseconds with nanosecond precision.
    pub tv_frac: libc::suseconds_t,
    pub caplen: u32,
    pub len: u32,
}

/// `struct bpf_program`.
#[repr(C)]
pub struct BpfProgram {
    pub bf_len: c_uint,
    pub bf_insns: *mut c_void,
}

/// `struct pcap_stat`.
#[repr(C)]
#[derive(Default, Clone, Copy)]
pub struct PcapStat {
    pub ps_recv: c_uint,
    pub ps_drop: c_uint,
    pub ps_ifdrop: c_uint,
}

/// `pcap_if_t`.
#[repr(C)]
pub struct PcapIf {
    pub next: *mut PcapIf,
    pub name: *const c_char,
    pub description: *const c_char,
    pub addresses: *mut c_void,
    pub flags: c_uint,
}

type Errbuf = *mut c_char;

/// The functions we call, resolved once.
pub struct Lib {
    pub create: unsafe extern "C" fn(*const c_char, Errbuf) -> *mut PcapT,
    pub set_snaplen: unsafe extern "C" fn(*mut PcapT, c_int) -> c_int,
    pub set_promisc: unsafe extern "C" fn(*mut PcapT, c_int) -> c_int,
    pub set_timeout: unsafe extern "C" fn(*mut PcapT, c_int) -> c_int,
    pub set_immediate_mode: unsafe extern "C" fn(*mut PcapT, c_int) -> c_int,
    pub set_buffer_size: unsafe extern "C" fn(*mut PcapT, c_int) -> c_int,
    pub set_tstamp_precision: unsafe extern "C" fn(*mut PcapT, c_int) -> c_int,
    pub get_tstamp_precision: unsafe extern "C" fn(*mut PcapT) -> c_int,
    pub activate: unsafe extern "C" fn(*mut PcapT) -> c_int,
    pub compile: unsafe extern "C" fn(*mut PcapT, *mut BpfProgram, *const c_char, c_int, u32) -> c_int,
    pub setfilter: unsafe extern "C" fn(*mut PcapT, *mut BpfProgram) -> c_int,
    pub freecode: unsafe extern "C" fn(*mut BpfProgram),
    pub next_ex: unsafe extern "C" fn(*mut PcapT, *mut *mut PktHdr, *mut *const u8) -> c_int,
    pub datalink: unsafe extern "C" fn(*mut PcapT) -> c_int,
    pub stats: unsafe extern "C" fn(*mut PcapT, *mut PcapStat) -> c_int,
    pub setnonblock: unsafe extern "C" fn(*mut PcapT, c_int, Errbuf) -> c_int,
    pub get_selectable_fd: unsafe extern "C" fn(*mut PcapT) -> c_int,
    pub findalldevs: unsafe extern "C" fn(*mut *mut PcapIf, Errbuf) -> c_int,
    pub freealldevs: unsafe extern "C" fn(*mut PcapIf),
    pub geterr: unsafe extern "C" fn(*mut PcapT) -> *const c_char,
    pub statustostr: unsafe extern "C" fn(c_int) -> *const c_char,
    pub close: unsafe extern "C" fn(*mut PcapT),
}

const NAMES: &[&str] = &["libpcap.so.1", "libpcap.so.0.8", "libpcap.so"];

/// The loaded library, or the message saying what to install.
pub fn lib() -> Result<&'static Lib, String> {
    static LIB: OnceLock<Result<Lib, String>> = OnceLock::new();
    LIB.get_or_init(load).as_ref().map_err(|e| e.clone())
}

fn load() -> Result<Lib, String> {
    let mut handle = std::ptr::null_mut();
    for name in NAMES {
        let c = CString::new(*name).map_err(|e| e.to_string())?;
        // SAFETY: dlopen with a valid NUL-terminated name.
        handle = unsafe { libc::dlopen(c.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        if !handle.is_null() {
            break;
        }
    }
    if handle.is_null() {
        return Err(format!(
            "live capture needs the libpcap shared library, and none of {} could be loaded; \
             install it (Debian/Ubuntu: apt-get install libpcap0.8, Fedora: dnf install libpcap)",
            NAMES.join(", ")
        ));
    }
    macro_rules! sym {
        ($name:literal) => {{
            let c = concat!($name, "\0");
            // SAFETY: dlsym on a live handle with a NUL-terminated name.
            let p = unsafe { libc::dlsym(handle, c.as_ptr() as *const c_char) };
            if p.is_null() {
                return Err(format!(
                    "the libpcap shared library has no function {}: it is too old (live capture needs libpcap 1.5 or later)",
                    $name
                ));
            }
            // SAFETY: the symbol is the libpcap function of that name, whose C
            // signature the field's type declares.
            unsafe { fn_ptr(p) }
        }};
    }
    Ok(Lib {
        create: sym!("pcap_create"),
        set_snaplen: sym!("pcap_set_snaplen"),
        set_promisc: sym!("pcap_set_promisc"),
        set_timeout: sym!("pcap_set_timeout"),
        set_immediate_mode: sym!("pcap_set_immediate_mode"),
        set_buffer_size: sym!("pcap_set_buffer_size"),
        set_tstamp_precision: sym!("pcap_set_tstamp_precision"),
        get_tstamp_precision: sym!("pcap_get_tstamp_precision"),
        activate: sym!("pcap_activate"),
        compile: sym!("pcap_compile"),
        setfilter: sym!("pcap_setfilter"),
        freecode: sym!("pcap_freecode"),
        next_ex: sym!("pcap_next_ex"),
        datalink: sym!("pcap_datalink"),
        stats: sym!("pcap_stats"),
        setnonblock: sym!("pcap_setnonblock"),
        get_selectable_fd: sym!("pcap_get_selectable_fd"),
        findalldevs: sym!("pcap_findalldevs"),
        freealldevs: sym!("pcap_freealldevs"),
        geterr: sym!("pcap_geterr"),
        statustostr: sym!("pcap_statustostr"),
        close: sym!("pcap_close"),
    })
}

/// A symbol's address as the function pointer type `F`.
///
/// # Safety
/// `F` must be an `unsafe extern "C" fn` type matching the symbol's C signature.
unsafe fn fn_ptr<F: Copy>(p: *mut c_void) -> F {
    assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<*mut c_void>(), "a function pointer is pointer-sized");
    // SAFETY: same size, and the caller guarantees the type.
    unsafe { std::mem::transmute_copy::<*mut c_void, F>(&p) }
}

/// A C string from libpcap as a Rust string ("" for NULL).
pub fn cstr(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: libpcap returns NUL-terminated strings.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// The text in an error buffer.
pub fn errbuf_text(buf: &[c_char; ERRBUF_SIZE]) -> String {
    let bytes: Vec<u8> = buf.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}
