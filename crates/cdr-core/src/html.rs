//! Table rows as escaped HTML text.
//!
//! The rate tables can hold a few thousand rows that never change once drawn (a new search
//! or sort draws them again). Written as one HTML string and set as the `<tbody>`'s inner
//! HTML, they cost the browser bundle a loop and an escape function instead of a compiled
//! view per cell type, and draw faster. Every text goes through [`escape`], so a destination
//! name from the API can never become markup.

use std::fmt::Write;

/// A cell of a table row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// The row's header, `<th scope="row">` (a destination, a tariff).
    Head(String),
    /// Text, left-aligned.
    Text(String),
    /// A number, right-aligned (`class="num"`).
    Num(String),
}

/// Appends `text` with the five characters that HTML gives meaning to written as entities,
/// so that it is text in an element's content or in a quoted attribute.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The `<tr>` elements of `rows`, every text escaped.
///
/// ```
/// use cdr_core::html::{rows_html, Cell};
/// let html = rows_html([vec![Cell::Head("A & B".into()), Cell::Num("$0.0052".into())]]);
/// assert_eq!(html, r#"<tr><th scope="row">A &amp; B</th><td class="num">$0.0052</td></tr>"#);
/// ```
pub fn rows_html<R: IntoIterator<Item = Cell>>(rows: impl IntoIterator<Item = R>) -> String {
    let mut out = String::new();
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let (open, text, close) = match &cell {
                Cell::Head(t) => (r#"<th scope="row">"#, t, "</th>"),
                Cell::Text(t) => ("<td>", t, "</td>"),
                Cell::Num(t) => (r#"<td class="num">"#, t, "</td>"),
            };
            out.push_str(open);
            escape(text, &mut out);
            out.push_str(close);
        }
        out.push_str("</tr>");
    }
    out
}

/// The items of a description list of figures, each `<div class="kpi"><dt>…</dt><dd>…</dd></div>`
/// (the summary above the grid, the facts of an explained charge), every text escaped.
///
/// ```
/// use cdr_core::html::terms_html;
/// let html = terms_html(&[("Calls", "1,204".to_owned())]);
/// assert_eq!(html, r#"<div class="kpi"><dt>Calls</dt><dd>1,204</dd></div>"#);
/// ```
pub fn terms_html(items: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (term, value) in items {
        out.push_str(r#"<div class="kpi"><dt>"#);
        escape(term, &mut out);
        out.push_str("</dt><dd>");
        escape(value, &mut out);
        out.push_str("</dd></div>");
    }
    out
}

/// `<li>` elements, one per text, every text escaped.
pub fn list_html<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::new();
    for item in items {
        out.push_str("<li>");
        escape(item.as_ref(), &mut out);
        out.push_str("</li>");
    }
    out
}

/// `<option>` elements for `(value, label)` pairs, the one equal to `selected` marked so.
pub fn options_html<'a>(
    options: impl IntoIterator<Item = (&'a str, &'a str)>,
    selected: &str,
) -> String {
    let mut out = String::new();
    for (value, label) in options {
        out.push_str("<option value=\"");
        escape(value, &mut out);
        out.push('"');
        if value == selected {
            out.push_str(" selected");
        }
        out.push('>');
        escape(label, &mut out);
        out.push_str("</option>");
    }
    out
}

/// A count of rows for a caption: `1 rate`, `1,234 rates`.
pub fn count_noun(n: usize, one: &str, many: &str) -> String {
    let mut out = crate::display::count(n as u64);
    let _ = write!(out, " {}", if n == 1 { one } else { many });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_texts_stays_text() {
        let cases = [
            ("Canada - 418 Quebec City", "Canada - 418 Quebec City"),
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            ("\"O'Brien & Sons\"", "&quot;O&#39;Brien &amp; Sons&quot;"),
            ("Zoë Ångström 山田", "Zoë Ångström 山田"),
            ("", ""),
        ];
        for (text, want) in cases {
            let mut out = String::new();
            escape(text, &mut out);
            assert_eq!(out, want, "{text}");
        }
    }

    #[test]
    fn rows_are_header_text_and_numbers() {
        let html = rows_html([
            vec![
                Cell::Head("Mexico".into()),
                Cell::Text("52".into()),
                Cell::Num("60 s".into()),
            ],
            vec![Cell::Head("<b>".into())],
        ]);
        assert_eq!(
            html,
            concat!(
                r#"<tr><th scope="row">Mexico</th><td>52</td><td class="num">60 s</td></tr>"#,
                r#"<tr><th scope="row">&lt;b&gt;</th></tr>"#
            )
        );
        assert_eq!(rows_html(Vec::<Vec<Cell>>::new()), "");
    }

    #[test]
    fn options_mark_the_selected_one() {
        let html = options_html(
            [
                ("", "Choose"),
                ("92364", "Standard (92364)"),
                ("\"x", "<x>"),
            ],
            "92364",
        );
        assert_eq!(
            html,
            concat!(
                r#"<option value="">Choose</option>"#,
                r#"<option value="92364" selected>Standard (92364)</option>"#,
                r#"<option value="&quot;x">&lt;x&gt;</option>"#
            )
        );
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(count_noun(1, "rate", "rates"), "1 rate");
        assert_eq!(count_noun(0, "rate", "rates"), "0 rates");
        assert_eq!(count_noun(1234, "prefix", "prefixes"), "1,234 prefixes");
    }

    #[test]
    fn figures_and_lists_escape_their_text() {
        let html = terms_html(&[("A<b>", "x & y".to_owned()), ("Cost", "$1.0000".to_owned())]);
        assert_eq!(
            html,
            r#"<div class="kpi"><dt>A&lt;b&gt;</dt><dd>x &amp; y</dd></div><div class="kpi"><dt>Cost</dt><dd>$1.0000</dd></div>"#
        );
        assert_eq!(list_html(&["<i>", "two"]), "<li>&lt;i&gt;</li><li>two</li>");
        assert_eq!(list_html::<&str>(&[]), "");
    }
}
