//! SCIM 2.0 filter language (RFC 7644 section 3.4.2.2) as the simulated Salesforce org
//! understands it. Two Salesforce rules differ from the RFC:
//! - within one parenthesised level `and` and `or` have equal precedence and are evaluated
//!   strictly left to right: `a or b and c` means `(a or b) and c`;
//! - `id`, `externalId`, `meta.version` and `members.value` compare case-exactly; every other
//!   string attribute compares case-insensitively.
//!
//! Parsing never panics: input is capped at [`MAX_LEN`] bytes and [`MAX_DEPTH`] levels of
//! `(`/`[` nesting, which also bounds the parser's recursion.

use serde_json::Value;
use std::iter::Peekable;
use std::str::CharIndices;

/// Longest filter accepted, in bytes.
pub const MAX_LEN: usize = 4096;
/// Deepest nesting of `(` / `[` accepted.
pub const MAX_DEPTH: usize = 32;

/// Core schemas: their attributes live at the top level of the resource JSON.
const CORE_SCHEMAS: [&str; 2] = [
    "urn:ietf:params:scim:schemas:core:2.0:User",
    "urn:ietf:params:scim:schemas:core:2.0:Group",
];
/// Lower-cased core paths whose string values compare case-exactly.
const CASE_EXACT: [&str; 4] = ["id", "externalid", "meta.version", "members.value"];

/// An attribute path such as `name.familyName` or `urn:...:enterprise:2.0:User:employeeNumber`.
#[derive(Debug, Clone, PartialEq)]
pub struct AttrPath {
    /// Extension schema URN holding the attribute; `None` for top-level (core) attributes.
    pub schema: Option<String>,
    /// Attribute name followed by sub-attribute names, as written.
    pub names: Vec<String>,
    /// Whether string comparisons on this attribute are case-exact.
    pub case_exact: bool,
}

/// Binary comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

/// Literal on the right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum CompValue {
    Str(String),
    Num(f64),
    Bool(bool),
    /// Accepted by the parser; comparing with null never matches.
    Null,
}

/// A parsed SCIM filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `<path> <op> <value>`
    Compare(AttrPath, CompareOp, CompValue),
    /// `<path> pr`
    Present(AttrPath),
    /// `<path>[<filter>]`: some element of the (multi-valued) attribute matches the filter.
    ValuePath(AttrPath, Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
}

/// Why a filter was refused. The first field is always the byte offset of the problem
/// (for `TooLong`, the input length).
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FilterError {
    #[error("filter is {0} bytes long: the limit is {MAX_LEN} bytes")]
    TooLong(usize),
    #[error("filter nests deeper than {MAX_DEPTH} levels at offset {0}")]
    TooDeep(usize),
    #[error("unterminated string starting at offset {0}: add the closing '\"'")]
    UnterminatedString(usize),
    #[error(
        "invalid escape at offset {0}: use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX"
    )]
    InvalidEscape(usize),
    #[error("invalid number \"{1}\" at offset {0}")]
    InvalidNumber(usize, String),
    #[error("invalid attribute path \"{1}\" at offset {0}: write name, name.sub or urn:...:name; names start with a letter and hold letters, digits, '_' or '-'")]
    InvalidAttribute(usize, String),
    #[error(
        "unknown operator \"{1}\" at offset {0}: use eq, ne, co, sw, ew, gt, ge, lt, le or pr"
    )]
    UnknownOperator(usize, String),
    #[error("missing value at offset {0}, found {1}: use a double-quoted string, a number, true, false or null")]
    MissingValue(usize, String),
    /// Offset, what was expected, what was found.
    #[error("expected {1} at offset {0}, found {2}")]
    Expected(usize, String, String),
    #[error("trailing {1} at offset {0}: expected and, or, or the end of the filter")]
    TrailingInput(usize, String),
    #[error("unbalanced '{1}' at offset {0}: every '(' needs a ')' and every '[' a ']'")]
    Unbalanced(usize, char),
}

/// Parses a filter. Input longer than 4096 bytes or nested deeper than 32 levels is refused.
pub fn parse(input: &str) -> Result<Filter, FilterError> {
    if input.len() > MAX_LEN {
        return Err(FilterError::TooLong(input.len()));
    }
    let mut p = Parser { src: input, pos: 0 };
    let filter = p.chain(None, 0)?;
    match p.peek() {
        None => Ok(filter),
        Some(')') => Err(FilterError::Unbalanced(p.pos, ')')),
        Some(_) => Err(FilterError::TrailingInput(p.pos, p.found())),
    }
}

