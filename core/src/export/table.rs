//! A small table type rendered as GitHub Markdown, CSV, or aligned plain text.

/// Column alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text columns.
    Left,
    /// Number columns.
    Right,
}

/// Headers, alignments and rows of already-formatted cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// Column titles.
    pub headers: Vec<String>,
    /// One alignment per column.
    pub align: Vec<Align>,
    /// Cells, one Vec per row.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these columns and no rows.
    pub fn new(columns: &[(&str, Align)]) -> Table {
        Table {
            headers: columns.iter().map(|(h, _)| h.to_string()).collect(),
            align: columns.iter().map(|(_, a)| *a).collect(),
            rows: Vec::new(),
        }
    }

    /// GitHub-flavoured Markdown. Pipes, backslashes, newlines and the emphasis and link
    /// characters `* _ ~ [ ]` in cells are escaped, and `<` `>` `&` become entities, so a
    /// hostile file name cannot add markup to a PR comment.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        out.push_str(&line(
            &self
                .headers
                .iter()
                .map(|h| md_escape(h))
                .collect::<Vec<_>>(),
        ));
        let sep: Vec<String> = self
            .align
            .iter()
            .map(|a| match a {
                Align::Left => "---".to_string(),
                Align::Right => "---:".to_string(),
            })
            .collect();
        out.push_str(&line(&sep));
        for r in &self.rows {
            out.push_str(&line(&r.iter().map(|c| md_escape(c)).collect::<Vec<_>>()));
        }
        out
    }

    /// RFC 4180 CSV. Cells that a spreadsheet would run as a formula (starting with `=`,
    /// `+`, `-`, `@`, tab or carriage return) get a leading `'`, unless they are plain
    /// numbers.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        for r in std::iter::once(&self.headers).chain(&self.rows) {
            let cells: Vec<String> = r.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// Columns padded to line up in a terminal.
    pub fn to_text(&self) -> String {
        let n = self.headers.len();
        let mut width = vec![0; n];
        for r in std::iter::once(&self.headers).chain(&self.rows) {
            for (w, c) in width.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let mut out = String::new();
        for r in std::iter::once(&self.headers).chain(&self.rows) {
            let cells: Vec<String> = r
                .iter()
                .zip(&width)
                .zip(&self.align)
                .map(|((c, &w), a)| match a {
                    Align::Left => format!("{c:<w$}"),
                    Align::Right => format!("{c:>w$}"),
                })
                .collect();
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        }
        out
    }
}

/// `s` as Markdown text that renders literally: no markup, no HTML, no table breaks.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' => out.push_str("\\`"),
            // Emphasis, strike-through and link brackets: `__init__.py` must not turn
            // bold, nor a name into a link.
            '*' | '_' | '~' | '[' | ']' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn csv_cell(s: &str) -> String {
    let is_number = s.parse::<f64>().is_ok_and(f64::is_finite);
    let risky = !is_number && s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let s = if risky {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_injection_safe_and_quoted() {
        let mut t = Table::new(&[("path", Align::Left), ("n", Align::Right)]);
        t.rows.push(vec!["=HYPERLINK(\"x\")".into(), "-5".into()]);
        t.rows.push(vec!["a,b.py".into(), "1.5".into()]);
        t.rows.push(vec!["@sum".into(), "+x".into()]);
        assert_eq!(
            t.to_csv(),
            "path,n\r\n\"'=HYPERLINK(\"\"x\"\")\",-5\r\n\"a,b.py\",1.5\r\n'@sum,'+x\r\n"
        );
    }

    #[test]
    fn markdown_escapes_markup() {
        let mut t = Table::new(&[("path", Align::Left), ("n", Align::Right)]);
        t.rows
            .push(vec!["<img src=x onerror=alert(1)>|x".into(), "1".into()]);
        assert_eq!(
            t.to_markdown(),
            "| path | n |\n| --- | ---: |\n| &lt;img src=x onerror=alert(1)&gt;\\|x | 1 |\n"
        );
    }

    #[test]
    fn markdown_keeps_names_literal() {
        let mut t = Table::new(&[("path", Align::Left)]);
        t.rows.push(vec!["src/__init__.py".into()]);
        t.rows
            .push(vec!["[x](javascript:alert(1)) **b** ~~s~~".into()]);
        assert_eq!(
            t.to_markdown(),
            "| path |\n| --- |\n| src/\\_\\_init\\_\\_.py |\n| \\[x\\](javascript:alert(1)) \\*\\*b\\*\\* \\~\\~s\\~\\~ |\n"
        );
    }
}
