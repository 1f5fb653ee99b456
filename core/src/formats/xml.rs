//! What the two XML readers (Cobertura, JaCoCo) share: a streaming reader configured so
//! that nothing outside the file is ever touched, and errors in words a user understands.
//!
//! quick-xml does no DTD processing at all: a DOCTYPE is handed over as text and never
//! fetched, and only the five predefined entities and character references are ever
//! replaced. On top of that, a DOCTYPE that *declares* entities is refused outright, as
//! defusedxml does: no coverage tool writes one, and it is how billion-laughs and external
//! entity (XXE) attacks start. Any other entity reference in a value covgap reads is an
//! error, never an expansion.

use crate::error::{ErrorKind, ParseError};
use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};
use quick_xml::events::BytesStart;
use quick_xml::Reader;
use std::borrow::Cow;

/// How deep elements may nest. Cobertura needs 8 levels and JaCoCo a few more per group;
/// anything deeper is not a coverage report, and is refused before it costs anything.
pub(crate) const MAX_DEPTH: usize = 256;

/// A reader over `text` that checks that end tags match their start tags.
pub(crate) fn reader(text: &str) -> Reader<&[u8]> {
    let mut r = Reader::from_str(text);
    let c = r.config_mut();
    c.check_end_names = true;
    c.expand_empty_elements = false;
    // Whitespace-only text between elements gives no event at all (most of a report's
    // events otherwise); the one text covgap reads, <source>, is read raw.
    c.trim_text(true);
    r
}

/// Where `rd` is in `text`, in bytes: what [`Reader::buffer_position`] says, counting also
/// what [`next_empty`] read past the reader.
pub(crate) fn offset(rd: &Reader<&[u8]>, text: &str) -> u64 {
    text.len().saturating_sub(rd.get_ref().len()) as u64
}

/// How many bytes [`next_empty`] has read past `rd` so far: what to add to the reader's
/// own positions (its [`Reader::error_position`]); taken before the read that fails.
pub(crate) fn skipped(rd: &Reader<&[u8]>, text: &str) -> u64 {
    offset(rd, text).saturating_sub(rd.buffer_position())
}

/// XML's white space, as quick-xml trims it.
#[inline]
fn white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// The fast path for the elements most of a report is made of (`<line …/>`, `<counter …/>`):
/// if what comes next in `rd` (after white space) is an empty element whose name is plain
/// ASCII, reads it past the reader and returns it as the reader would return it
/// (`Event::Empty`, with the same content), with the offset the reader's event would have
/// started at. Otherwise `None`, nothing is consumed, and the reader takes over, errors and
/// all. `rd` must read `text`, and its last event must have been a start or empty tag or an
/// end tag (it then looks for text, which the white space skipped here would have been).
/// quick-xml checks nothing more in an empty element than where its `>` is (outside quotes),
/// which is found here the same way.
#[inline]
pub(crate) fn next_empty<'t>(
    rd: &mut Reader<&'t [u8]>,
    text: &'t str,
) -> Option<(BytesStart<'t>, u64)> {
    let rest: &'t [u8] = rd.get_ref();
    let at = text.len().checked_sub(rest.len())?;
    let mut i = 0;
    while rest.get(i).is_some_and(|&c| white(c)) {
        i += 1;
    }
    if rest.get(i) != Some(&b'<') {
        return None;
    }
    let start = i + 1;
    let mut j = start;
    while rest
        .get(j)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':'))
    {
        j += 1;
    }
    let name_len = j - start;
    if name_len == 0 || !rest.get(j).is_some_and(|&c| white(c) || c == b'/') {
        return None;
    }
    // The first `>` ends the tag when it is outside quotes: with no `'` before it, when
    // an even number of `"` comes before it. Anything else is left to the reader.
    let tail = rest.get(j..)?;
    let gt = memchr::memchr(b'>', tail)?;
    let inside = tail.get(..gt)?;
    // Two folds over bytes (not one over a pair of counters): each vectorises 16 bytes at
    // a time.
    let odd = inside.iter().fold(0u8, |a, &c| a ^ u8::from(c == b'"'));
    let single = inside.iter().fold(0u8, |a, &c| a | u8::from(c == b'\''));
    if odd != 0 || single != 0 {
        return None;
    }
    let end = j + gt;
    if end == 0 || rest.get(end - 1) != Some(&b'/') {
        return None;
    }
    // `<`, `/` and `>` are ASCII: every cut is on a character boundary.
    let content = text.get(at + start..at + end - 1)?;
    *rd.get_mut() = rest.get(end + 1..)?;
    Some((BytesStart::from_content(content, name_len), at as u64))
}

