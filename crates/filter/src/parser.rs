//! The grammar (Wireshark 4.0's `grammar.lemon`) as a recursive-descent parser producing
//! an AST with source locations.
//!
//! ```text
//! sentence   := expr | ε
//! expr       := and ( ("or" | "||") and )*
//! and        := unary ( ("and" | "&&") unary )*
//! unary      := ("not" | "!") unary | "(" expr ")" | relation
//! relation   := ["any" | "all"] arith ( cmp arith )*      -- chains: a < b < c
//!             | arith ["not"] "in" "{" element ("," element)* "}"
//!             | arith ("contains" | "matches" | "~") arith
//! element    := arith [".." arith]
//! arith      := sum ( ("&" | "bitwise_and") sum )*
//! sum        := prod ( ("+" | "-") prod )*
//! prod       := neg ( ("*" | "/" | "%") neg )*
//! neg        := "-" neg | entity
//! entity     := atom ["#" layer] ( "[" ranges "]" )*  |  "{" arith "}"
//! atom       := WORD "(" [arith ("," arith)*] ")" | WORD | LITERAL | STRING | CHARCONST | ".field"
//! ```

use crate::error::FilterError;
use crate::lexer::{CmpOp, Lexer, Tok, Token};

pub type Loc = (usize, usize);

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// Flattened `a or b or c` (at least two operands).
    Or(Vec<Expr>),
    /// Flattened `a and b and c`.
    And(Vec<Expr>),
    Not(Box<Expr>),
    /// A value used as a test: existence of a field, non-zero bitwise and, ...
    Test(Arith),
    Cmp { quant: Option<Quant>, op: CmpOp, op_text: String, op_loc: Loc, lhs: Arith, rhs: Arith },
    Contains { lhs: Arith, rhs: Arith, op_text: String },
    Matches { lhs: Arith, rhs: Arith, op_text: String },
    In { lhs: Arith, set: Vec<SetElem>, negated: bool },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Quant {
    Any,
    All,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SetElem {
    One(Arith),
    Range(Arith, Arith),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ArithOp {
    BitAnd,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Arith {
    Atom(Atom),
    Neg(Box<Arith>, Loc),
    Bin(ArithOp, Box<Arith>, Box<Arith>, Loc),
}

impl Arith {
    /// Location of the whole expression's first token (what tshark points at).
    pub fn loc(&self) -> Loc {
        match self {
            Arith::Atom(a) => a.loc,
            Arith::Neg(_, l) => *l,
            Arith::Bin(_, a, _, _) => a.loc(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Atom {
    pub kind: AtomKind,
    /// Source text of the token (for messages).
    pub text: String,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AtomKind {
    /// A word: field/protocol if known, else a literal.
    Unparsed,
    /// Address, byte string, `:`-prefixed value.
    Literal,
    Str(Vec<u8>),
    CharConst(u64),
    /// `.name`
    DotField(String),
    Func { name: String, args: Vec<Arith> },
    /// `x#N` / `x#[ranges]`
    Layer { inner: Box<Atom>, ranges: Vec<(String, Loc)> },
    /// `x[ranges]`
    Slice { inner: Box<Atom>, ranges: Vec<(String, Loc)> },
    /// `{ arith }` grouping
    Group(Box<Arith>),
}

pub struct Parser<'a> {
    lx: Lexer<'a>,
    peeked: Option<Token>,
    depth: usize,
    arith_ops: usize,
}

const MAX_DEPTH: usize = 64;

pub fn parse(text: &str) -> Result<Option<Expr>, FilterError> {
    let mut p = Parser { lx: Lexer::new(text), peeked: None, depth: 0, arith_ops: 0 };
    if p.peek()?.tok == Tok::Eof {
        return Ok(None);
    }
    let e = p.expr()?;
    let t = p.peek()?;
    if t.tok != Tok::Eof {
        return Err(p.unexpected(&t));
    }
    Ok(Some(e))
}

impl<'a> Parser<'a> {
    fn peek(&mut self) -> Result<Token, FilterError> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lx.next_token()?);
        }
        Ok(self.peeked.clone().unwrap())
    }
    fn bump(&mut self) -> Result<Token, FilterError> {
        let t = self.peek()?;
        self.peeked = None;
        Ok(t)
    }
    fn text(&self, t: &Token) -> String {
        self.lx.text(t).to_string()
    }
    fn unexpected(&self, t: &Token) -> FilterError {
        if t.tok == Tok::Eof {
            return FilterError::eof();
        }
        FilterError::at(format!("\"{}\" was unexpected in this context.", self.lx.text(t)), t.off, t.len)
    }
    fn expect(&mut self, tok: Tok) -> Result<Token, FilterError> {
        let t = self.bump()?;
        if t.tok != tok {
            return Err(self.unexpected(&t));
        }
        Ok(t)
    }

    fn expr(&mut self) -> Result<Expr, FilterError> {
        let mut v = vec![self.and()?];
        while self.peek()?.tok == Tok::Or {
            self.bump()?;
            v.push(self.and()?);
        }
        Ok(if v.len() == 1 { v.pop().unwrap() } else { Expr::Or(v) })
    }

    fn and(&mut self) -> Result<Expr, FilterError> {
        let mut v = vec![self.unary()?];
        while self.peek()?.tok == Tok::And {
            self.bump()?;
            v.push(self.unary()?);
        }
        Ok(if v.len() == 1 { v.pop().unwrap() } else { Expr::And(v) })
    }

    /// Counts nesting (parentheses, `not`, signs, braces, calls, arithmetic operators) so
    /// that hostile input cannot overflow the stack of the recursive passes.
    fn nest(&mut self, t: &Token) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(FilterError::at("Filter expression is nested too deeply.", t.off, t.len));
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Expr, FilterError> {
        let t = self.peek()?;
        self.nest(&t)?;
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<Expr, FilterError> {
        match self.peek()?.tok {
            Tok::Not => {
                self.bump()?;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Tok::LParen => {
                self.bump()?;
                let e = self.expr()?;
                self.expect(Tok::RParen)?;
                Ok(e)
            }
            _ => self.relation(),
        }
    }

    fn relation(&mut self) -> Result<Expr, FilterError> {
        let quant = match self.peek()?.tok {
            Tok::Any => Some(Quant::Any),
            Tok::All => Some(Quant::All),
            _ => None,
        };
        if quant.is_some() {
            self.bump()?;
        }
        let lhs = self.arith()?;
        let t = self.peek()?;
        match t.tok {
            Tok::Cmp(op) => {
                let mut lhs = lhs;
                let mut op = op;
                let mut t = t;
                let mut out: Option<Expr> = None;
                loop {
                    self.bump()?;
                    let rhs = self.arith()?;
                    let e = Expr::Cmp { quant, op, op_text: self.text(&t), op_loc: (t.off, t.len), lhs, rhs: rhs.clone() };
                    out = Some(match out {
                        None => e,
                        Some(Expr::And(mut v)) => {
                            v.push(e);
                            Expr::And(v)
                        }
                        Some(prev) => Expr::And(vec![prev, e]),
                    });
                    let n = self.peek()?;
                    match n.tok {
                        Tok::Cmp(o) => {
                            op = o;
                            t = n;
                            lhs = rhs;
                        }
                        _ => break,
                    }
                }
                Ok(out.unwrap())
            }
            _ if quant.is_some() => Err(self.unexpected(&t)),
            Tok::Contains | Tok::Matches => {
                self.bump()?;
                let rhs = self.arith()?;
                let op_text = self.text(&t);
                Ok(if t.tok == Tok::Contains { Expr::Contains { lhs, rhs, op_text } } else { Expr::Matches { lhs, rhs, op_text } })
            }
            Tok::In => {
                self.bump()?;
                self.set(lhs, false)
            }
            Tok::Not => {
                // `x not in {..}`
                self.bump()?;
                self.expect(Tok::In)?;
                self.set(lhs, true)
            }
            _ => Ok(Expr::Test(lhs)),
        }
    }

    fn set(&mut self, lhs: Arith, negated: bool) -> Result<Expr, FilterError> {
        self.expect(Tok::LBrace)?;
        let mut set = Vec::new();
        loop {
            let a = self.arith()?;
            if self.peek()?.tok == Tok::DotDot {
                self.bump()?;
                let b = self.arith()?;
                set.push(SetElem::Range(a, b));
            } else {
                set.push(SetElem::One(a));
            }
            let t = self.bump()?;
            match t.tok {
                Tok::Comma => continue,
                Tok::RBrace => break,
                _ => return Err(self.unexpected(&t)),
            }
        }
        Ok(Expr::In { lhs, set, negated })
    }

    /// Arithmetic chains nest to the left: bound the length of each chain.
    fn arith_op(&mut self, t: &Token) -> Result<(), FilterError> {
        self.arith_ops += 1;
        if self.arith_ops > MAX_DEPTH {
            return Err(FilterError::at("Filter expression is nested too deeply.", t.off, t.len));
        }
        Ok(())
    }

    fn arith(&mut self) -> Result<Arith, FilterError> {
        let t = self.peek()?;
        self.nest(&t)?;
        let saved = std::mem::replace(&mut self.arith_ops, 0);
        let r = self.arith_inner();
        self.arith_ops = saved;
        self.depth -= 1;
        r
    }

    fn arith_inner(&mut self) -> Result<Arith, FilterError> {
        let mut l = self.sum()?;
        loop {
            let t = self.peek()?;
            if t.tok != Tok::BitAnd {
                return Ok(l);
            }
            self.bump()?;
            self.arith_op(&t)?;
            let r = self.sum()?;
            l = Arith::Bin(ArithOp::BitAnd, Box::new(l), Box::new(r), (t.off, t.len));
        }
    }

    fn sum(&mut self) -> Result<Arith, FilterError> {
        let mut l = self.prod()?;
        loop {
            let t = self.peek()?;
            let op = match t.tok {
                Tok::Plus => ArithOp::Add,
                Tok::Minus => ArithOp::Sub,
                _ => return Ok(l),
            };
            self.bump()?;
            self.arith_op(&t)?;
            let r = self.prod()?;
            l = Arith::Bin(op, Box::new(l), Box::new(r), (t.off, t.len));
        }
    }

    fn prod(&mut self) -> Result<Arith, FilterError> {
        let mut l = self.neg()?;
        loop {
            let t = self.peek()?;
            let op = match t.tok {
                Tok::Star => ArithOp::Mul,
                Tok::Slash => ArithOp::Div,
                Tok::Percent => ArithOp::Mod,
                _ => return Ok(l),
            };
            self.bump()?;
            self.arith_op(&t)?;
            let r = self.neg()?;
            l = Arith::Bin(op, Box::new(l), Box::new(r), (t.off, t.len));
        }
    }

    fn neg(&mut self) -> Result<Arith, FilterError> {
        let t = self.peek()?;
        match t.tok {
            Tok::Minus => {
                self.bump()?;
                self.arith_op(&t)?;
                let inner = self.neg()?;
                Ok(Arith::Neg(Box::new(inner), (t.off, t.len)))
            }
            Tok::Plus => {
                self.bump()?;
                self.arith_op(&t)?;
                self.neg()
            }
            _ => Ok(Arith::Atom(self.entity()?)),
        }
    }

    fn entity(&mut self) -> Result<Atom, FilterError> {
        let t = self.bump()?;
        let text = self.text(&t);
        let loc = (t.off, t.len);
        let mut atom = match t.tok {
            Tok::LBrace => {
                let a = self.arith()?;
                self.expect(Tok::RBrace)?;
                return Ok(Atom { kind: AtomKind::Group(Box::new(a)), text, loc });
            }
            Tok::Unparsed => {
                if self.peek()?.tok == Tok::LParen {
                    self.bump()?;
                    let mut args = Vec::new();
                    if self.peek()?.tok == Tok::RParen {
                        self.bump()?;
                    } else {
                        loop {
                            args.push(self.arith()?);
                            let c = self.bump()?;
                            match c.tok {
                                Tok::Comma => continue,
                                Tok::RParen => break,
                                _ => return Err(self.unexpected(&c)),
                            }
                        }
                    }
                    Atom { kind: AtomKind::Func { name: text.clone(), args }, text, loc }
                } else {
                    Atom { kind: AtomKind::Unparsed, text, loc }
                }
            }
            Tok::Literal => Atom { kind: AtomKind::Literal, text, loc },
            // Field references (`$field`) need a selected packet: not supported, as in tshark.
            Tok::Dollar => {
                let n = self.bump()?;
                return Err(self.unexpected(&n));
            }
            Tok::Str(ref s) => Atom { kind: AtomKind::Str(s.clone()), text, loc },
            Tok::CharConst(v) => Atom { kind: AtomKind::CharConst(v), text, loc },
            Tok::DotField => Atom { kind: AtomKind::DotField(text[1..].to_string()), text, loc },
            _ => return Err(self.unexpected(&t)),
        };
        // Postfix: layer, then slices.
        if self.peek()?.tok == Tok::Hash {
            self.bump()?;
            let n = self.bump()?;
            let ranges = match n.tok {
                Tok::Index => vec![(self.text(&n), (n.off, n.len))],
                Tok::LBracket => self.ranges()?,
                _ => return Err(self.unexpected(&n)),
            };
            let text = atom.text.clone();
            atom = Atom { kind: AtomKind::Layer { inner: Box::new(atom), ranges }, text, loc };
        }
        while self.peek()?.tok == Tok::LBracket {
            self.bump()?;
            let ranges = self.ranges()?;
            let text = atom.text.clone();
            atom = Atom { kind: AtomKind::Slice { inner: Box::new(atom), ranges }, text, loc };
        }
        Ok(atom)
    }

    /// After `[`: range nodes separated by commas, then `]`.
    fn ranges(&mut self) -> Result<Vec<(String, Loc)>, FilterError> {
        let mut v = Vec::new();
        loop {
            let t = self.bump()?;
            match t.tok {
                Tok::RangeNode => v.push((self.text(&t), (t.off, t.len))),
                _ => return Err(self.unexpected(&t)),
            }
            let c = self.bump()?;
            match c.tok {
                Tok::Comma => continue,
                Tok::RBracket => return Ok(v),
                _ => return Err(self.unexpected(&c)),
            }
        }
    }
}
