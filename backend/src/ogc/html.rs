//! The OGC API documents as HTML (`f=html`, or a browser asking for text/html): the same links
//! and properties as the JSON, for a person looking at the service in a browser.
use std::fmt::Write;

use serde_json::Value;

use super::documents::Link;

/// Which representation a request asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Html,
}

/// `f` wins; without it a browser's `Accept: text/html` gets HTML and every other client JSON.
pub fn negotiate(f: Option<&str>, accept: Option<&str>) -> Result<Format, String> {
    match f {
        Some("json" | "geojson" | "application/json" | "application/geo+json") => Ok(Format::Json),
        Some("html" | "text/html") => Ok(Format::Html),
        Some(other) => Err(format!("f: `{other}` is not served; json or html")),
        None if accept.is_some_and(|a| a.contains("text/html")) => Ok(Format::Html),
        None => Ok(Format::Json),
    }
}

#[must_use]
pub fn escape(text: &str) -> String {
    text.chars()
        .fold(String::with_capacity(text.len()), |mut out, c| {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
            out
        })
}

/// A whole page: title, the document's links and `body`.
#[must_use]
pub fn page(title: &str, links: &[Link], body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>body{{font:14px sans-serif;margin:1.5em}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #ccc;padding:2px 6px;text-align:left}}th{{background:#eee}}</style>\
         </head><body><h1>{t}</h1>{links}{body}</body></html>",
        t = escape(title),
        links = links_list(links),
    )
}

/// Links as a list: where each goes, how it relates and its media type.
#[must_use]
pub fn links_list(links: &[Link]) -> String {
    let mut out = String::from("<ul>");
    for link in links {
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a> ({}, {})</li>",
            escape(&link.href),
            escape(&link.title),
            escape(link.rel),
            escape(link.kind)
        );
    }
    out.push_str("</ul>");
    out
}

/// A table of features: id, geometry type and every property, in the first feature's order.
#[must_use]
pub fn features_table(features: &[Value]) -> String {
    let Some(first) = features.first() else {
        return "<p>No features.</p>".into();
    };
    let names: Vec<String> = first["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let mut out = String::from("<table><tr><th>id</th><th>geometry</th>");
    for name in &names {
        let _ = write!(out, "<th>{}</th>", escape(name));
    }
    out.push_str("</tr>");
    for feature in features {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td>",
            escape(&feature["id"].to_string()),
            escape(feature["geometry"]["type"].as_str().unwrap_or(""))
        );
        for name in &names {
            let cell = match &feature["properties"][name] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let _ = write!(out, "<td>{}</td>", escape(&cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f_wins_then_accept() {
        assert_eq!(negotiate(Some("html"), None), Ok(Format::Html));
        assert_eq!(negotiate(Some("json"), Some("text/html")), Ok(Format::Json));
        assert_eq!(
            negotiate(None, Some("text/html,application/xhtml+xml,*/*;q=0.8")),
            Ok(Format::Html)
        );
        assert_eq!(
            negotiate(None, Some("application/geo+json, application/json")),
            Ok(Format::Json)
        );
        assert_eq!(negotiate(None, None), Ok(Format::Json));
        assert!(negotiate(Some("xml"), None).is_err_and(|e| e.starts_with("f: `xml`")));
        assert_eq!(
            escape("<a href='x'>&</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
    }
}