impl Filter {
    /// True when the resource matches.
    pub fn matches(&self, resource: &Value) -> bool {
        match self {
            Filter::And(a, b) => a.matches(resource) && b.matches(resource),
            Filter::Or(a, b) => a.matches(resource) || b.matches(resource),
            Filter::Not(f) => !f.matches(resource),
            // `resolve` already drops nulls and flattens (possibly empty) arrays.
            Filter::Present(path) => resolve(resource, path).any(|v| v.as_str() != Some("")),
            Filter::ValuePath(path, f) => resolve(resource, path).any(|v| f.matches(v)),
            Filter::Compare(path, op, value) => {
                let exact = path.case_exact;
                resolve(resource, path).any(|v| compare(v, *op, value, exact))
            }
        }
    }

    /// If the filter is exactly `<attr> eq "<string>"` (attr compared case-insensitively),
    /// returns Some(value) — used for index lookups.
    pub fn as_eq(&self, attr: &str) -> Option<&str> {
        let Filter::Compare(path, CompareOp::Eq, CompValue::Str(s)) = self else {
            return None;
        };
        let want = split_path(attr, None)?;
        let schema = |p: &AttrPath| p.schema.as_deref().map(str::to_ascii_lowercase);
        let dotted = |p: &AttrPath| p.names.join(".").to_ascii_lowercase();
        let same = schema(&want) == schema(path) && dotted(&want) == dotted(path);
        same.then_some(s.as_str())
    }
}

/// Every non-null value reached by `path`; arrays on the way are crossed (any-match).
fn resolve<'a>(resource: &'a Value, path: &AttrPath) -> impl Iterator<Item = &'a Value> {
    let root = match &path.schema {
        None => Some(resource),
        Some(urn) => get_key(resource, urn),
    };
    let mut current: Vec<&Value> = root.into_iter().collect();
    for name in &path.names {
        let next = current.into_iter().flat_map(elements);
        current = next.filter_map(|v| get_key(v, name)).collect();
    }
    let found = current.into_iter().flat_map(elements);
    found.filter(|v| !v.is_null())
}

/// An array's elements, or the value itself.
fn elements(v: &Value) -> &[Value] {
    match v {
        Value::Array(items) => items,
        other => std::slice::from_ref(other),
    }
}

/// Object member lookup: exact key first, then case-insensitively.
fn get_key<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    let obj = v.as_object()?;
    let mut folded = obj.iter().filter(|(k, _)| k.eq_ignore_ascii_case(key));
    obj.get(key).or_else(|| folded.next().map(|(_, v)| v))
}

/// Compares one attribute value with a literal; mismatched types never match.
fn compare(actual: &Value, op: CompareOp, expected: &CompValue, exact: bool) -> bool {
    use CompareOp::*;
    let fold = |s: &str| if exact { s.into() } else { s.to_lowercase() };
    let order = match (actual, expected) {
        (Value::String(a), CompValue::Str(b)) => {
            let (a, b) = (fold(a), fold(b));
            match op {
                Co => return a.contains(&b),
                Sw => return a.starts_with(&b),
                Ew => return a.ends_with(&b),
                _ => a.cmp(&b),
            }
        }
        (Value::Number(a), CompValue::Num(b)) => match a.as_f64().and_then(|a| a.partial_cmp(b)) {
            Some(order) => order,
            None => return false,
        },
        // Booleans are not ordered: only eq and ne apply.
        (Value::Bool(a), CompValue::Bool(b)) if matches!(op, Eq | Ne) => a.cmp(b),
        _ => return false,
    };
    match op {
        Eq => order.is_eq(),
        Ne => order.is_ne(),
        Gt => order.is_gt(),
        Ge => order.is_ge(),
        Lt => order.is_lt(),
        Le => order.is_le(),
        Co | Sw | Ew => false,
    }
}

/// Characters of a "word": keywords, operators, attribute paths (URNs hold ':' and '.'),
/// numbers, true/false/null.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '.' | ':' | '$')
}

/// What the recursive parsing functions return.
type Parsed = Result<Filter, FilterError>;

