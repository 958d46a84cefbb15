//! Semantic check: resolves names against the field table, converts literals to the type
//! of the field they are compared with, and builds the evaluation tree. Error texts are
//! Wireshark 4.0's.

use pcaptk_dissect::field::{lookup, FieldDef, FieldId, FieldType};

use crate::error::FilterError;
use crate::eval::{Case, Range, Rel, SetItem, Src, Test};
use crate::lexer::CmpOp;
use crate::literal::{convert, Const, LitSrc};
use crate::parser::{Arith, ArithOp, Atom, AtomKind, Expr, Loc, Quant, SetElem};

/// Static type of a value source: the field type plus the field whose value strings apply.
#[derive(Copy, Clone, Debug)]
pub struct Ty {
    pub ft: FieldType,
    pub field: Option<FieldId>,
}

impl Ty {
    fn def(&self) -> Option<&'static FieldDef> {
        self.field.map(|f| f.def())
    }
}

fn err(msg: impl Into<String>, loc: Loc) -> FilterError {
    FilterError::at(msg, loc.0, loc.1)
}

fn unknown_name(name: &str, loc: Loc) -> FilterError {
    if crate::wireshark_knows(name) {
        err(format!("{} is a Wireshark field that pcaptk does not dissect yet.", name), loc)
    } else {
        err(format!("{} is neither a field nor a protocol name.", name), loc)
    }
}

fn is_numeric(ft: FieldType) -> bool {
    ft.is_unsigned() || ft.is_signed() || matches!(ft, FieldType::Float | FieldType::Double | FieldType::RelTime | FieldType::Boolean)
}

fn group(ft: FieldType) -> u8 {
    use FieldType::*;
    match ft {
        U8 | U16 | U24 | U32 | U64 | FrameNum | I8 | I16 | I32 | I64 | Boolean => 1,
        Float | Double => 2,
        AbsTime => 3,
        RelTime => 4,
        // OIDs and GUIDs are held as their text (see `FieldType::Oid`).
        String | Oid | Guid => 5,
        Bytes | Protocol | None | Ether => 6,
        Ipv4 => 7,
        Ipv6 => 8,
    }
}

fn compatible(a: FieldType, b: FieldType) -> bool {
    let (x, y) = (group(a), group(b));
    x == y || (x <= 2 && y <= 2)
}

fn can_slice(ft: FieldType) -> bool {
    use FieldType::*;
    matches!(ft, Bytes | Protocol | None | Ether | String | Ipv4 | Ipv6)
}

fn can_contain(ft: FieldType) -> bool {
    use FieldType::*;
    matches!(ft, Bytes | Protocol | Ether | String)
}

pub struct Compiler {
    pub fields: Vec<FieldId>,
}

