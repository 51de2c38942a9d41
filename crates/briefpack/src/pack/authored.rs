//! The pack's own prose: the text its author writes (the bottom line, each
//! article's why-it-matters note and key points, recommendations, text
//! sections, questions, objectives), as opposed to the articles' bodies,
//! which quote other people.
//!
//! The editorial checks read these fields, and so does the template stage
//! (to know which probability terms the pack uses); each comes with where it
//! lives, so a problem in it can be located at its field.

use super::model::{Pack, SectionKind};

/// What kind of writing a field is: the checks apply different rules to each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthoredKind {
    /// The bottom line up front (`summary`).
    Summary,
    /// An article's "why it matters" note.
    WhyItMatters,
    /// One of an article's key points.
    KeyPoint,
    /// A recommendation's text.
    Recommendation,
    /// A text section's body.
    SectionBody,
    /// A discussion question or its answer.
    Question,
    /// A learning objective.
    Objective,
}

/// One field of the pack's own prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authored<'p> {
    /// What it is.
    pub kind: AuthoredKind,
    /// The article whose front matter holds it; `None` for pack.toml.
    pub article: Option<&'p str>,
    /// The field's path in its file, as diagnostics name it (`recommendations[2].text`, `why_it_matters`).
    pub field: String,
    /// How a person names it in a sentence ("the bottom line", "recommendation 2").
    pub name: String,
    /// The text, Markdown or plain.
    pub text: &'p str,
}

/// A field of pack.toml.
fn pack_field(kind: AuthoredKind, field: String, name: String, text: &str) -> Authored<'_> {
    Authored { kind, article: None, field, name, text }
}

impl Pack {
    /// Every field of the pack's own prose that has text, in the order a reader meets them.
    pub fn authored(&self) -> Vec<Authored<'_>> {
        let mut out: Vec<Authored<'_>> = Vec::new();
        if let Some(summary) = self.meta.summary.as_deref() {
            out.push(pack_field(AuthoredKind::Summary, "summary".into(), "the bottom line".into(), summary));
        }
        for (i, objective) in self.meta.objectives.iter().enumerate() {
            out.push(pack_field(AuthoredKind::Objective, format!("objectives[{}]", i + 1), format!("objective {}", i + 1), objective));
        }
        // Articles in the order the sections show them, then any others.
        let mut article_ids: Vec<&str> = Vec::new();
        let shown = self.sections.iter().filter(|s| s.kind == SectionKind::Article).filter_map(|s| s.article.as_deref());
        for id in shown.chain(self.articles.keys().map(String::as_str)) {
            // An article two sections show is one article.
            if !article_ids.contains(&id) {
                article_ids.push(id);
            }
        }
        for id in article_ids {
            let Some((id, article)) = self.articles.get_key_value(id) else { continue };
            let title = &article.meta.title;
            if let Some(why) = article.meta.why_it_matters.as_deref() {
                out.push(Authored { kind: AuthoredKind::WhyItMatters, article: Some(id), field: "why_it_matters".into(), name: format!("the why-it-matters note of “{title}”"), text: why });
            }
            for (i, point) in article.meta.key_points.iter().enumerate() {
                out.push(Authored { kind: AuthoredKind::KeyPoint, article: Some(id), field: format!("key_points[{}]", i + 1), name: format!("key point {} of “{title}”", i + 1), text: point });
            }
        }
        for (i, r) in self.recommendations.iter().enumerate() {
            out.push(pack_field(AuthoredKind::Recommendation, format!("recommendations[{}].text", i + 1), format!("recommendation {}", i + 1), &r.text));
        }
        for (i, section) in self.sections.iter().enumerate() {
            if let Some(body) = section.body.as_deref() {
                let name = section.title.as_deref().map_or_else(|| format!("section {}", i + 1), |t| format!("the section “{t}”"));
                out.push(pack_field(AuthoredKind::SectionBody, format!("sections[{}].body", i + 1), name, body));
            }
        }
        for (i, q) in self.questions.iter().enumerate() {
            out.push(pack_field(AuthoredKind::Question, format!("questions[{}].text", i + 1), format!("question {}", i + 1), &q.text));
            if let Some(answer) = q.answer.as_deref() {
                out.push(pack_field(AuthoredKind::Question, format!("questions[{}].answer", i + 1), format!("the answer to question {}", i + 1), answer));
            }
        }
        out.retain(|a| !a.text.trim().is_empty());
        out
    }
}
