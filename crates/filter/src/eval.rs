//! The compiled program and its evaluation over a packet's items. Values are produced by
//! callbacks borrowing from the packet and the program, so the common paths allocate nothing.

use std::cmp::Ordering;

use pcaptk_dissect::field::{FieldId, FieldType};
use pcaptk_dissect::tree::{Item, Value, View};

use crate::literal::Const;
use crate::parser::ArithOp;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Case {
    As,
    Lower,
    Upper,
}

/// One value during evaluation.
#[derive(Clone, Debug)]
pub enum V<'a> {
    Int(i128),
    Float(f64),
    Time(i64),
    Bytes(&'a [u8]),
    Str(&'a [u8], Case),
    V4(u32, u32),
    V6([u8; 16], u8),
    /// Built bytes (concatenated slices, `string()`): only on those uncommon paths.
    Owned(Vec<u8>),
}

impl V<'_> {
    fn bytes(&self) -> Option<(&[u8], Case)> {
        match self {
            V::Bytes(b) => Some((b, Case::As)),
            V::Str(b, c) => Some((b, *c)),
            V::Owned(b) => Some((b, Case::As)),
            _ => None,
        }
    }
    fn nonzero(&self) -> bool {
        match self {
            V::Int(i) => *i != 0,
            V::Float(f) => *f != 0.0,
            V::Time(t) => *t != 0,
            V::Bytes(b) | V::Str(b, _) => b.iter().any(|&x| x != 0),
            V::Owned(b) => b.iter().any(|&x| x != 0),
            V::V4(a, _) => *a != 0,
            V::V6(a, _) => a.iter().any(|&x| x != 0),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    pub start: i64,
    /// None: to the end.
    pub len: Option<i64>,
}

/// A compiled value source.
#[derive(Clone, Debug)]
pub enum Src {
    Field { id: FieldId, protocol_raw: bool, layers: Option<Vec<Range>> },
    Const(Const),
    Slice(Box<Src>, Vec<Range>),
    Len(Box<Src>),
    Count(Box<Src>),
    Case(Box<Src>, Case),
    String(Box<Src>, FieldType),
    Max(Vec<Src>),
    Min(Vec<Src>),
    Abs(Box<Src>),
    Neg(Box<Src>),
    Bin(ArithOp, Box<Src>, Box<Src>),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Rel {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Clone, Debug)]
pub enum SetItem {
    One(Src),
    Range(Src, Src),
}

/// A compiled test.
#[derive(Clone, Debug)]
pub enum Test {
    True,
    And(Vec<Test>),
    Or(Vec<Test>),
    Not(Box<Test>),
    /// The source produces at least one value.
    Exists(Src),
    /// Some value is non-zero (`tcp.flags & 0x02`).
    NonZero(Src),
    Cmp { rel: Rel, all: bool, lhs: Src, rhs: Src },
    Contains(Src, Src),
    Matches(Src, regex::bytes::Regex),
    In(Src, Vec<SetItem>),
}

fn layer_ok(layers: &Option<Vec<Range>>, layer: u8) -> bool {
    match layers {
        None => true,
        Some(rs) => rs.iter().any(|r| {
            let l = layer as i64;
            let end = r.len.map(|n| r.start + n).unwrap_or(i64::MAX);
            l >= r.start && l < end
        }),
    }
}

fn item_value<'a>(view: &View<'a>, item: &'a Item, protocol_raw: bool) -> V<'a> {
    if protocol_raw {
        return V::Bytes(view.raw(item));
    }
    match &item.value {
        Value::None => V::Bytes(view.raw(item)),
        Value::Bool(b) => V::Int(*b as i128),
        Value::U(u) => V::Int(*u as i128),
        Value::I(i) => V::Int(*i as i128),
        Value::F(f) => V::Float(*f),
        Value::Time(t) => V::Time(*t),
        Value::Ipv4(a) => V::V4(u32::from_be_bytes(*a), u32::MAX),
        Value::Ipv6(a) => V::V6(*a, 128),
        Value::Ether(m) => V::Bytes(&m[..]),
        Value::Bytes(s) => V::Bytes(view.bytes(*s)),
        Value::Str(s) => V::Str(view.bytes(*s), Case::As),
    }
}

fn const_value(c: &Const) -> V<'_> {
    match c {
        Const::Int(i) => V::Int(*i),
        Const::Float(f) => V::Float(*f),
        Const::Time(t) => V::Time(*t),
        Const::Bytes(b) => V::Bytes(b),
        Const::Str(b) => V::Str(b, Case::As),
        Const::V4(a, m) => V::V4(*a, *m),
        Const::V6(a, p) => V::V6(*a, *p),
    }
}

/// Byte range of a slice over `n` bytes, if it fits.
fn slice_bounds(r: &Range, n: usize) -> Option<(usize, usize)> {
    let n = n as i64;
    let start = if r.start < 0 { n + r.start } else { r.start };
    if start < 0 || start > n {
        return None;
    }
    let end = match r.len {
        Some(l) => start + l,
        None => n,
    };
    if end > n || end < start {
        return None;
    }
    Some((start as usize, end as usize))
}

fn arith(op: ArithOp, a: &V, b: &V) -> Option<V<'static>> {
    Some(match (a, b) {
        (V::Int(x), V::Int(y)) => V::Int(match op {
            ArithOp::BitAnd => x & y,
            ArithOp::Add => x.checked_add(*y)?,
            ArithOp::Sub => x.checked_sub(*y)?,
            ArithOp::Mul => x.checked_mul(*y)?,
            ArithOp::Div => x.checked_div(*y)?,
            ArithOp::Mod => x.checked_rem(*y)?,
        }),
        (V::Float(_), _) | (_, V::Float(_)) => {
            let (x, y) = (as_f64(a)?, as_f64(b)?);
            V::Float(match op {
                ArithOp::BitAnd => return None,
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                ArithOp::Div => {
                    if y == 0.0 {
                        return None;
                    }
                    x / y
                }
                ArithOp::Mod => {
                    if y == 0.0 {
                        return None;
                    }
                    x % y
                }
            })
        }
        (V::Time(x), V::Time(y)) => V::Time(match op {
            ArithOp::Add => x.checked_add(*y)?,
            ArithOp::Sub => x.checked_sub(*y)?,
            _ => return None,
        }),
        (V::Time(x), V::Int(y)) => V::Time(match op {
            ArithOp::Mul => x.checked_mul(*y as i64)?,
            ArithOp::Div => x.checked_div(*y as i64)?,
            _ => return None,
        }),
        (V::Bytes(x), V::Bytes(y)) if op == ArithOp::BitAnd => V::Owned(x.iter().zip(y.iter()).map(|(p, q)| p & q).collect()),
        _ => return None,
    })
}