impl Compiler {
    pub fn expr(&mut self, e: &Expr) -> Result<Test, FilterError> {
        Ok(match e {
            Expr::Or(v) => Test::Or(v.iter().map(|e| self.expr(e)).collect::<Result<_, _>>()?),
            Expr::And(v) => Test::And(v.iter().map(|e| self.expr(e)).collect::<Result<_, _>>()?),
            Expr::Not(a) => Test::Not(Box::new(self.expr(a)?)),
            Expr::Test(a) => match self.check_lhs_arith(a).and_then(|_| self.resolve(a))? {
                Some((src, _)) => {
                    if matches!(a, Arith::Bin(ArithOp::BitAnd, ..)) {
                        Test::NonZero(src)
                    } else {
                        Test::Exists(src)
                    }
                }
                None => return Err(self.not_a_field(a)),
            },
            Expr::Cmp { quant, op, op_text, lhs, rhs, .. } => {
                let (l, ty) = self.lhs(lhs, op_text)?;
                let r = self.rhs(rhs, ty, lhs)?;
                let (rel, all) = match op {
                    CmpOp::AnyEq => (Rel::Eq, false),
                    CmpOp::AllNe => (Rel::Ne, true),
                    CmpOp::AllEq => (Rel::Eq, true),
                    CmpOp::AnyNe => (Rel::Ne, false),
                    CmpOp::Gt => (Rel::Gt, false),
                    CmpOp::Ge => (Rel::Ge, false),
                    CmpOp::Lt => (Rel::Lt, false),
                    CmpOp::Le => (Rel::Le, false),
                };
                let all = match quant {
                    Some(Quant::All) => true,
                    Some(Quant::Any) => false,
                    None => all,
                };
                Test::Cmp { rel, all, lhs: l, rhs: r }
            }
            Expr::Contains { lhs, rhs, op_text } => {
                let (l, ty) = self.lhs(lhs, op_text)?;
                if !can_contain(ty.ft) {
                    return Err(err(
                        format!("{} (type={}) cannot participate in contains comparison.", lhs_text(lhs), ty.ft.pretty_name()),
                        lhs.loc(),
                    ));
                }
                if let (FieldType::Ether, Arith::Atom(Atom { kind: AtomKind::Str(b), loc, .. })) = (ty.ft, rhs) {
                    return Err(err(
                        format!("{} cannot be converted from a string (\"{}\").", ty.ft.pretty_name(), String::from_utf8_lossy(b)),
                        *loc,
                    ));
                }
                let rft = if ty.ft == FieldType::String { FieldType::String } else { FieldType::Bytes };
                let r = self.rhs(rhs, Ty { ft: rft, field: None }, lhs)?;
                Test::Contains(l, r)
            }
            Expr::Matches { lhs, rhs, op_text } => {
                let (l, ty) = self.lhs(lhs, op_text)?;
                let pat = match rhs {
                    Arith::Atom(Atom { kind: AtomKind::Str(b), .. }) => String::from_utf8_lossy(b).into_owned(),
                    other => return Err(err("Matches requires a double quoted string on the right side.", other.loc())),
                };
                if !can_contain(ty.ft) {
                    return Err(err(
                        format!("{} (type={}) cannot participate in matches comparison.", lhs_text(lhs), ty.ft.pretty_name()),
                        lhs.loc(),
                    ));
                }

                let re = regex::bytes::RegexBuilder::new(&pat)
                    .case_insensitive(true)
                    .size_limit(1 << 22)
                    .build()
                    .map_err(|e| FilterError::new(format!("Regex compilation error: {}.", regex_message(&e)), None))?;
                Test::Matches(l, re)
            }
            Expr::In { lhs, set, negated } => {
                let (l, ty) = match self.resolve(lhs)? {
                    Some(x) => x,
                    None => {
                        if let Some(e) = self.unknown_word(lhs) {
                            return Err(e);
                        }
                        return Err(err("Only a field may be tested for membership in a set.", lhs.loc()));
                    }
                };
                let mut items = Vec::new();
                for el in set {
                    items.push(match el {
                        SetElem::One(a) => SetItem::One(self.rhs(a, ty, lhs)?),
                        SetElem::Range(a, b) => SetItem::Range(self.rhs(a, ty, lhs)?, self.rhs(b, ty, lhs)?),
                    });
                }
                let t = Test::In(l, items);
                if *negated {
                    Test::Not(Box::new(t))
                } else {
                    t
                }
            }
        })
    }

    /// An unknown word that Wireshark knows: report it instead of a generic error.
    fn unknown_word(&self, a: &Arith) -> Option<FilterError> {
        if let Arith::Atom(Atom { kind: AtomKind::Unparsed, text, loc }) = a {
            if crate::wireshark_knows(text) {
                return Some(unknown_name(text, *loc));
            }
        }
        None
    }

    fn not_a_field(&self, a: &Arith) -> FilterError {
        match a {
            Arith::Atom(at) => match &at.kind {
                AtomKind::Unparsed | AtomKind::Literal | AtomKind::Str(_) | AtomKind::CharConst(_) => unknown_name(&at.text, at.loc),
                _ => err(format!("{} is neither a field nor a protocol name.", at.text), at.loc),
            },
            _ => err("Constant arithmetic expression on the LHS is invalid.", a.loc()),
        }
    }

    fn lhs(&mut self, a: &Arith, op_text: &str) -> Result<(Src, Ty), FilterError> {
        self.check_lhs_arith(a)?;
        match self.resolve(a)? {
            Some(x) => Ok(x),
            None => {
                if let Some(e) = self.unknown_word(a) {
                    return Err(e);
                }
                match a {
                    Arith::Atom(at) => Err(err(
                        format!("Left side of \"{}\" expression must be a field or function, not {}.", op_text, at.text),
                        at.loc,
                    )),
                    _ => Err(err("Constant arithmetic expression on the LHS is invalid.", a.loc())),
                }
            }
        }
    }