/// The fastest path, for the one or two element shapes that make up most of a report
/// (`<line number="7" hits="1"/>`): an empty element read in place only if it is written
/// exactly as expected, `<name` then ` key="value"` for each key asked for, in order, then
/// `/>`, each value plain printable ASCII without `"`, `'`, `&`, `<` or `>`. Such a tag is
/// one [`next_empty`] and the attribute scanner read the same way (so does quick-xml); any
/// other (another order, more blanks, single quotes, an entity, a truncated tag) is left
/// untouched for them. Nothing is consumed until [`Strict::commit`].
pub(crate) struct Strict<'t> {
    /// The text `rest` ends, and where in it `rest` starts.
    text: &'t str,
    off: usize,
    rest: &'t [u8],
    i: usize,
}

/// What `rd` has left to read of `text`, as text (it stops after markup, so on a
/// character boundary).
#[inline(always)]
pub(crate) fn remaining<'t>(rd: &Reader<&'t [u8]>, text: &'t str) -> Option<&'t str> {
    text.get(text.len().checked_sub(rd.get_ref().len())?..)
}

impl<'t> Strict<'t> {
    /// `<name ` next in `rd` (after white space), where [`next_empty`] may read; the
    /// conditions are the same.
    #[inline(always)]
    pub(crate) fn open<const N: usize>(
        rd: &Reader<&'t [u8]>,
        text: &'t str,
        name: &[u8; N],
    ) -> Option<Self> {
        let rest: &'t [u8] = rd.get_ref();
        let mut t = Self::at_bytes(rest, name)?;
        t.text = text;
        t.off = text.len().checked_sub(rest.len())?;
        Some(t)
    }

    /// `<name ` next in `text` (after white space): for a reader that reads on past a tag
    /// before it commits.
    #[inline(always)]
    pub(crate) fn at<const N: usize>(text: &'t str, name: &[u8; N]) -> Option<Self> {
        let mut t = Self::at_bytes(text.as_bytes(), name)?;
        t.text = text;
        Some(t)
    }

    #[inline(always)]
    fn at_bytes<const N: usize>(rest: &'t [u8], name: &[u8; N]) -> Option<Self> {
        let mut i = 0;
        while rest.get(i).is_some_and(|&c| white(c)) {
            i += 1;
        }
        let tag = rest.get(i..)?;
        if tag.first() != Some(&b'<')
            || tag.get(1..).and_then(<[u8]>::first_chunk::<N>) != Some(name)
            || tag.get(N + 1) != Some(&b' ')
        {
            return None;
        }
        Some(Strict {
            text: "",
            off: 0,
            rest,
            i: i + 1 + N,
        })
    }

