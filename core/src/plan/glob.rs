//! Module path patterns: an exact file, a directory, or a glob with `*`, `**` and `?`.
//!
//! A pattern without wildcards matches the file with that path and every file below it
//! as a directory (`src/pkg` and `src/pkg/` both match `src/pkg/a.py`). A glob must match
//! the whole path: `*` is any run of characters except `/`, `?` one character except
//! `/`, `**/` zero or more whole directories, and any other `**` any run of characters
//! including `/`. Everything else, `[` included, is literal. Backslashes count as `/`
//! and a leading `./` is ignored, on both sides.

/// A compiled path pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    /// Exact path, or a directory prefix (stored without a trailing `/`).
    Literal(String),
    /// The literal text before the first wildcard, checked first: most files fail there,
    /// which keeps matching thousands of files against dozens of modules quick.
    Glob(String, Vec<Token>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `?`
    One,
    /// `*`
    Star,
    /// `**` not followed by `/` at a segment start: anything, `/` included.
    Any,
    /// `**/` at a segment start: zero or more whole directories.
    Dirs,
}

/// Turns `\` into `/` and drops leading `./`, so that `./src\a.py` and `src/a.py` agree.
pub fn normalize(path: &str) -> String {
    let p = path.replace('\\', "/");
    let mut s = p.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

impl Pattern {
    /// Compiles `pattern`. Every string is a valid pattern; emptiness is checked by plan
    /// validation, where the message can say which module.
    pub fn new(pattern: &str) -> Pattern {
        let p = normalize(pattern);
        if !p.contains(['*', '?']) {
            let lit = p.trim_end_matches('/').to_string();
            return Pattern {
                kind: Kind::Literal(lit),
            };
        }
        let prefix: String = p.chars().take_while(|c| !matches!(c, '*' | '?')).collect();
        let chars: Vec<char> = p.chars().collect();
        let mut tokens = Vec::with_capacity(chars.len());
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            match c {
                '*' => {
                    // A run of stars: one is `*`; two or more (`***` too) are `**`.
                    let run = chars.iter().skip(i).take_while(|&&c| c == '*').count();
                    let at_segment_start = i == 0 || chars.get(i - 1) == Some(&'/');
                    if run == 1 {
                        tokens.push(Token::Star);
                        i += 1;
                    } else if at_segment_start && chars.get(i + run) == Some(&'/') {
                        tokens.push(Token::Dirs);
                        i += run + 1;
                    } else {
                        tokens.push(Token::Any);
                        i += run;
                    }
                }
                '?' => {
                    tokens.push(Token::One);
                    i += 1;
                }
                c => {
                    tokens.push(Token::Char(c));
                    i += 1;
                }
            }
        }
        Pattern {
            kind: Kind::Glob(prefix, tokens),
        }
    }

    /// Whether the pattern has wildcards.
    pub fn is_glob(&self) -> bool {
        matches!(self.kind, Kind::Glob(..))
    }

    /// Does `path` (as a report writes it) match?
    pub fn matches(&self, path: &str) -> bool {
        self.matches_normalized(&normalize(path))
    }

    /// [`Pattern::matches`] for a path already passed through [`normalize`], so that a
    /// path tried against many patterns is normalized once.
    pub fn matches_normalized(&self, path: &str) -> bool {
        match &self.kind {
            Kind::Literal(lit) => {
                lit.is_empty()
                    || path == lit
                    || (path.starts_with(lit.as_str())
                        && path.as_bytes().get(lit.len()) == Some(&b'/'))
            }
            Kind::Glob(prefix, tokens) => {
                path.starts_with(prefix.as_str()) && glob_match(tokens, path)
            }
        }
    }
}