    /// tshark rejects arithmetic on the left side whose first operand is a constant.
    fn check_lhs_arith(&mut self, a: &Arith) -> Result<(), FilterError> {
        if let Arith::Bin(_, x, _, _) = a {
            let mut first: &Arith = x;
            while let Arith::Bin(_, y, _, _) = first {
                first = y;
            }
            if self.resolve(first)?.is_none() {
                return Err(err("Constant arithmetic expression on the LHS is invalid.", first.loc()));
            }
        }
        Ok(())
    }

    /// The right side of a comparison with a left side of type `ty`.
    fn rhs(&mut self, a: &Arith, ty: Ty, lhs: &Arith) -> Result<Src, FilterError> {
        match self.resolve(a)? {
            Some((src, rty)) => {
                if !compatible(ty.ft, rty.ft) {
                    return Err(err(format!("{} and {} are not of compatible types.", lhs_text(lhs), lhs_text(a)), a.loc()));
                }
                Ok(src)
            }
            None => self.constant(a, ty),
        }
    }

    /// A constant expression converted to type `ty`.
    fn constant(&mut self, a: &Arith, ty: Ty) -> Result<Src, FilterError> {
        match a {
            Arith::Atom(at) => {
                let lit = match &at.kind {
                    AtomKind::Unparsed | AtomKind::Literal => LitSrc::Word(&at.text),
                    AtomKind::Str(b) => LitSrc::Str(b),
                    AtomKind::CharConst(c) => LitSrc::Char(*c),
                    AtomKind::Group(inner) => return self.constant(inner, ty),
                    _ => return Err(err(format!("{} is neither a field nor a protocol name.", at.text), at.loc)),
                };
                let is_word = matches!(at.kind, AtomKind::Unparsed);
                if is_word && !at.text.contains('.') && crate::wireshark_knows(&at.text) {
                    return Err(unknown_name(&at.text, at.loc));
                }
                match convert(lit, ty.ft, ty.def()) {
                    Ok(c) => Ok(Src::Const(c)),
                    Err(m) => {
                        if is_word && crate::wireshark_knows(&at.text) {
                            return Err(unknown_name(&at.text, at.loc));
                        }
                        Err(err(m, at.loc))
                    }
                }
            }
            Arith::Neg(inner, _) => {
                let s = self.constant(inner, ty)?;
                Ok(match s {
                    Src::Const(Const::Int(i)) => Src::Const(Const::Int(-i)),
                    Src::Const(Const::Float(f)) => Src::Const(Const::Float(-f)),
                    Src::Const(Const::Time(t)) => Src::Const(Const::Time(-t)),
                    other => Src::Neg(Box::new(other)),
                })
            }
            Arith::Bin(op, x, y, _) => Ok(Src::Bin(*op, Box::new(self.constant(x, ty)?), Box::new(self.constant(y, ty)?))),
        }
    }

    /// Resolves a value expression that involves a field; `None` if it is a constant.
    fn resolve(&mut self, a: &Arith) -> Result<Option<(Src, Ty)>, FilterError> {
        match a {
            Arith::Atom(at) => self.atom(at),
            Arith::Neg(inner, _) => Ok(self.resolve(inner)?.map(|(s, t)| (Src::Neg(Box::new(s)), t))),
            Arith::Bin(op, x, y, oploc) => {
                let l = self.resolve(x)?;
                let r = self.resolve(y)?;
                for side in [x, y] {
                    if let Arith::Atom(Atom { kind: AtomKind::Str(_), text, loc }) = &**side {
                        return Err(err(format!("{} is not a valid arithmetic operand.", text), *loc));
                    }
                }
                let (ls, rs, ty) = match (l, r) {
                    (None, None) => return Ok(None),
                    (Some((ls, t)), None) => {
                        let rs = self.constant(y, t)?;
                        (ls, rs, t)
                    }
                    (None, Some((rs, t))) => {
                        let ls = self.constant(x, t)?;
                        (ls, rs, t)
                    }
                    (Some((ls, t)), Some((rs, u))) => {
                        if !compatible(t.ft, u.ft) {
                            return Err(err(format!("{} and {} are not of compatible types.", lhs_text(x), lhs_text(y)), y.loc()));
                        }
                        (ls, rs, t)
                    }
                };
                let ok = match op {
                    ArithOp::BitAnd => is_numeric(ty.ft) || matches!(ty.ft, FieldType::Bytes | FieldType::Protocol),
                    _ => is_numeric(ty.ft),
                };
                if !ok {
                    let sym = match op {
                        ArithOp::BitAnd => "&",
                        ArithOp::Add => "+",
                        ArithOp::Sub => "-",
                        ArithOp::Mul => "*",
                        ArithOp::Div => "/",
                        ArithOp::Mod => "%",
                    };
                    let _ = oploc;
                    return Err(err(format!("{} cannot {}.", ty.ft.ft_name(), sym), x.loc()));
                }
                Ok(Some((Src::Bin(*op, Box::new(ls), Box::new(rs)), ty)))
            }
        }
    }