    /// The value of ` key="value"` next, as it is written (it holds nothing to unescape).
    #[inline(always)]
    pub(crate) fn attr<const K: usize>(&mut self, key: &[u8; K]) -> Option<&'t [u8]> {
        let at = self.rest.get(self.i..)?;
        if at.first() != Some(&b' ')
            || at.get(1..).and_then(<[u8]>::first_chunk::<K>) != Some(key)
            || at.get(K + 1..K + 3) != Some(b"=\"")
        {
            return None;
        }
        let from = K + 3;
        let mut j = from;
        loop {
            let c = *at.get(j)?;
            if c == b'"' {
                break;
            }
            if !(b' '..=b'~').contains(&c) || matches!(c, b'&' | b'<' | b'>' | b'\'') {
                return None;
            }
            j += 1;
        }
        let v = at.get(from..j)?;
        self.i += j + 1;
        Some(v)
    }

    /// The value of ` key="value"` next, up to 16 bytes, as it is written, with no check
    /// of what it holds: only for a caller that takes nothing but one of a few plain
    /// words (letters), which then passes [`Strict::attr`]'s checks too.
    #[inline(always)]
    pub(crate) fn word<const K: usize>(&mut self, key: &[u8; K]) -> Option<&'t [u8]> {
        let at = self.rest.get(self.i..)?;
        if at.first() != Some(&b' ')
            || at.get(1..).and_then(<[u8]>::first_chunk::<K>) != Some(key)
            || at.get(K + 1..K + 3) != Some(b"=\"")
        {
            return None;
        }
        let from = K + 3;
        let len = at.get(from..)?.iter().take(16).position(|&c| c == b'"')?;
        let v = at.get(from..from + len)?;
        self.i += from + len + 1;
        Some(v)
    }

    /// The value of ` key="value"` next, as it is written, where the value may also hold
    /// entity references and non-ASCII text (UTF-8, as the whole text is): for
    /// [`value`] to unescape, as the general reading does.
    #[inline(always)]
    pub(crate) fn text<const K: usize>(&mut self, key: &[u8; K]) -> Option<&'t str> {
        let at = self.rest.get(self.i..)?;
        if at.first() != Some(&b' ')
            || at.get(1..).and_then(<[u8]>::first_chunk::<K>) != Some(key)
            || at.get(K + 1..K + 3) != Some(b"=\"")
        {
            return None;
        }
        let from = K + 3;
        let mut j = from;
        loop {
            let c = *at.get(j)?;
            if c == b'"' {
                break;
            }
            if c < b' ' || matches!(c, b'<' | b'>' | b'\'' | 0x7f) {
                return None;
            }
            j += 1;
        }
        // Cut at ASCII quotes, so on character boundaries.
        let start = self.off + self.i;
        let v = self.text.get(start + from..start + j)?;
        self.i += j + 1;
        Some(v)
    }

    /// The value of ` key="digits"` next as a number, for 1 to 19 digits (which cannot
    /// overflow); what [`number`] makes of it.
    #[inline(always)]
    pub(crate) fn num<const K: usize>(&mut self, key: &[u8; K]) -> Option<u64> {
        let at = self.rest.get(self.i..)?;
        if at.first() != Some(&b' ')
            || at.get(1..).and_then(<[u8]>::first_chunk::<K>) != Some(key)
            || at.get(K + 1..K + 3) != Some(b"=\"")
        {
            return None;
        }
        let from = K + 3;
        let mut j = from;
        let mut v: u64 = 0;
        loop {
            let d = at.get(j)?.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            v = v.wrapping_mul(10).wrapping_add(u64::from(d));
            j += 1;
        }
        if at.get(j) != Some(&b'"') || j == from || j - from > 19 {
            return None;
        }
        self.i += j + 1;
        Some(v)
    }

    /// Whether `/>` ends the tag here: then [`Strict::commit`] may consume it.
    #[inline(always)]
    pub(crate) fn ends(&self) -> bool {
        self.rest.get(self.i..self.i + 2) == Some(b"/>")
    }

    /// Bytes from where the tag was looked for to past its `/>`, if it ends so here.
    #[inline(always)]
    pub(crate) fn empty_end(&self) -> Option<usize> {
        self.ends().then_some(self.i + 2)
    }

    /// Bytes from where the tag was looked for to past its `>`, if a start tag ends so
    /// here.
    #[inline(always)]
    pub(crate) fn start_end(&self) -> Option<usize> {
        (self.rest.get(self.i) == Some(&b'>')).then_some(self.i + 1)
    }

    /// Moves `rd` past the tag (which [`Strict::ends`] said is complete).
    #[inline(always)]
    pub(crate) fn commit(self, rd: &mut Reader<&'t [u8]>) {
        if let Some(after) = self.rest.get(self.i + 2..) {
            *rd.get_mut() = after;
        }
    }
}

/// Bytes from the start of `rest` to past `</name>` if that comes next (after white
/// space), written exactly so.
#[inline(always)]
pub(crate) fn end_tag<const N: usize>(rest: &[u8], name: &[u8; N]) -> Option<usize> {
    let mut i = 0;
    while rest.get(i).is_some_and(|&c| white(c)) {
        i += 1;
    }
    let tag = rest.get(i..)?;
    (tag.get(..2) == Some(b"</")
        && tag.get(2..).and_then(<[u8]>::first_chunk::<N>) == Some(name)
        && tag.get(N + 2) == Some(&b'>'))
    .then_some(i + N + 3)
}

/// The text of an element read raw (`Reader::read_text`): entities replaced (only XML's
/// own, see [`value`]), CDATA sections kept as they are, comments and tags inside dropped,
/// surrounding whitespace trimmed.
pub(crate) fn element_text(raw: &str) -> Result<String, String> {
    let unescape = |s: &str| -> Result<String, String> {
        if s.contains('&') {
            quick_xml::escape::unescape(s)
                .map(|c| c.into_owned())
                .map_err(|e| escape_message(&e))
        } else {
            Ok(s.to_string())
        }
    };
    let mut out = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find('<') {
        out.push_str(&unescape(rest.get(..i).unwrap_or(""))?);
        let tail = rest.get(i..).unwrap_or("");
        rest = if let Some(r) = tail.strip_prefix("<![CDATA[") {
            let (data, after) = r.split_once("]]>").unwrap_or((r, ""));
            out.push_str(data);
            after
        } else if let Some(r) = tail.strip_prefix("<!--") {
            r.split_once("-->").map_or("", |(_, after)| after)
        } else {
            tail.split_once('>').map_or("", |(_, after)| after)
        };
    }
    out.push_str(&unescape(rest)?);
    Ok(out.trim().to_string())
}

