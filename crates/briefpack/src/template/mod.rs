//! Stage 2 of the pipeline: [`Pack`] + template → Markdown text (and the data
//! its special blocks show).
//!
//! A template is a folder with `template.md` (Markdown with minijinja tags) and
//! `style.toml` (how it looks, plus its editions). The built-in templates in the
//! repository's `templates/` are compiled into the binary; a folder of the same
//! name in a search directory overrides one. Templates see the pack as data:
//! they cannot read files, include other templates or run without limit, and
//! text from the pack is inserted as content, never evaluated as template code.
//!
//! Special blocks are fenced code blocks that name pack data by id
//! (```` ```stat-cards ````, ```` ```chart ````, ```` ```qr ````, ```` ```cover ````,
//! ```` ```yardstick ````);
//! the data itself travels beside the Markdown in [`Embeds`], so text from a
//! pack can never break a block's fence.

mod context;
mod escape;
mod style_file;

use std::path::{Path, PathBuf};

pub use context::long_date;
pub use style_file::TemplateInfo;

use crate::diagnostic::{Diagnostic, Severity, SourceText};
use crate::house::HouseStyle;
use crate::layout::{Embeds, MarkingBanner, Rgb, Style};
use crate::pack::{Marking, MarkingScheme, Pack};

/// A template ready to render.
#[derive(Debug, Clone)]
pub struct Template {
    /// Its name (the folder name).
    pub name: String,
    /// Where it came from: a folder, or `None` for a built-in one.
    pub folder: Option<PathBuf>,
    /// The Markdown with minijinja tags.
    pub source: String,
    /// How it looks.
    pub style: Style,
    /// Description and editions.
    pub info: TemplateInfo,
}

/// What a template produced for one pack.
#[derive(Debug, Clone, Default)]
pub struct TemplateOutput {
    /// The Markdown document.
    pub markdown: String,
    /// Data for the special blocks the Markdown names.
    pub embeds: Embeds,
    /// Ids of the statistics the document shows (as cards, charts or citations).
    pub statistics_shown: std::collections::BTreeSet<String>,
    /// Estimated minutes to read the document's text (see [`reading_minutes`]).
    pub reading_minutes: u32,
}

/// Words a board member reads in a minute, for the estimated reading time.
pub const WORDS_PER_MINUTE: usize = 200;

/// Estimated minutes to read the prose of Markdown `text` (its paragraphs,
/// list items and quotes; not headings, tables, code or special blocks) at
/// [`WORDS_PER_MINUTE`], rounded up, at least one.
pub fn reading_minutes(text: &str) -> u32 {
    let words: usize = crate::markdown::prose(text).iter().map(|p| crate::prose::word_count(&p.text)).sum();
    words.div_ceil(WORDS_PER_MINUTE).max(1) as u32
}

/// Why a template could not be found, read or rendered.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// No template of that name.
    #[error("there is no template `{name}`; the templates are {}", available.join(", "))]
    NotFound {
        /// The name asked for.
        name: String,
        /// The names there are.
        available: Vec<String>,
    },
    /// The template has no such edition.
    #[error("template `{template}` has no edition `{edition}`; its editions are {}", editions.join(", "))]
    UnknownEdition {
        /// The template.
        template: String,
        /// The edition asked for.
        edition: String,
        /// The editions it has.
        editions: Vec<String>,
    },
    /// A problem in `template.md` or `style.toml`, located.
    #[error("{0}")]
    Located(Diagnostic),
    /// Several problems in `style.toml`.
    #[error("{}", .0.first().map(ToString::to_string).unwrap_or_default())]
    Style(Vec<Diagnostic>),
    /// A template file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

const BUILTIN: [(&str, &str, &str); 2] = [
    (
        "board-briefing",
        include_str!("../../../../templates/board-briefing/template.md"),
        include_str!("../../../../templates/board-briefing/style.toml"),
    ),
    (
        "training-handout",
        include_str!("../../../../templates/training-handout/template.md"),
        include_str!("../../../../templates/training-handout/style.toml"),
    ),
];

/// Finds template `name`: the first search folder holding `name/template.md`
/// wins, then the built-in templates.
pub fn find(name: &str, search: &[PathBuf]) -> Result<Template, TemplateError> {
    // A name is a folder name, never a path: `../../x` must not reach outside the templates folders.
    if crate::pack::template_name_problem(name).is_some() {
        return Err(TemplateError::NotFound { name: name.to_string(), available: available(search) });
    }
    for dir in search {
        let folder = dir.join(name);
        if folder.join("template.md").is_file() {
            return load_folder(name, &folder);
        }
    }
    match BUILTIN.iter().find(|(n, _, _)| *n == name) {
        Some((n, source, style)) => build(n, None, source.to_string(), style, Path::new(&format!("templates/{n}/style.toml"))),
        None => Err(TemplateError::NotFound { name: name.to_string(), available: available(search) }),
    }
}