fn as_f64(v: &V) -> Option<f64> {
    match v {
        V::Int(i) => Some(*i as f64),
        V::Float(f) => Some(*f),
        _ => None,
    }
}

fn fold(a: u8, c: Case) -> u8 {
    match c {
        Case::As => a,
        Case::Lower => a.to_ascii_lowercase(),
        Case::Upper => a.to_ascii_uppercase(),
    }
}

fn bytes_cmp(a: &[u8], ca: Case, b: &[u8], cb: Case) -> Ordering {
    if ca == Case::As && cb == Case::As {
        return a.cmp(b);
    }
    for (x, y) in a.iter().zip(b.iter()) {
        match fold(*x, ca).cmp(&fold(*y, cb)) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    a.len().cmp(&b.len())
}

pub(crate) fn compare(a: &V, b: &V) -> Option<Ordering> {
    match (a, b) {
        (V::Int(x), V::Int(y)) => Some(x.cmp(y)),
        (V::Float(_), _) | (_, V::Float(_)) => as_f64(a)?.partial_cmp(&as_f64(b)?),
        (V::Time(x), V::Time(y)) => Some(x.cmp(y)),
        (V::V4(x, m), V::V4(y, n)) => {
            let k = m & n;
            Some((x & k).cmp(&(y & k)))
        }
        (V::V6(x, p), V::V6(y, q)) => {
            let bits = (*p).min(*q) as usize;
            let mut xa = *x;
            let mut ya = *y;
            for i in 0..16 {
                let keep = bits.saturating_sub(i * 8).min(8);
                let m = if keep == 0 { 0 } else { 0xffu8 << (8 - keep) };
                xa[i] &= m;
                ya[i] &= m;
            }
            Some(xa.cmp(&ya))
        }
        _ => {
            let (x, cx) = a.bytes()?;
            let (y, cy) = b.bytes()?;
            Some(bytes_cmp(x, cx, y, cy))
        }
    }
}

fn contains(h: &[u8], ch: Case, n: &[u8]) -> bool {
    if ch == Case::As {
        return memchr::memmem::find(h, n).is_some();
    }
    if n.is_empty() {
        return true;
    }
    h.windows(n.len()).any(|w| w.iter().zip(n).all(|(x, y)| fold(*x, ch) == *y))
}

/// Renders a value as `string()` does (tshark's filter representation).
fn to_string_value(v: &V, ft: FieldType) -> Vec<u8> {
    use std::fmt::Write;
    let mut s = String::new();
    match v {
        V::Int(i) => match ft {
            FieldType::Boolean => s.push_str(if *i != 0 { "1" } else { "0" }),
            _ => {
                let _ = write!(s, "{}", i);
            }
        },
        V::Float(f) => s.push_str(&pcaptk_dissect::tree::fmt_g(*f, if ft == FieldType::Float { 6 } else { 15 })),
        V::Time(t) => {
            if ft == FieldType::AbsTime {
                pcaptk_dissect::time::write_abs_local(&mut s, *t)
            } else {
                pcaptk_dissect::time::write_rel(&mut s, *t)
            }
        }
        V::V4(a, _) => {
            let _ = write!(s, "{}", std::net::Ipv4Addr::from(*a));
        }
        V::V6(a, _) => {
            let _ = write!(s, "{}", std::net::Ipv6Addr::from(*a));
        }
        V::Str(b, _) => return b.to_vec(),
        V::Bytes(b) => {
            let sep = if ft == FieldType::Ether || ft == FieldType::Bytes { ":" } else { "" };
            for (i, x) in b.iter().enumerate() {
                if i > 0 {
                    s.push_str(sep);
                }
                let _ = write!(s, "{:02x}", x);
            }
        }
        V::Owned(b) => return b.clone(),
    }
    s.into_bytes()
}

impl Src {
    /// Calls `f` with each value; stops (returning true) as soon as `f` returns true.
    pub fn each<'a>(&'a self, view: &View<'a>, f: &mut dyn FnMut(V<'a>) -> bool) -> bool {
        match self {
            Src::Field { id, protocol_raw, layers } => {
                for it in view.items.iter() {
                    if it.id == *id && layer_ok(layers, it.layer) && f(item_value(view, it, *protocol_raw)) {
                        return true;
                    }
                }
                false
            }
            Src::Const(c) => f(const_value(c)),
            Src::Slice(inner, ranges) => inner.each(view, &mut |v| {
                let (b, case): (&[u8], Case) = match &v {
                    V::Bytes(b) => (b, Case::As),
                    V::Str(b, c) => (b, *c),
                    V::V4(a, _) => {
                        let arr = a.to_be_bytes();
                        return slice_owned(&arr, ranges, f);
                    }
                    V::V6(a, _) => {
                        let arr = *a;
                        return slice_owned(&arr, ranges, f);
                    }
                    V::Owned(b) => {
                        let b = b.clone();
                        return slice_owned(&b, ranges, f);
                    }
                    _ => return false,
                };
                let _ = case;
                if ranges.len() == 1 {
                    match slice_bounds(&ranges[0], b.len()) {
                        Some((s, e)) => f(V::Bytes(&b[s..e])),
                        None => false,
                    }
                } else {
                    slice_owned(b, ranges, f)
                }
            }),
            Src::Len(inner) => inner.each(view, &mut |v| {
                let n = match &v {
                    V::Bytes(b) | V::Str(b, _) => b.len(),
                    V::Owned(b) => b.len(),
                    V::V4(..) => 4,
                    V::V6(..) => 16,
                    _ => 0,
                };
                f(V::Int(n as i128))
            }),
            Src::Count(inner) => {
                let mut n = 0i128;
                inner.each(view, &mut |_| {
                    n += 1;
                    false
                });
                f(V::Int(n))
            }
            Src::Case(inner, c) => inner.each(view, &mut |v| match v {
                V::Str(b, _) => f(V::Str(b, *c)),
                other => f(other),
            }),
            Src::String(inner, ft) => inner.each(view, &mut |v| {
                let s = to_string_value(&v, *ft);
                f(V::Owned(s))
            }),
            Src::Max(args) | Src::Min(args) => {
                let want = if matches!(self, Src::Max(_)) { Ordering::Greater } else { Ordering::Less };
                let mut best: Option<V<'a>> = None;
                for a in args {
                    a.each(view, &mut |v| {
                        let better = match &best {
                            None => true,
                            Some(b) => compare(&v, b) == Some(want),
                        };
                        if better {
                            best = Some(v);
                        }
                        false
                    });
                }
                match best {
                    Some(b) => f(b),
                    None => false,
                }
            }
            Src::Abs(inner) => inner.each(view, &mut |v| match v {
                V::Int(i) => f(V::Int(i.abs())),
                V::Float(x) => f(V::Float(x.abs())),
                V::Time(t) => f(V::Time(t.abs())),
                other => f(other),
            }),
            Src::Neg(inner) => inner.each(view, &mut |v| match v {
                V::Int(i) => f(V::Int(-i)),
                V::Float(x) => f(V::Float(-x)),
                V::Time(t) => f(V::Time(-t)),
                _ => false,
            }),
            Src::Bin(op, a, b) => a.each(view, &mut |x| {
                b.each(view, &mut |y| match arith(*op, &x, &y) {
                    Some(r) => f(r),
                    None => false,
                })
            }),
        }
    }
}