/// 1-based line and column (in characters) of the first non-blank byte at or after
/// `offset` in `text`: the reader trims the whitespace between elements, so an event's
/// offset may point at the blanks before its markup.
pub(crate) fn position(text: &str, offset: u64) -> (usize, usize) {
    let mut offset = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    let b = text.as_bytes();
    while b.get(offset).is_some_and(u8::is_ascii_whitespace) {
        offset += 1;
    }
    let mut end = offset;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = text.get(..end).unwrap_or("");
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// An error at byte `offset` of `text`.
pub(crate) fn error_at(name: &str, text: &str, offset: u64, kind: ErrorKind) -> ParseError {
    let (line, column) = position(text, offset);
    let mut e = ParseError::new(name, kind).at_line(line);
    e.column = Some(column);
    e
}

/// A quick-xml error as a [`ParseError`]: a file cut short reads as truncated, the rest
/// as not well-formed XML, with the position of the markup at fault.
pub(crate) fn syntax_error(name: &str, text: &str, offset: u64, e: &XmlError) -> ParseError {
    let kind = match e {
        XmlError::Syntax(s) => {
            let what = match s {
                SyntaxError::InvalidBangMarkup => {
                    return error_at(
                        name,
                        text,
                        offset,
                        ErrorKind::Syntax(
                            "not well-formed XML: `<!` starts neither a comment, a CDATA \
                             section nor a DOCTYPE"
                                .into(),
                        ),
                    )
                }
                SyntaxError::UnclosedPI => "inside a processing instruction (<?…?>)",
                SyntaxError::UnclosedXmlDecl => "inside the XML declaration (<?xml …?>)",
                SyntaxError::UnclosedComment => "inside a comment (<!-- … -->)",
                SyntaxError::UnclosedDoctype => "inside the DOCTYPE",
                SyntaxError::UnclosedCData => "inside a CDATA section",
                SyntaxError::UnclosedTag => "inside a tag",
                SyntaxError::UnclosedSingleQuotedAttributeValue
                | SyntaxError::UnclosedDoubleQuotedAttributeValue => "inside an attribute value",
            };
            ErrorKind::Truncated(format!("it stops {what}"))
        }
        XmlError::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
            ErrorKind::Syntax(format!(
                "not well-formed XML: </{found}> closes <{expected}>"
            ))
        }
        XmlError::IllFormed(IllFormedError::UnmatchedEndTag(found)) => ErrorKind::Syntax(format!(
            "not well-formed XML: </{found}> closes an element that was never opened"
        )),
        XmlError::IllFormed(IllFormedError::MissingEndTag(tag)) => {
            ErrorKind::Truncated(format!("<{tag}> is never closed"))
        }
        XmlError::IllFormed(IllFormedError::UnclosedReference) => ErrorKind::Syntax(
            "not well-formed XML: an `&` that starts no entity reference (write `&amp;`)".into(),
        ),
        XmlError::IllFormed(other) => ErrorKind::Syntax(format!("not well-formed XML: {other}")),
        XmlError::InvalidAttr(a) => ErrorKind::Syntax(format!("not well-formed XML: {a}")),
        XmlError::Escape(esc) => ErrorKind::Invalid(escape_message(esc)),
        other => ErrorKind::Syntax(format!("not well-formed XML: {other}")),
    };
    error_at(name, text, offset, kind)
}

fn escape_message(e: &quick_xml::escape::EscapeError) -> String {
    use quick_xml::escape::EscapeError as E;
    match e {
        E::UnrecognizedEntity(_, entity) => unknown_entity(entity),
        E::UnterminatedEntity(_) => "an `&` with no `;` after it (write `&amp;`)".into(),
        E::InvalidCharRef(c) => format!("an invalid character reference: {c}"),
        other => other.to_string(),
    }
}