/// Recursive-descent parser working directly on the input. `pos` is a byte offset that
/// always sits on a char boundary; `depth` arguments count enclosing `(`/`[`.
struct Parser<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    /// Skips whitespace and returns the next character without consuming it.
    fn peek(&mut self) -> Option<char> {
        let rest = self.rest();
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        self.pos += rest.len() - trimmed.len();
        trimmed.chars().next()
    }

    /// Consumes `c` if it comes next.
    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        self.pos += if found { c.len_utf8() } else { 0 };
        found
    }

    /// Consumes the next word (possibly empty) and returns its offset and text.
    fn word(&mut self) -> (usize, &'a str) {
        self.peek();
        let (start, rest) = (self.pos, self.rest());
        self.pos += rest.find(|c| !is_word_char(c)).unwrap_or(rest.len());
        (start, &rest[..self.pos - start])
    }

    /// What comes next, for error messages.
    fn found(&mut self) -> String {
        let save = self.pos;
        let (_, w) = self.word();
        self.pos = save;
        match self.peek() {
            None => "the end of the filter".into(),
            Some('"') => "a string".into(),
            Some(c) if w.is_empty() => format!("\"{c}\""),
            Some(_) => format!("\"{w}\""),
        }
    }

    fn expected(&mut self, what: &str) -> FilterError {
        let found = self.found();
        FilterError::Expected(self.pos, what.into(), found)
    }

    /// `term (("and" | "or") term)*`, folded strictly left to right (Salesforce rule).
    fn chain(&mut self, parent: Option<&AttrPath>, depth: usize) -> Parsed {
        let mut left = self.term(parent, depth)?;
        loop {
            let save = self.pos;
            let join: fn(_, _) -> Filter = match self.word().1 {
                w if w.eq_ignore_ascii_case("and") => Filter::And,
                w if w.eq_ignore_ascii_case("or") => Filter::Or,
                _ => {
                    self.pos = save;
                    return Ok(left);
                }
            };
            left = join(Box::new(left), Box::new(self.term(parent, depth)?));
        }
    }

    /// `"(" chain ")"` | `"not" "(" chain ")"` | `path "[" chain "]"` | `path "pr"` |
    /// `path op value`.
    fn term(&mut self, parent: Option<&AttrPath>, depth: usize) -> Parsed {
        if self.eat('(') {
            return self.nested(')', parent, depth);
        }
        let (at, word) = self.word();
        if word.eq_ignore_ascii_case("not") {
            if !self.eat('(') {
                return Err(self.expected("'(' after not"));
            }
            let inner = self.nested(')', parent, depth)?;
            return Ok(Filter::Not(Box::new(inner)));
        }
        if word.is_empty() {
            return Err(self.expected("an attribute name, '(' or not"));
        }
        let path = split_path(word, parent)
            .ok_or_else(|| FilterError::InvalidAttribute(at, word.into()))?;
        // Value filter `emails[...]`; these cannot nest.
        if parent.is_none() && self.eat('[') {
            let inner = self.nested(']', Some(&path), depth)?;
            return Ok(Filter::ValuePath(path, Box::new(inner)));
        }
        let (at, op) = self.word();
        let op = match op.to_ascii_lowercase().as_str() {
            "pr" => return Ok(Filter::Present(path)),
            "eq" => CompareOp::Eq,
            "ne" => CompareOp::Ne,
            "co" => CompareOp::Co,
            "sw" => CompareOp::Sw,
            "ew" => CompareOp::Ew,
            "gt" => CompareOp::Gt,
            "ge" => CompareOp::Ge,
            "lt" => CompareOp::Lt,
            "le" => CompareOp::Le,
            "" => {
                return Err(self.expected("an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr)"))
            }
            _ => return Err(FilterError::UnknownOperator(at, op.into())),
        };
        Ok(Filter::Compare(path, op, self.value()?))
    }

    /// The rest of a group whose opening `(` or `[` was just consumed, up to `close`.
    fn nested(&mut self, close: char, parent: Option<&AttrPath>, depth: usize) -> Parsed {
        let open = self.pos - 1;
        if depth >= MAX_DEPTH {
            return Err(FilterError::TooDeep(open));
        }
        let inner = self.chain(parent, depth + 1)?;
        if self.peek().is_none() {
            let open_char = if close == ')' { '(' } else { '[' };
            return Err(FilterError::Unbalanced(open, open_char));
        } else if !self.eat(close) {
            return Err(self.expected(&format!("'{close}', and or or")));
        }
        Ok(inner)
    }

    /// A comparison value: JSON string, number, true, false or null.
    fn value(&mut self) -> Result<CompValue, FilterError> {
        if self.eat('"') {
            return self.string().map(CompValue::Str);
        }
        let (at, w) = self.word();
        Ok(match w.to_ascii_lowercase().as_str() {
            "true" => CompValue::Bool(true),
            "false" => CompValue::Bool(false),
            "null" => CompValue::Null,
            _ if w.starts_with(|c: char| c.is_ascii_digit() || c == '-') => {
                // `f64::from_str` also takes "inf"/"nan"; allow only JSON number characters.
                let numeric = w.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c));
                match w.parse::<f64>() {
                    Ok(n) if numeric && n.is_finite() => CompValue::Num(n),
                    _ => return Err(FilterError::InvalidNumber(at, w.into())),
                }
            }
            _ => {
                self.pos = at;
                return Err(FilterError::MissingValue(at, self.found()));
            }
        })
    }

    /// Body of a JSON string whose opening quote was just consumed.
    fn string(&mut self) -> Result<String, FilterError> {
        let base = self.pos;
        let mut chars = self.rest().char_indices().peekable();
        let mut s = String::new();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos = base + i + 1;
                    return Ok(s);
                }
                '\\' => s.push(escape(&mut chars).ok_or(FilterError::InvalidEscape(base + i))?),
                c => s.push(c),
            }
        }
        Err(FilterError::UnterminatedString(base - 1))
    }
}