    fn field(&mut self, id: FieldId, layers: Option<Vec<Range>>) -> (Src, Ty) {
        if !self.fields.contains(&id) {
            self.fields.push(id);
        }
        let ft = id.def().ftype;
        (Src::Field { id, protocol_raw: ft == FieldType::Protocol, layers }, Ty { ft, field: Some(id) })
    }

    fn atom(&mut self, at: &Atom) -> Result<Option<(Src, Ty)>, FilterError> {
        match &at.kind {
            AtomKind::Unparsed => Ok(lookup(&at.text).map(|id| self.field(id, None))),
            AtomKind::DotField(name) => match lookup(name) {
                Some(id) => Ok(Some(self.field(id, None))),
                None if crate::wireshark_knows(name) => Err(unknown_name(name, at.loc)),
                None => Err(err(format!("\"{}\" is not a valid protocol or protocol field.", name), at.loc)),
            },
            AtomKind::Literal | AtomKind::Str(_) | AtomKind::CharConst(_) => Ok(None),
            AtomKind::Group(inner) => self.resolve(inner),
            AtomKind::Layer { inner, ranges } => {
                let id = match (&inner.kind, self.atom(inner)?) {
                    (_, Some((Src::Field { id, .. }, _))) => id,
                    _ => return Err(unknown_name(&inner.text, inner.loc)),
                };
                let rs = parse_ranges(ranges)?;
                Ok(Some(self.field(id, Some(rs))))
            }
            AtomKind::Slice { inner, ranges } => {
                let (src, ty) = match self.atom(inner)? {
                    Some(x) => x,
                    None => return Err(unknown_name(&inner.text, inner.loc)),
                };
                if !can_slice(ty.ft) {
                    return Err(err(
                        format!("\"{}\" is a {} and cannot be sliced into a sequence of bytes.", inner.text, ty.ft.pretty_name()),
                        inner.loc,
                    ));
                }
                let rs = parse_ranges(ranges)?;
                Ok(Some((Src::Slice(Box::new(src), rs), Ty { ft: FieldType::Bytes, field: None })))
            }
            AtomKind::Func { name, args } => self.func(at, name, args).map(Some),
        }
    }

