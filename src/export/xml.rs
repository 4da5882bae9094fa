//! XML escaping shared by GEXF, GraphML and SVG, and the frame of a
//! GEXF or GraphML document.

use std::io::Write;

use quick_xml::Writer;

use crate::graph::KnowledgeGraph;

/// quick-xml's writer over any output.
pub type Xml<'w> = Writer<&'w mut dyn Write>;

/// Writes one XML document of `graph` with `body`: the character rule is
/// applied first, the writer indents by two spaces, the document ends
/// with a line feed, and quick-xml's errors come out as I/O errors.
pub fn write_document(
    graph: &KnowledgeGraph,
    out: &mut dyn Write,
    body: fn(&KnowledgeGraph, &mut Xml) -> quick_xml::Result<()>,
) -> std::io::Result<()> {
    let graph = super::clean::clean_graph(graph);
    let mut w = Writer::new_with_indent(out, b' ', 2);
    body(&graph, &mut w).map_err(io_err)?;
    w.get_mut().write_all(b"\n")
}

/// Escapes text for an XML attribute value or element content: the five
/// markup characters as entities, and tab, line feed and carriage return as
/// character references so that attribute-value normalisation in readers
/// (which turns raw ones into spaces) leaves them intact. Expects text that
/// [`super::clean`] has already passed.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// An XML attribute for quick-xml's writer whose value is escaped by [`escape`].
pub fn attr<'a>(key: &'a str, value: &str) -> quick_xml::events::attributes::Attribute<'a> {
    quick_xml::events::attributes::Attribute {
        key: quick_xml::name::QName(key.as_bytes()),
        value: std::borrow::Cow::Owned(escape(value).into_bytes()),
    }
}

/// Turns a quick-xml error into an I/O error, which is what writers return.
pub fn io_err(e: quick_xml::Error) -> std::io::Error {
    match e {
        quick_xml::Error::Io(e) => std::io::Error::new(e.kind(), e.to_string()),
        e => std::io::Error::other(e),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_whitespace() {
        assert_eq!(
            super::escape("Procter & Gamble <'s>\t\"x\"\n"),
            "Procter &amp; Gamble &lt;&apos;s&gt;&#9;&quot;x&quot;&#10;"
        );
    }
}