/// Decodes the escape after a backslash; a `\u` high surrogate needs its low half.
fn escape(chars: &mut Peekable<CharIndices>) -> Option<char> {
    let hex4 = |chars: &mut Peekable<CharIndices>| {
        (0..4).try_fold(0, |acc, _| Some(acc * 16 + chars.next()?.1.to_digit(16)?))
    };
    Some(match chars.next()?.1 {
        e @ ('"' | '\\' | '/') => e,
        'b' => '\u{8}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'u' => match hex4(chars)? {
            hi @ 0xD800..=0xDBFF => {
                chars.next_if(|c| c.1 == '\\')?;
                chars.next_if(|c| c.1 == 'u')?;
                let lo = hex4(chars).filter(|lo| (0xDC00..=0xDFFF).contains(lo))?;
                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?
            }
            code => char::from_u32(code)?,
        },
        _ => return None,
    })
}

/// Splits `[urn:...:]name(.sub)*`; `parent` is the path of an enclosing `attr[...]`.
fn split_path(text: &str, parent: Option<&AttrPath>) -> Option<AttrPath> {
    // The URN prefix is everything up to the last ':' (attribute names contain none).
    let (schema, attr) = match text.rfind(':') {
        Some(i) if text.get(..4)?.eq_ignore_ascii_case("urn:") => {
            let urn = &text[..i];
            let core = CORE_SCHEMAS.iter().any(|c| c.eq_ignore_ascii_case(urn));
            ((!core).then(|| urn.to_string()), &text[i + 1..])
        }
        Some(_) => return None,
        None => (None, text),
    };
    let names: Vec<String> = attr.split('.').map(str::to_string).collect();
    if !names.iter().all(|n| valid_name(n)) {
        return None;
    }
    // Case-exactness depends on the full core path, so `members[value eq ...]` counts too.
    let prefix = parent.map_or(String::new(), |p| p.names.join(".") + ".");
    let full = (prefix + &names.join(".")).to_ascii_lowercase();
    let core = schema.is_none() && parent.and_then(|p| p.schema.as_ref()).is_none();
    let case_exact = core && CASE_EXACT.contains(&full.as_str());
    Some(AttrPath {
        schema,
        names,
        case_exact,
    })
}