/// The message for `&name;` where `name` is none of XML's five predefined entities.
pub(crate) fn unknown_entity(entity: &str) -> String {
    format!(
        "the entity reference &{entity}; is not one of XML's five predefined entities; covgap \
         never expands entities declared in a DOCTYPE (nor fetches external ones), so it \
         cannot read this value"
    )
}

/// Refuses a DOCTYPE that declares entities; any other DOCTYPE (a DTD named by URL, as
/// gcovr, Istanbul and JaCoCo write) is ignored, never fetched.
pub(crate) fn check_doctype(doctype: &str) -> Result<(), ErrorKind> {
    if doctype.contains("<!ENTITY") {
        let external = doctype.contains("SYSTEM") || doctype.contains("PUBLIC");
        return Err(ErrorKind::Invalid(format!(
            "the DOCTYPE declares entities (<!ENTITY …>){}; no coverage tool writes them, and \
             covgap refuses them rather than expand them (billion-laughs and external-entity \
             (XXE) attacks start this way). Nothing was expanded or fetched",
            if external {
                ", some of them external (SYSTEM/PUBLIC)"
            } else {
                ""
            }
        )));
    }
    Ok(())
}

/// One attribute as written: its name and its raw (still escaped) value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Attr<'a> {
    /// The name.
    pub key: &'a str,
    /// The value between the quotes, entities not yet replaced.
    pub value: &'a str,
}

/// An attribute's value with the predefined entities and character references replaced;
/// any other entity reference is an error.
pub(crate) fn value<'a>(a: &Attr<'a>) -> Result<Cow<'a, str>, String> {
    if !a.value.contains('&') {
        return Ok(Cow::Borrowed(a.value));
    }
    quick_xml::escape::unescape(a.value)
        .map(|c| Cow::Owned(c.into_owned()))
        .map_err(|e| escape_message(&e))
}

/// The attributes of `e`, in order. A hand-written scanner over the tag's raw text:
/// quick-xml's attribute iterator costs more than the rest of the reading, and these
/// readers need only `name="value"` pairs. A malformed attribute is an error message.
pub(crate) fn attrs<'e>(e: &'e BytesStart<'_>) -> RawAttrs<'e> {
    RawAttrs {
        s: e.attributes_raw(),
        pos: 0,
    }
}

/// Iterator of [`attrs`].
pub(crate) struct RawAttrs<'a> {
    s: &'a str,
    pos: usize,
}

fn malformed(what: &str) -> String {
    format!("not well-formed XML: a malformed attribute ({what})")
}

impl<'a> RawAttrs<'a> {
    /// Whether nothing but the closing `/` of an empty element is left.
    #[inline]
    pub(crate) fn is_done(&self) -> bool {
        matches!(self.s.as_bytes().get(self.pos..), None | Some(b"" | b"/"))
    }

    /// The fast path for the attributes every writer puts first, in the same order: if
    /// ` key="value"` comes next exactly so (one space, double quotes, no `&`), its value;
    /// otherwise `None`, nothing consumed, and the general iteration takes over.
    #[inline(always)]
    pub(crate) fn expect(&mut self, key: &'static str) -> Option<&'a str> {
        let b = self.s.as_bytes();
        let rest = b.get(self.pos..)?;
        let k = key.as_bytes();
        let n = k.len();
        if rest.first() != Some(&b' ')
            || rest.get(1..=n) != Some(k)
            || rest.get(n + 1) != Some(&b'=')
            || rest.get(n + 2) != Some(&b'"')
        {
            return None;
        }
        let start = self.pos + n + 3;
        let mut end = start;
        loop {
            match b.get(end) {
                Some(b'"') => break,
                Some(b'&') | None => return None,
                Some(_) => end += 1,
            }
        }
        if b.get(end + 1).is_some_and(|&c| !blank(c) && c != b'/') {
            return None;
        }
        let value = self.s.get(start..end)?;
        self.pos = end + 1;
        Some(value)
    }
}

/// XML's blanks (space, tab, CR, LF); other control bytes are not allowed in a tag
/// anyway, and quick-xml has already found where the tag ends.
#[inline]
fn blank(c: u8) -> bool {
    c <= b' '
}

impl<'a> Iterator for RawAttrs<'a> {
    type Item = Result<Attr<'a>, String>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let b = self.s.as_bytes();
        let mut i = self.pos;
        while b.get(i).is_some_and(|&c| blank(c)) {
            i += 1;
        }
        // The end, or an empty element's closing "/" (not an attribute).
        if i >= b.len() || (i + 1 == b.len() && b.get(i) == Some(&b'/')) {
            self.pos = b.len();
            return None;
        }
        self.pos = b.len();
        let key_start = i;
        while b.get(i).is_some_and(|&c| c != b'=' && !blank(c)) {
            i += 1;
        }
        let key_end = i;
        while b.get(i).is_some_and(|&c| blank(c)) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') || key_end == key_start {
            return Some(Err(malformed(if key_end == key_start {
                "a value without a name"
            } else {
                "an attribute without a value"
            })));
        }
        i += 1;
        while b.get(i).is_some_and(|&c| blank(c)) {
            i += 1;
        }
        let quote = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                return Some(Err(malformed(
                    "attribute value must be enclosed in `\"` or `'`",
                )))
            }
        };
        let value_start = i + 1;
        let mut j = value_start;
        while b.get(j).is_some_and(|&c| c != quote) {
            j += 1;
        }
        if j >= b.len() {
            return Some(Err(malformed("the value's closing quote is missing")));
        }
        // '=', quotes and blanks are ASCII, so every cut is on a character boundary.
        let key = self.s.get(key_start..key_end).unwrap_or("");
        let value = self.s.get(value_start..j).unwrap_or("");
        self.pos = j + 1;
        if b.get(self.pos).is_some_and(|&c| !blank(c) && c != b'/') {
            self.pos = b.len();
            return Some(Err(malformed("attributes must be separated by blanks")));
        }
        Some(Ok(Attr { key, value }))
    }
}

