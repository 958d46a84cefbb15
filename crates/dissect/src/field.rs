//! The field table: every field a dissector can emit is declared exactly once, with
//! Wireshark's abbreviation, type, display base and value strings. The filter engine,
//! `-e` validation, `-G fields` and the generated docs all read this table.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Index of a field in the flattened table.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub u16);

impl FieldId {
    pub fn def(self) -> &'static FieldDef {
        table().defs[self.0 as usize]
    }
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Wireshark's field types (the subset we produce).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// FT_NONE: a label-only item; renders as `1` when present.
    None,
    /// FT_PROTOCOL: a protocol layer; renders as its tree label.
    Protocol,
    Boolean,
    U8,
    U16,
    U24,
    U32,
    U64,
    I8,
    I16,
    I32,
    I64,
    Float,
    Double,
    AbsTime,
    RelTime,
    String,
    Bytes,
    Ether,
    Ipv4,
    Ipv6,
    FrameNum,
    /// FT_OID: an ASN.1 object identifier, held and compared as its dotted text.
    Oid,
    /// FT_GUID: a GUID/UUID, held and compared as its hyphenated text.
    Guid,
}

impl FieldType {
    /// Wireshark's `FT_*` name, as `-G fields` prints it.
    pub fn ft_name(self) -> &'static str {
        use FieldType::*;
        match self {
            None => "FT_NONE",
            Protocol => "FT_PROTOCOL",
            Boolean => "FT_BOOLEAN",
            U8 => "FT_UINT8",
            U16 => "FT_UINT16",
            U24 => "FT_UINT24",
            U32 => "FT_UINT32",
            U64 => "FT_UINT64",
            I8 => "FT_INT8",
            I16 => "FT_INT16",
            I32 => "FT_INT32",
            I64 => "FT_INT64",
            Float => "FT_FLOAT",
            Double => "FT_DOUBLE",
            AbsTime => "FT_ABSOLUTE_TIME",
            RelTime => "FT_RELATIVE_TIME",
            String => "FT_STRING",
            Bytes => "FT_BYTES",
            Ether => "FT_ETHER",
            Ipv4 => "FT_IPv4",
            Ipv6 => "FT_IPv6",
            FrameNum => "FT_FRAMENUM",
            Oid => "FT_OID",
            Guid => "FT_GUID",
        }
    }

    /// The pretty type name Wireshark uses in filter error messages.
    pub fn pretty_name(self) -> &'static str {
        use FieldType::*;
        match self {
            None => "Label",
            Protocol => "Protocol",
            Boolean => "Boolean",
            U8 => "Unsigned integer (1 byte)",
            U16 => "Unsigned integer (2 bytes)",
            U24 => "Unsigned integer (3 bytes)",
            U32 => "Unsigned integer (4 bytes)",
            U64 => "Unsigned integer (8 bytes)",
            I8 => "Signed integer (1 byte)",
            I16 => "Signed integer (2 bytes)",
            I32 => "Signed integer (4 bytes)",
            I64 => "Signed integer (8 bytes)",
            Float => "Floating point (single-precision)",
            Double => "Floating point (double-precision)",
            AbsTime => "Date and time",
            RelTime => "Time offset",
            String => "Character string",
            Bytes => "Byte sequence",
            Ether => "Ethernet or other MAC address",
            Ipv4 => "IPv4 address",
            Ipv6 => "IPv6 address",
            FrameNum => "Frame number",
            Oid => "ASN.1 object identifier",
            Guid => "Globally Unique Identifier",
        }
    }

    pub fn is_unsigned(self) -> bool {
        matches!(self, FieldType::U8 | FieldType::U16 | FieldType::U24 | FieldType::U32 | FieldType::U64 | FieldType::FrameNum)
    }
    pub fn is_signed(self) -> bool {
        matches!(self, FieldType::I8 | FieldType::I16 | FieldType::I32 | FieldType::I64)
    }
    /// Largest value of an unsigned type (for "too big for this field" errors).
    pub fn max_unsigned(self) -> u64 {
        match self {
            FieldType::U8 => 0xff,
            FieldType::U16 => 0xffff,
            FieldType::U24 => 0xff_ffff,
            FieldType::U32 | FieldType::FrameNum => 0xffff_ffff,
            _ => u64::MAX,
        }
    }
    /// Number of hex digits a BASE_HEX value of this type is padded to.
    pub fn hex_width(self) -> usize {
        match self {
            FieldType::U8 | FieldType::I8 => 2,
            FieldType::U16 | FieldType::I16 => 4,
            FieldType::U24 => 6,
            FieldType::U32 | FieldType::I32 => 8,
            _ => 16,
        }
    }
}

/// Display base (`BASE_*`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Base {
    None,
    Dec,
    Hex,
    Oct,
    DecHex,
    HexDec,
}

impl Base {
    pub fn name(self) -> &'static str {
        match self {
            Base::None => "BASE_NONE",
            Base::Dec => "BASE_DEC",
            Base::Hex => "BASE_HEX",
            Base::Oct => "BASE_OCT",
            Base::DecHex => "BASE_DEC_HEX",
            Base::HexDec => "BASE_HEX_DEC",
        }
    }
}