/// `ALPHA *(ALPHA / DIGIT / "_" / "-")`, plus `$` as in `$ref`.
fn valid_name(n: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$');
    n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '$') && n.chars().all(ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
    const EXT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    fn user() -> Value {
        json!({
            "id": "005xx000001AbCdEAF", "externalId": "Ext-42", "userName": "BJensen@Example.com",
            "name": { "familyName": "Jensen", "givenName": "Barbara" },
            "title": "", "nickName": null, "active": true, "loginCount": 42, "phoneNumbers": [],
            "emails": [
                { "value": "bjensen@example.com", "type": "work", "primary": true },
                { "value": "babs@jensen.org", "type": "home" }
            ],
            "meta": { "lastModified": "2024-05-13T04:42:34Z", "version": "W/\"a330b\"" },
            EXT: { "employeeNumber": "701984", "manager": { "value": "005xx000000MgRa" } }
        })
    }

    /// One case per line: `<filter that matches> | <filter that does not>`, either side
    /// may be empty; `$CORE` / `$EXT` expand to the core User / enterprise extension URNs.
    fn check(resource: &Value, table: &str) {
        for line in table.lines().filter(|l| !l.trim().is_empty()) {
            let (yes, no) = line.split_once('|').expect(line);
            for (filter, want) in [(yes, true), (no, false)] {
                let filter = filter.trim().replace("$CORE", CORE).replace("$EXT", EXT);
                if !filter.is_empty() {
                    let f = parse(&filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
                    assert_eq!(f.matches(resource), want, "{filter}");
                }
            }
        }
    }

    fn err(filter: &str) -> String {
        parse(filter).expect_err(filter).to_string()
    }

    #[test]
    fn each_operator() {
        let table = r#"
            userName eq "bjensen@example.com"     | userName eq "bjensen"
            userName ne "bjensen"                 | userName ne "BJENSEN@example.com"
            userName co "JENSEN@"                 | userName co "smith"
            userName sw "bj"                      | userName sw "jensen"
            userName ew ".COM"                    | userName ew ".org"
            name.familyName gt "Hansen"           | name.familyName gt "jensen"
            name.familyName ge "jensen"           | name.familyName ge "Karl"
            name.familyName lt "karl"             | name.familyName lt "Jensen"
            name.familyName le "JENSEN"           | name.familyName le "Adams"
            meta.lastModified gt "2024-01-01T00Z" | meta.lastModified lt "2024-01-01T00Z"
            loginCount eq 4.2e1                   | loginCount eq "42"
            loginCount ge 42                      | loginCount gt 42
            loginCount lt 1e2                     | loginCount le -1
            loginCount ne 7                       | loginCount co 4
            active eq true                        | active eq false
            active ne false                       | active gt false
        "#;
        check(&user(), table);
    }

    #[test]
    fn present_missing_and_null() {
        // Empty strings, nulls and empty arrays are absent; a missing attribute matches
        // nothing, not even `ne`, except under `not`.
        let table = r#"
            userName pr                | title pr
            emails.type pr             | nickName pr
            name pr                    | phoneNumbers pr
            not (displayName eq "x")   | displayName ne "x"
            not (nickName eq null)     | nickName eq null
        "#;
        check(&user(), table);
    }

    #[test]
    fn case_insensitive_keywords_names_and_values() {
        let table = r#"
            USERNAME EQ "BJENSEN@example.COM" AND Active Eq TRUE | NOT (userName PR)
            Name.FamilyName Sw "JEN" oR title pR                 | NAME.FAMILYNAME EW "X"
        "#;
        check(&user(), table);
    }

    #[test]
    fn case_exact_attributes() {
        let table = r#"
            id eq "005xx000001AbCdEAF"    | id eq "005XX000001ABCDEAF"
            externalId eq "Ext-42"        | EXTERNALID eq "ext-42"
            meta.version eq "W/\"a330b\"" | meta.version eq "w/\"A330B\""
            $CORE:id sw "005xx"           | $CORE:id sw "005XX"
        "#;
        check(&user(), table);
        let group = json!({ "displayName": "Admins", "members": [{ "value": "005xAbC" }] });
        let table = r#"
            displayName eq "ADMINS"       | displayName eq "Admin"
            members.value eq "005xAbC"    | members.value eq "005XABC"
            members[VALUE eq "005xAbC"]   | members[value eq "005xabc"]
        "#;
        check(&group, table);
    }

    #[test]
    fn id_string_ordering() {
        // Case-exact ordering: 'A' (0x41) sorts before 'a' (0x61).
        let table = r#"
            id gt "005xx000001AbCdEAA"    | id gt "005xx000001AbCdEAF"
            id ge "005xx000001AbCdEAF"    | id lt "005xx000001AbCdEAF"
            id gt "004zz"                 | id gt "006"
            id lt "005xx000001a"          | id gt "005xx000001a"
        "#;
        check(&user(), table);
    }

    #[test]
    fn and_or_evaluate_left_to_right() {
        // a is true; b and c are false. RFC precedence would read `a or b and c` as
        // `a or (b and c)` = true; Salesforce reads it as `(a or b) and c` = false.
        let (a, b, c) = ("name.givenName pr", "active eq false", "title pr");
        let rfc_vs_salesforce = format!("{a} or ({b} and {c}) | {a} or {b} and {c}");
        check(&user(), &rfc_vs_salesforce);
        let more = format!("{b} and {c} or {a} | ({a} or {b}) and {c}");
        check(&user(), &more);
        let p = |s: &str| Box::new(parse(s).expect(s));
        let tree = Filter::And(Box::new(Filter::Or(p(a), p(b))), p(c));
        assert_eq!(parse(&format!("{a} or {b} and {c}")), Ok(tree));
    }

    #[test]
    fn not_and_parentheses() {
        let table = r#"
            not (userName eq "nobody")        | not(userName pr)
            not (not (active eq true))        | ((userName sw "x") or (title pr))
            ((((userName sw "bj"))))          | not ( not ( active eq false ) )
            active pr and not (title pr or nickName pr) |
        "#;
        check(&user(), table);
    }

    #[test]
    fn urn_prefixed_paths() {
        let table = r#"
            $CORE:userName eq "BJENSEN@example.com" | $CORE:nickName pr
            $CORE:name.familyName eq "jensen"       | $EXT:userName pr
            $EXT:employeeNumber eq "701984"         | employeeNumber pr
            $EXT:manager.value sw "005"             | $EXT:manager.value sw "006"
            URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:EMPLOYEENUMBER pr |
        "#;
        check(&user(), table);
    }

    #[test]
    fn multi_valued_any_match_and_value_filters() {
        let table = r#"
            emails.value eq "babs@jensen.org"       | emails.value eq "x@example.com"
            emails.value ne "babs@jensen.org"       | emails.type eq "other"
            emails.type eq "home" and emails.primary eq true | emails.x pr
            emails[type eq "work" and value co "@example.com"] |
            | emails[type eq "home" and value co "@example.com"]
            emails[not (primary pr)]                | emails[type eq "home" and primary pr]
            name[familyName eq "Jensen"]            | name[familyName eq "Hansen"]
        "#;
        check(&user(), table);
    }

    #[test]
    fn escapes_whitespace_and_as_eq() {
        let f = parse(r#"  userName   eq	"a\"b\\c\/d\n\t\u00e9\ud83d\ude00"   "#).expect("ok");
        assert_eq!(f.as_eq("userName"), Some("a\"b\\c/d\n\té😀"));
        let spaced = "\tuserName \t eq   \"bjensen@example.com\"  and(active eq true)";
        check(&user(), &format!("{spaced} |"));
        let f = parse(r#"USERNAME EQ "BJensen""#).expect("ok");
        assert_eq!(f.as_eq("userName"), Some("BJensen"));
        assert_eq!(f.as_eq(&format!("{CORE}:username")), Some("BJensen"));
        assert_eq!(f.as_eq("id"), None);
        for other in [r#"userName ne "x""#, "userName eq 5", "userName pr"] {
            assert!(parse(other).expect(other).as_eq("userName").is_none());
        }
        let ext = parse(&format!(r#"{EXT}:employeeNumber eq "7""#)).expect("ok");
        assert_eq!(ext.as_eq(&format!("{EXT}:employeeNumber")), Some("7"));
        assert_eq!(ext.as_eq("employeeNumber"), None);
    }

    #[test]
    fn error_messages() {
        // Each line: the filter, then `=>`, then the start of the expected message.
        let cases = r#"
            userName eq "bj => unterminated string starting at offset 12: add the closing '"'
            userName eqq "x" => unknown operator "eqq" at offset 9: use eq, ne, co, sw, ew, gt, ge,
            userName eq => missing value at offset 11, found the end of the filter: use a double-
            userName eq bj => missing value at offset 12, found "bj": use a double-quoted string
            userName eq 'x' => missing value at offset 12, found "'"
            userName pr x => trailing "x" at offset 12: expected and, or, or the end of the filter
            (userName pr => unbalanced '(' at offset 0: every '(' needs a ')' and every '[' a ']'
            userName pr) => unbalanced ')' at offset 11
            emails[type pr => unbalanced '[' at offset 6
            (userName pr x) => expected ')', and or or at offset 13, found "x"
            id pr and => expected an attribute name, '(' or not at offset 9, found the end of the
            userName => expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) at offset 8
            userName "x" => expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) at offset 9
            not userName pr => expected '(' after not at offset 4, found "userName"
            emails[type[value pr]] => expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le
            userName eq 12ab => invalid number "12ab" at offset 12
            userName eq -inf => invalid number "-inf" at offset 12
            userName eq "\q" => invalid escape at offset 13: use \", \\, \/, \b, \f, \n, \r, \t or
            userName eq "\ud83d" => invalid escape at offset 13
            foo:bar pr => invalid attribute path "foo:bar" at offset 0: write name, name.sub or urn:
            name..x pr => invalid attribute path "name..x" at offset 0
        "#;
        for (filter, want) in cases.lines().filter_map(|l| l.trim().split_once(" => ")) {
            let got = err(filter);
            assert!(got.starts_with(want), "{filter}: {got}");
        }
        let empty = "expected an attribute name, '(' or not at offset 0, found the end of";
        assert_eq!(err(""), format!("{empty} the filter"));
        assert!(err("emails[type[value pr]]").ends_with("at offset 11, found \"[\""));
        assert!(err("userName \"x\"").ends_with("at offset 9, found a string"));
        let ok = format!(r#"userName eq "{}""#, "x".repeat(MAX_LEN - 14));
        assert!(ok.len() == MAX_LEN && parse(&ok).is_ok());
        let too_long = "filter is 4097 bytes long: the limit is 4096 bytes";
        assert_eq!(err(&format!("{ok} ")), too_long);
    }

    #[test]
    fn nesting_limit() {
        let nest = |n: usize| format!("{}userName pr{}", "(".repeat(n), ")".repeat(n));
        let (deepest, missing) = (nest(32), nest(32).replace("userName", "x"));
        check(&user(), &format!("{deepest} | {missing}"));
        let too_deep = "filter nests deeper than 32 levels at offset";
        assert_eq!(err(&nest(33)), format!("{too_deep} 32"));
        let nots = format!("{}userName pr{}", "not (".repeat(33), ")".repeat(33));
        assert_eq!(err(&nots), format!("{too_deep} 164"));
        // A maximal flat chain is fine: parsing loops, matching recurses once per link.
        let chain = vec!["id pr"; 455].join(" or ");
        assert!(chain.len() <= MAX_LEN && parse(&chain).expect("ok").matches(&user()));
    }

    #[test]
    fn pseudo_random_inputs_never_panic() {
        // Pieces of the grammar to glue together.
        let mut pieces: Vec<_> = "userName emails .value urn:x: : eq pr".split(' ').collect();
        pieces.extend(r#"and or not ( ) [ ] " \ \u d83d x é 1 - . e true null "bj""#.split(' '));
        pieces.extend([" ", "\t"]);
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15; // xorshift64
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let valid = r#"emails[type eq "w"] and not (id gt "0" or $CORE:name.x pr)"#;
        let valid = valid.replace("$CORE", CORE); // ASCII only, so any byte splits it
        let mut parsed = 0;
        for i in 0..3000 {
            // Half the inputs are random pieces, half a valid filter with one edit.
            let s = if i % 2 == 0 {
                let words: Vec<&str> = (0..next(16)).map(|_| pieces[next(pieces.len())]).collect();
                words.join(" ")
            } else {
                let (head, tail) = valid.split_at(next(valid.len()));
                let (insert, cut) = (pieces[next(pieces.len())], next(2).min(tail.len()));
                [head, insert, &tail[cut..]].concat()
            };
            if let Ok(f) = parse(&s) {
                parsed += 1;
                let _ = (f.matches(&user()), f.as_eq("id"));
                let _ = f.matches(&json!([1, null]));
            }
        }
        assert!(parsed > 100, "only {parsed} inputs parsed");
    }
}

/// A filter simple enough to answer from an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Simple {
    /// `id gt "<id>"`
    IdGt(String),
    /// `userName eq "<name>"` (usernames compare without regard to case)
    UserNameEq(String),
}

/// Recognises the two filters clients page and look up users with.
pub fn simple(filter: Option<&str>) -> Option<Simple> {
    let parsed = parse(filter?.trim()).ok()?;
    let Filter::Compare(path, op, CompValue::Str(v)) = parsed else {
        return None;
    };
    if path.schema.is_some() || path.names.len() != 1 {
        return None;
    }
    match (path.names[0].to_ascii_lowercase().as_str(), op) {
        ("id", CompareOp::Gt) => Some(Simple::IdGt(v)),
        ("username", CompareOp::Eq) => Some(Simple::UserNameEq(v)),
        _ => None,
    }
}