/// Every template available: built-in ones and those in the search folders,
/// by name. A template that cannot be used (its style.toml has an error, say)
/// is listed with its error rather than left out, so nobody wonders where it went.
pub fn list(search: &[PathBuf]) -> Vec<(String, Result<Template, TemplateError>)> {
    let mut names: Vec<String> = BUILTIN.iter().map(|(n, _, _)| n.to_string()).collect();
    for dir in search {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        for entry in entries.filter_map(Result::ok) {
            if entry.path().join("template.md").is_file() && crate::pack::template_name_problem(&entry.file_name().to_string_lossy()).is_none() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
    }
    names.sort();
    names.dedup();
    names.into_iter().map(|n| {
        let found = find(&n, search);
        (n, found)
    }).collect()
}

fn available(search: &[PathBuf]) -> Vec<String> {
    list(search).into_iter().filter(|(_, t)| t.is_ok()).map(|(name, _)| name).collect()
}

fn load_folder(name: &str, folder: &Path) -> Result<Template, TemplateError> {
    let read = |file: &str| {
        let path = folder.join(file);
        // A template folder may come from someone else: regular files of a sane size only.
        let bytes = crate::files::read_regular_file(&path, crate::pack::MAX_FILE_BYTES).map_err(|e| match e {
            crate::files::ReadError::Io { source, .. } => TemplateError::Io { path: path.clone(), source },
            other => TemplateError::Io { path: path.clone(), source: std::io::Error::new(std::io::ErrorKind::InvalidData, other.to_string()) },
        })?;
        String::from_utf8(bytes).map_err(|_| TemplateError::Io {
            path: path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not UTF-8 text; save it as UTF-8"),
        })
    };
    let source = read("template.md")?;
    let style_path = folder.join("style.toml");
    let style = if style_path.is_file() { read("style.toml")? } else { String::new() };
    build(name, Some(folder.to_path_buf()), source, &style, &style_path)
}

fn build(name: &str, folder: Option<PathBuf>, source: String, style: &str, style_path: &Path) -> Result<Template, TemplateError> {
    let (info, style) = style_file::parse(&SourceText::new(style_path, style)).map_err(TemplateError::Style)?;
    Ok(Template { name: name.to_string(), folder, source, style, info })
}

/// An address as templates print it (see the escaping rules), to find it in their output.
pub fn escaped_address(url: &str) -> String {
    escape::url(url)
}

impl Template {
    /// The file name shown in errors about `template.md`.
    pub fn source_path(&self) -> PathBuf {
        match &self.folder {
            Some(folder) => folder.join("template.md"),
            None => PathBuf::from(format!("templates/{}/template.md", self.name)),
        }
    }

    /// The edition to use: the one asked for, else the first the template declares.
    pub fn edition(&self, wanted: Option<&str>) -> Result<Option<String>, TemplateError> {
        match wanted {
            Some(e) if self.info.editions.iter().any(|x| x == e) => Ok(Some(e.to_string())),
            Some(e) => Err(TemplateError::UnknownEdition {
                template: self.name.clone(),
                edition: e.to_string(),
                editions: if self.info.editions.is_empty() { vec!["(none)".into()] } else { self.info.editions.clone() },
            }),
            None => Ok(self.info.editions.first().cloned()),
        }
    }

    /// Renders the template for `pack` in `edition`.
    pub fn render(&self, pack: &Pack, edition: Option<&str>) -> Result<TemplateOutput, TemplateError> {
        self.render_in_house(pack, edition, None)
    }

    /// [`Template::render`] in a library's house style: its organisation and logo
    /// head the cover, and templates see it as `house` (`house.organisation`).
    pub fn render_in_house(&self, pack: &Pack, edition: Option<&str>, house: Option<&HouseStyle>) -> Result<TemplateOutput, TemplateError> {
        context::render(self, pack, edition, house).map_err(|f| TemplateError::Located(self.locate(&f.error, f.message)))
    }

    /// A minijinja error as a diagnostic at its line and column in `template.md`
    /// (with `message` in place of minijinja's own wording when given).
    fn locate(&self, error: &minijinja::Error, message: Option<String>) -> Diagnostic {
        let source = SourceText::new(self.source_path(), self.source.as_str());
        let message = message.unwrap_or_else(|| error.detail().map_or_else(|| error.kind().to_string(), |d| format!("{}: {d}", error.kind())));
        let mut d = match error.range() {
            Some(range) => source.diagnostic(Severity::Error, range, None, message),
            None => {
                let mut d = Diagnostic::file_error(self.source_path(), message);
                d.line = error.line().unwrap_or(0);
                d.column = usize::from(d.line > 0);
                d
            }
        };
        if let Some(line) = error.line() {
            d.line = line;
        }
        d
    }
}

/// How a marking is printed on every page: TLP labels right-aligned in their
/// FIRST colour on black at 12 pt; UK classifications centred in capitals.
pub fn marking_banner(marking: Marking) -> MarkingBanner {
    match marking.scheme() {
        MarkingScheme::Tlp => {
            let [r, g, b] = marking.tlp_colour().unwrap_or([255, 255, 255]);
            MarkingBanner { text: marking.label().to_string(), colour: Rgb(r, g, b), background: Some(Rgb::BLACK), centred: false, size: 12.0 }
        }
        MarkingScheme::UkClassification => {
            MarkingBanner { text: marking.label().to_uppercase(), colour: Rgb::BLACK, background: None, centred: true, size: 12.0 }
        }
    }
}