/// Value labels a filter may use in place of numbers (`ip.proto == "tcp"`, `tcp.flags.syn == Set`).
#[derive(Copy, Clone, Debug)]
pub enum Strings {
    None,
    /// value_string: number → label.
    Vals(&'static [(u64, &'static str)]),
    /// true_false_string: (true label, false label).
    Tfs(&'static str, &'static str),
}

/// One field of the table.
#[derive(Debug)]
pub struct FieldDef {
    pub abbrev: &'static str,
    pub name: &'static str,
    pub ftype: FieldType,
    pub base: Base,
    /// Bitmask of a sub-field of a flags word (0 when the field is not a bit field).
    pub mask: u64,
    pub strings: Strings,
    pub blurb: &'static str,
}

impl FieldDef {
    /// The abbreviation of the protocol this field belongs to.
    pub fn protocol(&self) -> &'static str {
        let t = table();
        let id = t.by_name[self.abbrev];
        t.defs[t.parent[id.index()].index()].abbrev
    }
}

/// Declares the fields of one protocol file. The first entry is the protocol itself.
/// `base` is the `END` of the previous protocol module, so ids are dense and constant.
#[macro_export]
macro_rules! declare_fields {
    (
        after = $prev:expr;
        $( $konst:ident = $abbrev:literal, $name:literal, $ft:ident, $base:ident
           $(, mask = $mask:expr)? $(, vals = $vals:expr)? $(, tfs = ($t:literal, $f:literal))? $(, blurb = $blurb:literal)? ; )*
    ) => {
        #[allow(non_camel_case_types, dead_code, clippy::upper_case_acronyms)]
        #[repr(u16)]
        enum Local { $($konst,)* __End }
        pub const BASE: u16 = $prev;
        pub const END: u16 = BASE + Local::__End as u16;
        $( pub const $konst: $crate::field::FieldId = $crate::field::FieldId(BASE + Local::$konst as u16); )*
        pub static FIELDS: &[$crate::field::FieldDef] = &[
            $( $crate::field::FieldDef {
                abbrev: $abbrev,
                name: $name,
                ftype: $crate::field::FieldType::$ft,
                base: $crate::field::Base::$base,
                mask: 0 $(| $mask)?,
                strings: $crate::declare_fields!(@strings $($vals)? $(; $t, $f)?),
                blurb: $crate::declare_fields!(@blurb $($blurb)?),
            }, )*
        ];
    };
    (@strings) => { $crate::field::Strings::None };
    (@strings $vals:expr) => { $crate::field::Strings::Vals($vals) };
    (@strings ; $t:literal, $f:literal) => { $crate::field::Strings::Tfs($t, $f) };
    (@blurb) => { "" };
    (@blurb $b:literal) => { $b };
}

pub struct Table {
    pub defs: Vec<&'static FieldDef>,
    pub by_name: HashMap<&'static str, FieldId>,
    /// For each field, the protocol entry it belongs to.
    pub parent: Vec<FieldId>,
}

/// The flattened table of every protocol module, in declaration order.
pub fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut defs: Vec<&'static FieldDef> = Vec::new();
        let mut parent = Vec::new();
        for (base, fields) in crate::proto::ALL_FIELDS {
            assert_eq!(*base as usize, defs.len(), "field module order does not match its `after =`");
            // A field belongs to the nearest protocol entry before it (a file may declare
            // sub-protocols such as `ipv6.fraghdr`).
            let mut proto = FieldId(defs.len() as u16);
            for f in fields.iter() {
                if f.ftype == FieldType::Protocol {
                    proto = FieldId(defs.len() as u16);
                }
                defs.push(f);
                parent.push(proto);
            }
        }
        let mut by_name = HashMap::with_capacity(defs.len());
        for (i, d) in defs.iter().enumerate() {
            by_name.insert(d.abbrev, FieldId(i as u16));
        }
        Table { defs, by_name, parent }
    })
}

/// Looks a field or protocol up by its abbreviation.
pub fn lookup(abbrev: &str) -> Option<FieldId> {
    table().by_name.get(abbrev).copied()
}

/// Number of fields in the table (size for per-field bitsets).
pub fn count() -> usize {
    table().defs.len()
}

/// Writes tshark's `-G fields` listing (protocols as `P` lines, fields as `F` lines).
pub fn write_glossary(out: &mut impl std::io::Write) -> std::io::Result<()> {
    let t = table();
    for (i, d) in t.defs.iter().enumerate() {
        if d.ftype == FieldType::Protocol {
            writeln!(out, "P\t{}\t{}", d.name, d.abbrev)?;
        } else {
            let parent = t.defs[t.parent[i].index()].abbrev;
            let base = match d.ftype {
                FieldType::Boolean => {
                    // Booleans print the width of the flags word they live in.
                    let bits = if d.mask == 0 { 0 } else { 64 - d.mask.leading_zeros().min(63) as u64 };
                    let w = [8u64, 16, 24, 32, 64].into_iter().find(|w| *w >= bits).unwrap_or(0);
                    if d.mask == 0 { "BASE_NONE".to_string() } else { w.to_string() }
                }
                _ => d.base.name().to_string(),
            };
            writeln!(out, "F\t{}\t{}\t{}\t{}\t{}\t0x{:x}\t{}", d.name, d.abbrev, d.ftype.ft_name(), parent, base, d.mask, d.blurb)?;
        }
    }
    Ok(())
}