/// Dynamic programming from the end of the pattern: `next[j]` says whether the tokens
/// after the current one match `text[j..]`. O(tokens × length) whatever the stars, so no
/// pattern can make matching slow.
fn glob_match(tokens: &[Token], text: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    let n = t.len();
    // `get` with false beyond the end: reads past `n` mean "no match", never a panic.
    let at = |v: &[bool], i: usize| v.get(i).copied().unwrap_or(false);
    let mut next = vec![false; n + 1];
    if let Some(end) = next.get_mut(n) {
        *end = true;
    }
    let mut row = vec![false; n + 1];
    for tok in tokens.iter().rev() {
        // Filled from the right, so row[j + 1] is already known at j.
        let mut carry = false; // Dirs: can consume 1+ chars ending after a '/'
        for j in (0..=n).rev() {
            let c = t.get(j).copied();
            let v = match *tok {
                Token::Char(x) => c == Some(x) && at(&next, j + 1),
                Token::One => c.is_some_and(|c| c != '/') && at(&next, j + 1),
                Token::Star => at(&next, j) || (c.is_some_and(|c| c != '/') && at(&row, j + 1)),
                Token::Any => at(&next, j) || (c.is_some() && at(&row, j + 1)),
                Token::Dirs => {
                    carry = match c {
                        Some('/') => at(&next, j + 1) || carry,
                        Some(_) => carry,
                        None => false,
                    };
                    at(&next, j) || carry
                }
            };
            if let Some(r) = row.get_mut(j) {
                *r = v;
            }
        }
        std::mem::swap(&mut next, &mut row);
    }
    at(&next, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        // (pattern, path, matches)
        let cases: &[(&str, &str, bool)] = &[
            // Exact file and directory prefix.
            ("src/jinja2/bccache.py", "src/jinja2/bccache.py", true),
            ("src/jinja2/bccache.py", "src/jinja2/bccache.pyc", false),
            ("src/jinja2", "src/jinja2/bccache.py", true),
            ("src/jinja2/", "src/jinja2/sub/x.py", true),
            ("src/jin", "src/jinja2/bccache.py", false),
            ("./src/jinja2", "src\\jinja2\\a.py", true),
            ("src", "src", true),
            // `*` stays within a segment.
            ("src/*.py", "src/a.py", true),
            ("src/*.py", "src/sub/a.py", false),
            ("src/*/a.py", "src/sub/a.py", true),
            ("src/*/a.py", "src/a.py", false),
            ("*", "setup.py", true),
            ("*", "src/a.py", false),
            ("src/jinja2/*_utils.py", "src/jinja2/async_utils.py", true),
            ("src/*", "src/", true),
            // `?` is one character, not `/`.
            ("src/a?.py", "src/ab.py", true),
            ("src/a?.py", "src/a.py", false),
            ("src?a.py", "src/a.py", false),
            // `**/` is zero or more directories.
            ("**/a.py", "a.py", true),
            ("**/a.py", "x/y/a.py", true),
            ("**/a.py", "x/ya.py", false),
            ("src/**/a.py", "src/a.py", true),
            ("src/**/a.py", "src/x/y/a.py", true),
            ("src/**/a.py", "srcx/a.py", false),
            ("src/**", "src/x/y/a.py", true),
            ("src/**", "src", false),
            ("src/**/*.py", "src/p/q.py", true),
            ("src/**/*.py", "src/p/q.txt", false),
            ("**", "anything/at/all", true),
            // `**` inside a segment is any run, `/` included.
            ("src/a**.py", "src/a/b/c.py", true),
            ("***/a.py", "x/a.py", true),
            // Other characters are literal.
            ("src/[ab].py", "src/[ab].py", true),
            ("src/[ab]*.py", "src/a.py", false),
            (
                "tests/res/package.zip/*/__init__.py",
                "tests/res/package.zip/t_pack/__init__.py",
                true,
            ),
            // Non-ASCII paths.
            ("src/é*.py", "src/été.py", true),
        ];
        for &(p, path, want) in cases {
            assert_eq!(Pattern::new(p).matches(path), want, "{p:?} vs {path:?}");
        }
    }

    #[test]
    fn stars_do_not_blow_up() {
        let p = Pattern::new("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
        let text = "a".repeat(200);
        assert!(!p.matches(&text));
        let p = Pattern::new("**/**/**/**/**/**/**/**/x");
        assert!(p.matches(&format!("{}x", "d/".repeat(100))));
    }
}