/// Why a count could not be read.
pub(crate) fn bad_number(what: &str, v: &str) -> String {
    let shown: String = v.chars().take(40).collect();
    let t = v.trim();
    if t.starts_with('-')
        && t.len() > 1
        && t.get(1..)
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
    {
        format!("{what}=\"{shown}\" is negative; counts and line numbers never are")
    } else if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        format!("{what}=\"{shown}\" is too large for a count")
    } else {
        format!("{what}=\"{shown}\" is not a whole number")
    }
}

/// A non-negative whole number no larger than `max`, allowing surrounding blanks.
#[inline]
pub(crate) fn number(v: &str, max: u64) -> Option<u64> {
    number_bytes(v.as_bytes(), max)
}

/// [`number`] of bytes.
#[inline]
pub(crate) fn number_bytes(v: &[u8], max: u64) -> Option<u64> {
    let mut b = v;
    if b.first().is_some_and(|&c| blank(c)) || b.last().is_some_and(|&c| blank(c)) {
        b = v.trim_ascii();
    }
    if b.is_empty() || b.len() > 20 {
        return None;
    }
    let mut n: u64 = 0;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    (n <= max).then_some(n)
}

/// Milliseconds or seconds since 1970 as ISO 8601 UTC (`2026-11-21T05:34:05.849Z`), for
/// ordering reports by time; `None` for 0 or a value that is no plausible date.
pub(crate) fn epoch_to_iso(v: u64) -> Option<String> {
    if v == 0 {
        return None;
    }
    // Ten or fewer digits are seconds (until the year 2286), more are milliseconds.
    let (secs, millis) = if v >= 100_000_000_000 {
        (v / 1000, Some(v % 1000))
    } else {
        (v, None)
    };
    let secs = i64::try_from(secs).ok()?;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = crate::analysis::time::civil_from_days(days);
    if !(1970..=9999).contains(&y) {
        return None;
    }
    let (hh, mm, ss) = (rem / 3600, rem % 3600 / 60, rem % 60);
    Some(match millis {
        Some(ms) => format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{ms:03}Z"),
        None => format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z"),
    })
}

/// Problems of one kind seen in many places, gathered into one warning: how many, and
/// the first few.
#[derive(Default)]
pub(crate) struct Seen {
    count: usize,
    examples: Vec<String>,
}

const SHOW: usize = 3;

impl Seen {
    /// One more occurrence, described by `what` (only the first few are kept).
    pub(crate) fn add(&mut self, what: impl FnOnce() -> String) {
        self.count += 1;
        if self.examples.len() < SHOW {
            self.examples.push(what());
        }
    }

