//! The lexer: Go's `text/template/parse/lex.go` state machine, producing
//! the whole token stream of one template text up front.
//!
//! Owns delimiters (`{{ }}` only, as Helm never changes them), trim markers
//! (`{{- ` / ` -}}`, which need the space), comments, and the token shapes of
//! fields, variables, numbers, strings and characters, with Go's lexer error
//! texts (`unclosed action`, `bad character U+002D '-'`, ...). Does not own
//! grammar (see `parse`) nor literal decoding (numbers and escapes are
//! decoded by the parser).
//!
//! The stream ends at the first error token, which the parser reports when
//! it reaches it, so a parse error earlier in the text still wins as in Go.

use std::borrow::Cow;

/// Token kinds (`itemType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl Tok {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            Tok::Block
                | Tok::Break
                | Tok::Continue
                | Tok::Dot
                | Tok::Define
                | Tok::Else
                | Tok::End
                | Tok::If
                | Tok::Nil
                | Tok::Range
                | Tok::Template
                | Tok::With
        )
    }
}

/// One token: kind, byte offset, text and starting line. The text borrows
/// the template source (only error messages are owned), so lexing does not
/// allocate per token.
#[derive(Clone, Debug)]
pub struct Item<'a> {
    pub typ: Tok,
    pub pos: usize,
    pub val: Cow<'a, str>,
    pub line: usize,
}

impl std::fmt::Display for Item<'_> {
    /// Go's `item.String()`, used in "unexpected X in Y" messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.typ {
            Tok::Eof => f.write_str("EOF"),
            Tok::Error => f.write_str(&self.val),
            t if t.is_keyword() => write!(f, "<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    let short: String = self.val.chars().take(10).collect();
                    write!(f, "{}...", crate::fmt::quote(&short))
                } else {
                    f.write_str(&crate::fmt::quote(&self.val))
                }
            }
        }
    }
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

struct Lexer<'a, 'l> {
    input: &'a str,
    pos: usize,
    start: usize,
    items: Vec<Item<'a>>,
    paren_depth: i32,
    lines: &'l LineIndex,
    /// Newlines before the last emitted token: tokens are emitted in
    /// source order, so the line is found by walking forward, not by a
    /// search per token.
    line_cursor: usize,
}

/// Byte offset → line lookups.
pub struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    /// Indexes the newlines of `text`.
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            newlines: memchr::memchr_iter(b'\n', text.as_bytes()).collect(),
        }
    }

    /// 1-based line of byte offset `pos`.
    pub fn line(&self, pos: usize) -> usize {
        1 + self.newlines.partition_point(|&n| n < pos)
    }

    /// Go's `ErrorContext` column: the byte offset on the first line, else
    /// the 0-based byte offset from the start of the line.
    pub fn col(&self, pos: usize) -> usize {
        let i = self.newlines.partition_point(|&n| n < pos);
        if i == 0 {
            pos
        } else {
            pos - (self.newlines[i - 1] + 1)
        }
    }
}

/// Lexes `input` into tokens; the last one is `Eof` or `Error`.
pub fn lex<'a>(input: &'a str, lines: &LineIndex) -> Vec<Item<'a>> {
    let mut l = Lexer {
        input,
        pos: 0,
        start: 0,
        // Templates average well over 8 bytes a token.
        items: Vec::with_capacity(input.len() / 8 + 4),
        paren_depth: 0,
        lines,
        line_cursor: 0,
    };
    l.run();
    l.items
}

enum State {
    Text,
    LeftDelim,
    InsideAction,
    Done,
}