    fn func(&mut self, at: &Atom, name: &str, args: &[Arith]) -> Result<(Src, Ty), FilterError> {
        let (min, max) = match name {
            "len" | "count" | "lower" | "upper" | "string" | "abs" => (1, 1),
            "max" | "min" => (1, usize::MAX),
            _ => return Err(err(format!("Function '{}' does not exist", name), at.loc)),
        };
        let nloc = (at.loc.0, name.len());
        if args.len() < min {
            return Err(err(format!("Function {} needs at least {} arguments.", name, min), nloc));
        }
        if args.len() > max {
            return Err(err(format!("Function {} can only accept {} arguments.", name, max), nloc));
        }
        let only_fields = |a: &Arith| {
            if name == "lower" || name == "upper" {
                err(format!("Only string type fields can be used as parameter for {}()", name), a.loc())
            } else {
                err(format!("Only fields can be used as parameter for {}()", name), a.loc())
            }
        };
        let mut resolved = Vec::new();
        for a in args {
            match self.resolve(a)? {
                Some(x) => resolved.push((x, a)),
                None => {
                    if let Some(e) = self.unknown_word(a) {
                        return Err(e);
                    }
                    return Err(only_fields(a));
                }
            }
        }
        let u32t = Ty { ft: FieldType::U32, field: None };
        let strt = Ty { ft: FieldType::String, field: None };
        let ((src, ty), arg) = resolved.swap_remove(0);
        Ok(match name {
            "len" => (Src::Len(Box::new(src)), u32t),
            "count" => (Src::Count(Box::new(src)), u32t),
            "lower" | "upper" => {
                if ty.ft != FieldType::String {
                    return Err(err(format!("Only string type fields can be used as parameter for {}()", name), arg.loc()));
                }
                let c = if name == "lower" { Case::Lower } else { Case::Upper };
                (Src::Case(Box::new(src), c), strt)
            }
            "string" => (Src::String(Box::new(src), ty.ft), strt),
            "abs" | "max" | "min" => {
                if name == "abs" && !is_numeric(ty.ft) {
                    return Err(err(format!("'{}' is not a valid argument to '{}'()", lhs_text(arg), name), arg.loc()));
                }
                let rty = Ty { ft: ty.ft, field: None };
                match name {
                    "abs" => (Src::Abs(Box::new(src)), rty),
                    _ => {
                        let mut all = vec![src];
                        for ((s, t), a) in resolved {
                            if t.ft != ty.ft {
                                return Err(err(
                                    format!("Arguments to '{}' must have the same type (expected {}, got {})", name, ty.ft.ft_name(), t.ft.ft_name()),
                                    a.loc(),
                                ));
                            }
                            all.push(s);
                        }
                        (if name == "max" { Src::Max(all) } else { Src::Min(all) }, rty)
                    }
                }
            }
            _ => unreachable!(),
        })
    }
}

fn lhs_text(a: &Arith) -> String {
    match a {
        Arith::Atom(at) => at.text.clone(),
        Arith::Neg(inner, _) => format!("-{}", lhs_text(inner)),
        Arith::Bin(_, x, _, _) => lhs_text(x),
    }
}

fn regex_message(e: &regex::Error) -> String {
    match e {
        regex::Error::Syntax(s) => {
            let last = s.lines().rev().find(|l| l.starts_with("error:")).unwrap_or("invalid regular expression");
            last.trim_start_matches("error: ").to_string()
        }
        regex::Error::CompiledTooBig(_) => "regular expression is too large".into(),
        _ => "invalid regular expression".into(),
    }
}

/// Slice ranges: `i:len`, `i-j` (inclusive), `i`, `:len`, `i:`, negative offsets.
fn parse_ranges(ranges: &[(String, Loc)]) -> Result<Vec<Range>, FilterError> {
    let mut out = Vec::new();
    for (text, loc) in ranges {
        out.push(parse_range(text, *loc)?);
    }
    Ok(out)
}

fn int(s: &str, loc: Loc) -> Result<i64, FilterError> {
    let d = s.strip_prefix('-').unwrap_or(s);
    match s.parse::<i64>() {
        Ok(v) if !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()) => Ok(v),
        _ => Err(err(format!("\"{}\" is not a valid number.", s), loc)),
    }
}

fn parse_range(s: &str, loc: Loc) -> Result<Range, FilterError> {
    if let Some((a, b)) = s.split_once(':') {
        let start = if a.is_empty() { 0 } else { int(a, loc)? };
        if b.is_empty() {
            return Ok(Range { start, len: None });
        }
        let len = int(b, loc)?;
        if len <= 0 {
            return Err(err(format!("Range {} isn't valid because length {} isn't positive", s, len), loc));
        }
        return Ok(Range { start, len: Some(len) });
    }
    // `i-j`: a '-' that is not the sign of the first number.
    let skip = usize::from(s.starts_with('-'));
    if let Some(p) = s[skip..].find('-') {
        let (a, b) = (&s[..skip + p], &s[skip + p + 1..]);
        let (x, y) = (int(a, loc)?, int(b, loc)?);
        if x >= y {
            return Err(err(format!("Range {} isn't valid because {} is greater or equal than {}", s, x, y), loc));
        }
        return Ok(Range { start: x, len: Some(y - x + 1) });
    }
    Ok(Range { start: int(s, loc)?, len: Some(1) })
}
