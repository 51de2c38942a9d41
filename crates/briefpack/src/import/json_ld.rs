//! JSON-LD in a saved page: what the page says about its article in
//! `<script type="application/ld+json">` blocks (schema.org), read with
//! serde_json.
//!
//! News sites describe the article there: its headline, authors, publication
//! date, publisher and often its whole text (`articleBody`). A page saved
//! before its scripts ran (a JavaScript-rendered site) may have nothing else.
//! The article object is found at the top level, in an array or in an
//! `@graph`; authors given by reference (`{"@id": …}`, as Yoast writes them)
//! are looked up in the graph. Organisations named as authors are not people
//! and are left out: a by-line names people.

use serde_json::Value;

/// schema.org types that are an article.
const ARTICLE_TYPES: &[&str] = &[
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle",
    "ReviewNewsArticle", "BlogPosting", "LiveBlogPosting", "TechArticle", "Report", "ScholarlyArticle", "SocialMediaPosting",
];

/// Scripts longer than this are not read (a page's description of itself is a few kilobytes).
const MAX_SCRIPT_BYTES: usize = 4 * 1024 * 1024;

/// What the page's JSON-LD says about its article.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct ArticleData {
    /// `headline` (or `name`).
    pub(super) headline: Option<String>,
    /// The people in `author`, in order.
    pub(super) authors: Vec<String>,
    /// `datePublished`, as written.
    pub(super) published: Option<String>,
    /// The publisher's `name`.
    pub(super) publisher: Option<String>,
    /// `articleBody`: the text, paragraphs separated by line breaks.
    pub(super) body: Option<String>,
}

/// The article described by the JSON-LD `scripts` (their text), if any describes one.
pub(super) fn article<'a>(scripts: impl IntoIterator<Item = &'a str>) -> Option<ArticleData> {
    let mut objects: Vec<Value> = Vec::new();
    for script in scripts {
        if script.len() > MAX_SCRIPT_BYTES {
            continue;
        }
        // Some sites wrap the JSON in a CDATA section.
        let text = script.trim().trim_start_matches("//<![CDATA[").trim_start_matches("<![CDATA[").trim_end_matches("//]]>").trim_end_matches("]]>");
        let Ok(value) = serde_json::from_str::<Value>(text) else { continue };
        collect(value, &mut objects);
    }
    let article = objects.iter().find(|o| is_article(o))?;
    let text = |key: &str| article.get(key).and_then(Value::as_str).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Some(ArticleData {
        headline: text("headline").or_else(|| text("name")),
        authors: people(article.get("author"), &objects),
        published: text("datePublished"),
        publisher: article.get("publisher").map(|p| resolve(p, &objects)).and_then(|p| p.get("name")).and_then(Value::as_str).map(str::to_string),
        body: text("articleBody"),
    })
}

/// Every object in `value`: itself, the items of an array, the nodes of an `@graph`.
fn collect(value: Value, out: &mut Vec<Value>) {
    match value {
        Value::Array(items) => items.into_iter().for_each(|item| collect(item, out)),
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                collect(graph, out);
            }
            out.push(Value::Object(map));
        }
        _ => {}
    }
}

fn types(object: &Value) -> Vec<&str> {
    match object.get("@type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_article(object: &Value) -> bool {
    types(object).iter().any(|t| ARTICLE_TYPES.contains(t))
}

/// A node given by reference (`{"@id": "…"}` alone) replaced by the node with that id.
fn resolve<'v>(value: &'v Value, objects: &'v [Value]) -> &'v Value {
    match (value.get("@id").and_then(Value::as_str), value.get("name")) {
        (Some(id), None) => objects.iter().find(|o| o.get("@id").and_then(Value::as_str) == Some(id)).unwrap_or(value),
        _ => value,
    }
}

/// The people an `author` value names: strings, Person objects, references, arrays of them.
fn people(author: Option<&Value>, objects: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    let items: Vec<&Value> = match author {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    for item in items {
        let name = match resolve(item, objects) {
            Value::String(name) => Some(name.as_str()),
            object @ Value::Object(_) if !types(object).iter().any(|t| *t == "Organization" || *t == "NewsMediaOrganization") => object.get("name").and_then(Value::as_str),
            _ => None,
        };
        // An address is not a name ("author": "https://…/about").
        if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty() && !n.contains("://")) {
            if !out.iter().any(|o: &String| o == name) {
                out.push(name.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_news_article_with_authors_and_body() {
        let script = r#"{"@context":"https://schema.org","@type":"NewsArticle","headline":"Ransomware rises","author":[{"@type":"Person","name":"Ann Lee"},{"@type":"Person","name":"Tom Ward"}],"datePublished":"2025-05-08T09:00:12Z","publisher":{"@type":"Organization","name":"Example News"},"articleBody":"First.\n\nSecond."}"#;
        let a = article([script]).unwrap();
        assert_eq!(a.headline.as_deref(), Some("Ransomware rises"));
        assert_eq!(a.authors, ["Ann Lee", "Tom Ward"]);
        assert_eq!(a.published.as_deref(), Some("2025-05-08T09:00:12Z"));
        assert_eq!(a.publisher.as_deref(), Some("Example News"));
        assert_eq!(a.body.as_deref(), Some("First.\n\nSecond."));
    }

    #[test]
    fn authors_by_reference_in_a_graph_and_organisations_left_out() {
        let graph = r##"{"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"Page"},{"@type":"Person","@id":"#p1","name":"Rekha Venkat"},{"@type":"Article","headline":"Boards","author":{"@id":"#p1"}}]}"##;
        assert_eq!(article([graph]).unwrap().authors, ["Rekha Venkat"]);
        let org = r#"{"@type":"NewsArticle","headline":"X","author":{"@type":"Organization","name":"Home Office"}}"#;
        assert!(article([org]).unwrap().authors.is_empty());
        let breadcrumbs = r#"{"@type":"BreadcrumbList"}"#;
        assert_eq!(article([breadcrumbs, "not json", org]).unwrap().headline.as_deref(), Some("X"));
        assert_eq!(article([breadcrumbs]), None);
    }
}