impl<'a> Lexer<'a, '_> {
    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        match self.input.as_bytes().get(self.pos) {
            Some(&b) if b.is_ascii() => Some(b as char),
            Some(_) => self.rest().chars().next(),
            None => None,
        }
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Skips a run of alphanumerics (Go's `isAlphaNumeric`), ASCII bytes
    /// without decoding.
    fn skip_alnum(&mut self) {
        while let Some(&b) = self.input.as_bytes().get(self.pos) {
            if b.is_ascii() {
                if b == b'_' || b.is_ascii_alphanumeric() {
                    self.pos += 1;
                    continue;
                }
                return;
            }
            match self.peek() {
                Some(c) if is_alnum(c) => self.pos += c.len_utf8(),
                _ => return,
            }
        }
    }

    fn emit(&mut self, typ: Tok) {
        let val = Cow::Borrowed(&self.input[self.start..self.pos]);
        self.emit_val(typ, self.start, val);
        self.start = self.pos;
    }

    fn emit_val(&mut self, typ: Tok, pos: usize, val: Cow<'a, str>) {
        let nl = &self.lines.newlines;
        while self.line_cursor < nl.len() && nl[self.line_cursor] < pos {
            self.line_cursor += 1;
        }
        let line = 1 + self.line_cursor;
        self.items.push(Item {
            typ,
            pos,
            val,
            line,
        });
    }

    fn error(&mut self, msg: String) -> State {
        self.emit_val(Tok::Error, self.start, Cow::Owned(msg));
        State::Done
    }

    fn run(&mut self) {
        let mut state = State::Text;
        loop {
            state = match state {
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::InsideAction => self.lex_inside_action(),
                State::Done => return,
            }
        }
    }

    fn lex_text(&mut self) -> State {
        if let Some(x) = memchr::memmem::find(self.rest().as_bytes(), LEFT.as_bytes()) {
            if x > 0 {
                let delim = self.pos + x;
                let mut end = delim;
                if has_left_trim(&self.input[delim + LEFT.len()..]) {
                    end = self.input[self.start..delim]
                        .trim_end_matches(is_space)
                        .len()
                        + self.start;
                }
                if end > self.start {
                    let val = Cow::Borrowed(&self.input[self.start..end]);
                    self.emit_val(Tok::Text, self.start, val);
                }
                self.pos = delim;
                self.start = delim;
            }
            return State::LeftDelim;
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.emit(Tok::Text);
        }
        self.emit_val(Tok::Eof, self.pos, Cow::Borrowed(""));
        State::Done
    }

    /// Whether the input is at a right delimiter, and whether it is
    /// trim-marked (`atRightDelim`).
    fn at_right_delim(&self) -> (bool, bool) {
        let r = self.rest();
        if has_right_trim(r) && r[2..].starts_with(RIGHT) {
            return (true, true);
        }
        (r.starts_with(RIGHT), false)
    }

    fn lex_left_delim(&mut self) -> State {
        self.pos += LEFT.len();
        let trim = has_left_trim(self.rest());
        let after = if trim { 2 } else { 0 };
        if self.rest()[after..].starts_with(LEFT_COMMENT) {
            self.pos += after;
            self.start = self.pos;
            return self.lex_comment();
        }
        self.emit(Tok::LeftDelim);
        self.pos += after;
        self.start = self.pos;
        self.paren_depth = 0;
        State::InsideAction
    }

    fn lex_comment(&mut self) -> State {
        self.pos += LEFT_COMMENT.len();
        let Some(x) = memchr::memmem::find(self.rest().as_bytes(), RIGHT_COMMENT.as_bytes()) else {
            return self.error("unclosed comment".into());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".into());
        }
        if trim {
            self.pos += 2;
        }
        self.pos += RIGHT.len();
        if trim {
            self.pos += self.rest().len() - self.rest().trim_start_matches(is_space).len();
        }
        self.start = self.pos;
        State::Text
    }

    fn lex_right_delim(&mut self) -> State {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.pos += 2;
            self.start = self.pos;
        }
        self.pos += RIGHT.len();
        self.emit(Tok::RightDelim);
        if trim {
            self.pos += self.rest().len() - self.rest().trim_start_matches(is_space).len();
            self.start = self.pos;
        }
        State::Text
    }

    fn lex_inside_action(&mut self) -> State {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return self.lex_right_delim();
            }
            return self.error("unclosed left paren".into());
        }
        let Some(r) = self.next() else {
            return self.error("unclosed action".into());
        };
        match r {
            c if is_space(c) => {
                self.pos -= 1;
                return self.lex_space();
            }
            '=' => self.emit(Tok::Assign),
            ':' => {
                if self.next() != Some('=') {
                    return self.error("expected :=".into());
                }
                self.emit(Tok::Declare);
            }
            '|' => self.emit(Tok::Pipe),
            '"' => return self.lex_quote('"', Tok::String, "unterminated quoted string"),
            '\'' => {
                return self.lex_quote('\'', Tok::CharConstant, "unterminated character constant");
            }
            '`' => {
                let Some(x) = memchr::memchr(b'`', self.rest().as_bytes()) else {
                    return self.error("unterminated raw quoted string".into());
                };
                self.pos += x + 1;
                self.emit(Tok::RawString);
            }
            '$' => return self.lex_field_or_var(Tok::Variable),
            '.' => {
                if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    return self.lex_field_or_var(Tok::Field);
                }
                self.pos -= 1;
                return self.lex_number();
            }
            '+' | '-' | '0'..='9' => {
                self.pos -= 1;
                return self.lex_number();
            }
            c if is_alnum(c) => {
                self.pos -= c.len_utf8();
                return self.lex_identifier();
            }
            '(' => {
                self.emit(Tok::LeftParen);
                self.paren_depth += 1;
            }
            ')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.error("unexpected right paren".into());
                }
                self.emit(Tok::RightParen);
            }
            c if c.is_ascii() && !c.is_ascii_control() => self.emit(Tok::Char),
            c => {
                return self.error(format!(
                    "unrecognized character in action: {}",
                    unicode_sharp(c)
                ));
            }
        }
        State::InsideAction
    }

    fn lex_space(&mut self) -> State {
        let mut n = 0;
        while self
            .input
            .as_bytes()
            .get(self.pos)
            .is_some_and(|&b| is_space(b as char))
        {
            self.pos += 1;
            n += 1;
        }
        // A space may begin a trim-marked right delimiter " -}}".
        let before = &self.input[self.pos - 1..];
        if has_right_trim(before) && before[2..].starts_with(RIGHT) {
            self.pos -= 1;
            if n == 1 {
                return self.lex_right_delim();
            }
        }
        self.emit(Tok::Space);
        State::InsideAction
    }

    fn lex_quote(&mut self, q: char, typ: Tok, unterminated: &str) -> State {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some('\n') | None => return self.error(unterminated.into()),
                    _ => {}
                },
                Some('\n') | None => return self.error(unterminated.into()),
                Some(c) if c == q => break,
                _ => {}
            }
        }
        self.emit(typ);
        State::InsideAction
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if is_space(c) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            _ => self.rest().starts_with(RIGHT),
        }
    }

    fn lex_field_or_var(&mut self, typ: Tok) -> State {
        if self.at_terminator() {
            self.emit(if typ == Tok::Variable {
                Tok::Variable
            } else {
                Tok::Dot
            });
            return State::InsideAction;
        }
        self.skip_alnum();
        if !self.at_terminator() {
            let c = self.peek().unwrap_or('\0');
            return self.error(format!("bad character {}", unicode_sharp(c)));
        }
        self.emit(typ);
        State::InsideAction
    }

    fn lex_identifier(&mut self) -> State {
        self.skip_alnum();
        if !self.at_terminator() {
            let c = self.peek().unwrap_or('\0');
            return self.error(format!("bad character {}", unicode_sharp(c)));
        }
        let typ = match &self.input[self.start..self.pos] {
            "block" => Tok::Block,
            "break" => Tok::Break,
            "continue" => Tok::Continue,
            "define" => Tok::Define,
            "else" => Tok::Else,
            "end" => Tok::End,
            "if" => Tok::If,
            "range" => Tok::Range,
            "nil" => Tok::Nil,
            "template" => Tok::Template,
            "with" => Tok::With,
            "true" | "false" => Tok::Bool,
            _ => Tok::Identifier,
        };
        self.emit(typ);
        State::InsideAction
    }

    fn accept(&mut self, valid: &str) -> bool {
        if let Some(c) = self.peek()
            && valid.contains(c)
        {
            self.pos += c.len_utf8();
            return true;
        }
        false
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alnum) {
            self.next();
            return false;
        }
        true
    }

    fn lex_number(&mut self) -> State {
        if !self.scan_number() {
            let s = crate::fmt::quote(&self.input[self.start..self.pos]);
            return self.error(format!("bad number syntax: {s}"));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let s = crate::fmt::quote(&self.input[self.start..self.pos]);
                return self.error(format!("bad number syntax: {s}"));
            }
            self.emit(Tok::Complex);
            return State::InsideAction;
        }
        self.emit(Tok::Number);
        State::InsideAction
    }
}

/// fmt's `%#U`: `U+002D '-'`.
pub fn unicode_sharp(c: char) -> String {
    if crate::fmt::is_print(c) {
        format!("U+{:04X} '{c}'", c as u32)
    } else {
        format!("U+{:04X}", c as u32)
    }
}