    /// Whether nothing was seen.
    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// "N things: a; b; c; and M more" followed by `then`, as one warning.
    pub(crate) fn warn(self, warnings: &mut Vec<String>, what: &str, then: &str) {
        if self.count == 0 {
            return;
        }
        let mut s = format!("{} {what}: {}", self.count, self.examples.join("; "));
        let more = self.count.saturating_sub(self.examples.len());
        if more > 0 {
            s.push_str(&format!("; and {more} more"));
        }
        if !then.is_empty() {
            s.push_str(". ");
            s.push_str(then);
        }
        warnings.push(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let t = "ab\ncdé\nf";
        assert_eq!(position(t, 0), (1, 1));
        assert_eq!(position(t, 3), (2, 1));
        assert_eq!(position(t, 5), (2, 3));
        assert_eq!(position(t, 8), (3, 1));
        assert_eq!(position(t, 999), (3, 2));
        assert_eq!(position(t, 2), (2, 1), "blanks before markup are skipped");
    }

    #[test]
    fn raw_attributes() {
        let mut r = reader("<a x=\"1\" y = 'two' z=\"\"/><b q=1/><c k=\"v\"w=\"2\"/><d e/>");
        let mut got = Vec::new();
        while let Ok(ev) = r.read_event() {
            match ev {
                quick_xml::events::Event::Empty(e) => got.push(
                    attrs(&e)
                        .map(|a| a.map(|a| format!("{}={}", a.key, a.value)))
                        .collect::<Result<Vec<_>, _>>(),
                ),
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(got[0], Ok(vec!["x=1".into(), "y=two".into(), "z=".into()]));
        let mut r = reader("<line number=\"7\" hits=\"3\" branch='true'/>");
        while let Ok(ev) = r.read_event() {
            if let quick_xml::events::Event::Empty(e) = ev {
                let mut a = attrs(&e);
                assert_eq!(a.expect("hits"), None);
                assert_eq!(a.expect("number"), Some("7"));
                assert_eq!(a.expect("hits"), Some("3"));
                assert_eq!(a.expect("branch"), None, "single quotes: the general path");
                let rest: Vec<_> = a.map(|x| x.map(|x| (x.key, x.value))).collect();
                assert_eq!(rest, [Ok(("branch", "true"))]);
                break;
            }
        }
        for bad in &got[1..] {
            assert!(
                bad.as_ref()
                    .is_err_and(|m| m.contains("malformed attribute")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_fast_path_reads_empty_elements_as_the_reader_does() {
        let xml = "<r>\n\t<line number=\"1\" hits=\"2\"/>\r\n<c k='v'/><c a=\">\" b=\"x\"/>\
                   <line/><e x=\"1\"></e><line  n = \"3\" /><!-- c --><line q=\"\"/>\
                   <c x=\"&amp;\"/><é a=\"1\"/><l a=\"1\"\n/></r>";
        // Every event after the root's start tag: by the reader alone, and with the fast
        // path tried first wherever the readers try it.
        let events = |fast: bool| {
            let mut rd = reader(xml);
            let mut out = Vec::new();
            let mut after_tag = false;
            loop {
                let got = if fast && after_tag {
                    next_empty(&mut rd, xml)
                } else {
                    None
                };
                let (ev, at) = match got {
                    Some((e, at)) => (quick_xml::events::Event::Empty(e), at),
                    None => {
                        let at = offset(&rd, xml);
                        let skipped = skipped(&rd, xml);
                        match rd.read_event() {
                            Ok(ev) => (ev, at),
                            Err(e) => {
                                out.push(format!("error {e} at {}", rd.error_position() + skipped));
                                break;
                            }
                        }
                    }
                };
                after_tag = matches!(
                    ev,
                    quick_xml::events::Event::Start(_)
                        | quick_xml::events::Event::Empty(_)
                        | quick_xml::events::Event::End(_)
                );
                if ev == quick_xml::events::Event::Eof {
                    break;
                }
                out.push(format!("{ev:?} at {at}"));
            }
            out
        };
        let (slow, fast) = (events(false), events(true));
        assert_eq!(slow, fast);
        assert!(slow.len() > 12, "{slow:?}");
        let truncated = "<r><line number=\"1\"/><line number=\"2";
        let mut rd = reader(truncated);
        assert!(matches!(
            rd.read_event(),
            Ok(quick_xml::events::Event::Start(_))
        ));
        assert!(next_empty(&mut rd, truncated).is_some());
        assert!(next_empty(&mut rd, truncated).is_none());
        let gone = skipped(&rd, truncated);
        assert!(rd.read_event().is_err());
        let fast = rd.error_position() + gone;
        let mut rd = reader(truncated);
        while rd.read_event().is_ok() {}
        assert_eq!(fast, rd.error_position(), "the same error position");
    }

    #[test]
    fn the_strict_path_reads_only_what_the_reader_reads_alike() {
        // (tag, what Strict reads: number and hits, or nothing)
        let cases: &[(&str, Option<(u64, u64)>)] = &[
            ("<line number=\"7\" hits=\"3\"/>", Some((7, 3))),
            ("\n\t\t<line number=\"12\" hits=\"0\"/>", Some((12, 0))),
            ("<line hits=\"3\" number=\"7\"/>", None),
            ("<line number='7' hits=\"3\"/>", None),
            ("<line  number=\"7\" hits=\"3\"/>", None),
            ("<line number=\"7\" hits=\"3\" />", None),
            ("<line number=\"7\" hits=\"&#51;\"/>", None),
            ("<line number=\" 7\" hits=\"3\"/>", None),
            ("<line number=\"\" hits=\"3\"/>", None),
            ("<line number=\"99999999999999999999\" hits=\"3\"/>", None),
            ("<lines number=\"7\" hits=\"3\"/>", None),
            ("<line number=\"7\" hits=\"3\"></line>", None),
            ("<line number=\"7\" hits=\"3", None),
        ];
        for (tag, want) in cases {
            let xml = format!("<r>{tag}</r>");
            let mut rd = reader(&xml);
            assert!(matches!(
                rd.read_event(),
                Ok(quick_xml::events::Event::Start(_))
            ));
            let before = rd.get_ref().len();
            let got = Strict::open(&rd, &xml, b"line").and_then(|mut t| {
                let n = t.num(b"number")?;
                let h = t.num(b"hits")?;
                t.ends().then(|| {
                    t.commit(&mut rd);
                    (n, h)
                })
            });
            assert_eq!(got, *want, "{tag}");
            if got.is_none() {
                assert_eq!(rd.get_ref().len(), before, "nothing consumed: {tag}");
                continue;
            }
            // What it read, the reader and the attribute scanner read alike, and both end
            // at the same place.
            let mut slow = reader(&xml);
            let _ = slow.read_event();
            let Ok(quick_xml::events::Event::Empty(e)) = slow.read_event() else {
                panic!("{tag}: not an empty element to the reader");
            };
            let values: Vec<(String, String)> = attrs(&e)
                .map(|a| a.map(|a| (a.key.to_string(), a.value.to_string())))
                .collect::<Result<_, _>>()
                .expect("attributes");
            let (n, h) = got.unwrap_or_default();
            assert_eq!(
                values,
                [
                    ("number".to_string(), n.to_string()),
                    ("hits".to_string(), h.to_string())
                ],
                "{tag}"
            );
            assert_eq!(slow.get_ref().len(), rd.get_ref().len(), "{tag}");
        }
        // Text values: printable ASCII without quotes, markup or entities only.
        let xml = "<r><c k=\"50% (1/2)\" j=\"a>b\"/></r>";
        let mut rd = reader(xml);
        let _ = rd.read_event();
        let mut t = Strict::open(&rd, xml, b"c").expect("open");
        assert_eq!(t.attr(b"k"), Some(&b"50% (1/2)"[..]));
        assert_eq!(t.attr(b"j"), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(number("42", 100), Some(42));
        assert_eq!(number(" 7 ", 100), Some(7));
        assert_eq!(number("101", 100), None);
        assert_eq!(number("-1", 100), None);
        assert_eq!(number("1.5", 100), None);
        assert_eq!(number("", 100), None);
        assert_eq!(number("99999999999999999999999", u64::MAX), None);
        assert!(bad_number("missed", "-1").contains("negative"));
        assert!(bad_number("missed", "99999999999").contains("too large"));
        assert!(bad_number("hits", "abc").contains("not a whole number"));
    }

    #[test]
    fn epochs() {
        assert_eq!(
            epoch_to_iso(1_796_080_867_048).as_deref(),
            Some("2026-11-30T23:21:07.048Z")
        );
        assert_eq!(
            epoch_to_iso(1_796_080_841).as_deref(),
            Some("2026-11-30T23:20:41Z")
        );
        assert_eq!(epoch_to_iso(0), None);
        assert!(crate::analysis::parse_timestamp(
            &epoch_to_iso(1_795_239_246_657).unwrap_or_default()
        )
        .is_some());
    }

    #[test]
    fn doctypes() {
        assert!(
            check_doctype(" report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\"")
                .is_ok()
        );
        assert!(check_doctype(" coverage [<!ENTITY lol \"lol\">]").is_err());
        let e = check_doctype(" c [<!ENTITY x SYSTEM \"file:///etc/passwd\">]").unwrap_err();
        assert!(e.to_string().contains("external"), "{e}");
    }
}
