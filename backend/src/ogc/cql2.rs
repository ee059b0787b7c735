//! CQL2 text (OGC API - Features Part 3, basic CQL2 plus IN and LIKE) parsed into a small tree;
//! `filter` turns the tree into SQL over a collection's queryables.

/// A comparison operator of basic CQL2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    #[must_use]
    pub fn sql(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "<>",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// A literal: the queryables are all text, numbers are kept to name them in the error.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Text(String),
    Number(f64),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Compare(String, Op, Literal),
    In(String, Vec<Literal>, bool),
    Like(String, String, bool),
    IsNull(String, bool),
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Quoted(String),
    Text(String),
    Number(f64),
    Op(Op),
    Open,
    Close,
    Comma,
}

/// `filter: …` errors, with the character position where the text stopped making sense.
fn error(at: usize, what: &str) -> String {
    format!("filter: {what} at character {}", at + 1)
}

fn tokens(text: &str) -> Result<Vec<(usize, Token)>, String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, ch) = chars[i];
        let next = chars.get(i + 1).map(|(_, c)| *c);
        let (token, used) = match ch {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => (Token::Open, 1),
            ')' => (Token::Close, 1),
            ',' => (Token::Comma, 1),
            '=' => (Token::Op(Op::Eq), 1),
            '<' if next == Some('>') => (Token::Op(Op::Ne), 2),
            '<' if next == Some('=') => (Token::Op(Op::Le), 2),
            '<' => (Token::Op(Op::Lt), 1),
            '>' if next == Some('=') => (Token::Op(Op::Ge), 2),
            '>' => (Token::Op(Op::Gt), 1),
            '!' if next == Some('=') => (Token::Op(Op::Ne), 2),
            '\'' | '"' => {
                // a quote inside is written twice: 'O''Brien'
                let mut value = String::new();
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None => return Err(error(at, "an unclosed quote")),
                        Some((_, c)) if *c == ch => {
                            if chars.get(j + 1).map(|(_, c)| *c) == Some(ch) {
                                value.push(ch);
                                j += 2;
                            } else {
                                break;
                            }
                        }
                        Some((_, c)) => {
                            value.push(*c);
                            j += 1;
                        }
                    }
                }
                let token = if ch == '\'' {
                    Token::Text(value)
                } else {
                    Token::Quoted(value)
                };
                (token, j + 1 - i)
            }
            c if c.is_ascii_digit() || c == '-' || c == '.' => {
                let len = chars[i..]
                    .iter()
                    .take_while(|(_, c)| {
                        c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')
                    })
                    .count();
                let literal: String = chars[i..i + len].iter().map(|(_, c)| c).collect();
                let number = literal
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .ok_or_else(|| error(at, &format!("`{literal}` is not a number")))?;
                (Token::Number(number), len)
            }
            c if c.is_alphabetic() || c == '_' => {
                let len = chars[i..]
                    .iter()
                    .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '_' | '.' | ':'))
                    .count();
                (
                    Token::Word(chars[i..i + len].iter().map(|(_, c)| c).collect()),
                    len,
                )
            }
            c => return Err(error(at, &format!("`{c}` is not understood"))),
        };
        out.push((at, token));
        i += used;
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    next: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next).map(|(_, t)| t)
    }

    fn at(&self) -> usize {
        self.tokens.get(self.next).map_or(self.end, |(at, _)| *at)
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word)) {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &Token, what: &str) -> Result<(), String> {
        if self.peek() == Some(token) {
            self.next += 1;
            Ok(())
        } else {
            Err(error(self.at(), &format!("{what} expected")))
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.keyword("OR") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.not()?;
        while self.keyword("AND") {
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, String> {
        if self.keyword("NOT") {
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        if self.peek() == Some(&Token::Open) {
            self.next += 1;
            let inner = self.or()?;
            self.expect(&Token::Close, "`)`")?;
            return Ok(inner);
        }
        self.predicate()
    }

    fn literal(&mut self) -> Result<Literal, String> {
        let at = self.at();
        match self.tokens.get(self.next).map(|(_, t)| t.clone()) {
            Some(Token::Text(s)) => {
                self.next += 1;
                Ok(Literal::Text(s))
            }
            Some(Token::Number(n)) => {
                self.next += 1;
                Ok(Literal::Number(n))
            }
            _ => Err(error(at, "a 'quoted text' or a number expected")),
        }
    }

    fn predicate(&mut self) -> Result<Expr, String> {
        let at = self.at();
        let Some(Token::Word(property) | Token::Quoted(property)) =
            self.tokens.get(self.next).map(|(_, t)| t.clone())
        else {
            return Err(error(at, "a property name expected"));
        };
        self.next += 1;
        if self.peek() == Some(&Token::Open) {
            return Err(error(
                at,
                &format!("function `{property}` is not supported (spatial and temporal filters: use bbox)"),
            ));
        }
        if let Some(Token::Op(op)) = self.peek().cloned() {
            self.next += 1;
            return Ok(Expr::Compare(property, op, self.literal()?));
        }
        if self.keyword("IS") {
            let negated = self.keyword("NOT");
            if !self.keyword("NULL") {
                return Err(error(self.at(), "NULL expected after IS"));
            }
            return Ok(Expr::IsNull(property, negated));
        }
        let negated = self.keyword("NOT");
        if self.keyword("LIKE") {
            let at = self.at();
            return match self.literal()? {
                Literal::Text(pattern) => Ok(Expr::Like(property, pattern, negated)),
                Literal::Number(_) => Err(error(at, "LIKE takes a 'quoted pattern'")),
            };
        }
        if self.keyword("IN") {
            self.expect(&Token::Open, "`(` after IN")?;
            let mut values = vec![self.literal()?];
            while self.peek() == Some(&Token::Comma) {
                self.next += 1;
                values.push(self.literal()?);
            }
            self.expect(&Token::Close, "`)`")?;
            return Ok(Expr::In(property, values, negated));
        }
        Err(error(
            self.at(),
            &format!(
                "an operator (=, <>, <, <=, >, >=, LIKE, IN, IS NULL) expected after `{property}`"
            ),
        ))
    }
}

/// Parses CQL2 text: comparisons, `IN`, `LIKE`, `IS [NOT] NULL`, joined by AND, OR, NOT and
/// parentheses. Errors start with `filter:` and give the position.
pub fn parse(text: &str) -> Result<Expr, String> {
    let tokens = tokens(text)?;
    if tokens.is_empty() {
        return Err("filter: empty".into());
    }
    let mut parser = Parser {
        tokens,
        next: 0,
        end: text.chars().count(),
    };
    let expr = parser.or()?;
    if parser.next < parser.tokens.len() {
        return Err(error(parser.at(), "AND or OR expected"));
    }
    Ok(expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Literal {
        Literal::Text(s.into())
    }

    #[test]
    fn reads_what_gdal_and_qgis_send() {
        // GDAL's OAPIF driver joins its parts with parentheses
        assert_eq!(
            parse("(status = 'signed') AND (project = 'P-1')"),
            Ok(Expr::And(
                Box::new(Expr::Compare("status".into(), Op::Eq, text("signed"))),
                Box::new(Expr::Compare("project".into(), Op::Eq, text("P-1")))
            ))
        );
        assert_eq!(
            parse("NOT status IN ('pending','surveyed') OR code LIKE 'B%'"),
            Ok(Expr::Or(
                Box::new(Expr::Not(Box::new(Expr::In(
                    "status".into(),
                    vec![text("pending"), text("surveyed")],
                    false
                )))),
                Box::new(Expr::Like("code".into(), "B%".into(), false))
            ))
        );
        assert_eq!(
            parse("\"code\" <> 'O''Brien' and stage is not null"),
            Ok(Expr::And(
                Box::new(Expr::Compare("code".into(), Op::Ne, text("O'Brien"))),
                Box::new(Expr::IsNull("stage".into(), true))
            ))
        );
    }

    #[test]
    fn errors_say_where() {
        for (bad, says) in [
            ("status = ", "at character 10"),
            ("status = 'signed", "unclosed quote"),
            ("status ~ 'x'", "`~` is not understood"),
            ("S_INTERSECTS(geometry, POINT(1 2))", "use bbox"),
            ("status = 'a' status = 'b'", "AND or OR expected"),
            ("(status = 'a'", "`)` expected"),
            ("", "empty"),
        ] {
            let got = parse(bad).err().unwrap_or_default();
            assert!(
                got.starts_with("filter: ") && got.contains(says),
                "{bad}: {got}"
            );
        }
    }
}
