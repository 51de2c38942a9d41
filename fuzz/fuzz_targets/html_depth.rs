//! HTML built from bytes with deep and odd nesting (mis-nested formatting,
//! tables, lists, foreign and raw-text elements) → import, on a 2 MB stack like
//! the desktop app's workers: an article or a clear error, never an overflow or
//! a panic.
//!
//! The bytes are read in triples (operation, element, count); tags repeat
//! `count` times, so a few bytes nest hundreds deep.
#![no_main]
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 24] = [
    "div", "b", "p", "li", "ul", "table", "tr", "td", "span", "a", "svg", "title", "blockquote", "i", "em", "h2", "section", "select",
    "option", "font", "nobr", "button", "template", "math",
];
const MAX_PAGE_BYTES: usize = 64 * 1024;
const TEXT: &str = "Reports of phishing to the agency rose by a fifth in the year, with 9,000 a day at the peak. ";

fn page(data: &[u8]) -> String {
    let mut html = String::from("<html><body>");
    for triple in data.chunks(3) {
        // Deep enough for any cap; larger pages only slow the search.
        if html.len() > MAX_PAGE_BYTES {
            break;
        }
        let op = triple[0];
        let name = NAMES[usize::from(*triple.get(1).unwrap_or(&0)) % NAMES.len()];
        let count = usize::from(*triple.get(2).unwrap_or(&1));
        let piece = match op % 8 {
            0 => format!("<{name}>"),
            1 => format!("</{name}>"),
            2 => format!("<{name}>{TEXT}</{name}>"),
            3 => TEXT.to_string(),
            4 => format!("<{name} id=n{count} class=c{op}>"),
            5 => format!("<{name}/>"),
            6 => format!("<p>{TEXT}"),
            _ => format!("<a href=\"javascript:x({count})\">{name}</a>"),
        };
        html.push_str(&piece.repeat(count.max(1)));
    }
    html.push_str("<p>");
    html.push_str(&TEXT.repeat(4));
    html.push_str("</p></body></html>");
    html
}

fuzz_target!(|data: &[u8]| {
    let html = page(data);
    let imported = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn_scoped(scope, || briefpack::import::import(std::path::Path::new("page.html"), html.as_bytes()))
            .unwrap()
            .join()
            .unwrap()
    });
    // "javascript:" may stay as text (inside a <title> or <textarea> the markup is text),
    // never as the target of a Markdown link.
    if let Ok(article) = imported {
        let body = &article.body_markdown;
        for (at, _) in body.match_indices("](") {
            let target = body[at + 2..].trim_start_matches([' ', '<']);
            let scheme: String = target.chars().take(11).collect::<String>().to_ascii_lowercase();
            assert!(scheme != "javascript:", "script link kept: {:?}", &body[body.floor_char_boundary(at.saturating_sub(80))..]);
        }
    }
});