fn slice_owned<'a>(b: &[u8], ranges: &[Range], f: &mut dyn FnMut(V<'a>) -> bool) -> bool {
    let mut out = Vec::new();
    for r in ranges {
        match slice_bounds(r, b.len()) {
            Some((s, e)) => out.extend_from_slice(&b[s..e]),
            None => return false,
        }
    }
    f(V::Owned(out))
}

fn rel_holds(rel: Rel, o: Option<Ordering>) -> bool {
    let Some(o) = o else { return rel == Rel::Ne };
    match rel {
        Rel::Eq => o == Ordering::Equal,
        Rel::Ne => o != Ordering::Equal,
        Rel::Gt => o == Ordering::Greater,
        Rel::Ge => o != Ordering::Less,
        Rel::Lt => o == Ordering::Less,
        Rel::Le => o != Ordering::Greater,
    }
}

impl Test {
    pub fn eval(&self, view: &View) -> bool {
        match self {
            Test::True => true,
            Test::And(v) => v.iter().all(|t| t.eval(view)),
            Test::Or(v) => v.iter().any(|t| t.eval(view)),
            Test::Not(a) => !a.eval(view),
            Test::Exists(s) => s.each(view, &mut |_| true),
            Test::NonZero(s) => s.each(view, &mut |v| v.nonzero()),
            Test::Cmp { rel, all, lhs, rhs } => {
                if *all {
                    // Every pair holds, and there is at least one pair.
                    let mut pairs = false;
                    let failed = lhs.each(view, &mut |l| {
                        rhs.each(view, &mut |r| {
                            pairs = true;
                            !rel_holds(*rel, compare(&l, &r))
                        })
                    });
                    pairs && !failed
                } else {
                    lhs.each(view, &mut |l| rhs.each(view, &mut |r| rel_holds(*rel, compare(&l, &r))))
                }
            }
            Test::Contains(lhs, rhs) => lhs.each(view, &mut |l| {
                let Some((h, ch)) = l.bytes() else { return false };
                rhs.each(view, &mut |r| match r.bytes() {
                    Some((n, Case::As)) => contains(h, ch, n),
                    Some((n, c)) => {
                        let n: Vec<u8> = n.iter().map(|x| fold(*x, c)).collect();
                        contains(h, ch, &n)
                    }
                    None => false,
                })
            }),
            Test::Matches(lhs, re) => lhs.each(view, &mut |l| match l.bytes() {
                Some((h, Case::As)) => re.is_match(h),
                Some((h, c)) => {
                    let t: Vec<u8> = h.iter().map(|x| fold(*x, c)).collect();
                    re.is_match(&t)
                }
                None => false,
            }),
            Test::In(lhs, set) => lhs.each(view, &mut |l| {
                set.iter().any(|e| match e {
                    SetItem::One(s) => s.each(view, &mut |r| compare(&l, &r) == Some(Ordering::Equal)),
                    SetItem::Range(a, b) => a.each(view, &mut |lo| {
                        b.each(view, &mut |hi| {
                            rel_holds(Rel::Ge, compare(&l, &lo)) && rel_holds(Rel::Le, compare(&l, &hi))
                        })
                    }),
                })
            }),
        }
    }
}
