//! The driver: chains the stages for the two things users build.
//!
//! [`pack_to_pdf`] renders a pack folder through its template (the product);
//! [`markdown_to_pdf`] renders a plain Markdown file (`briefpack build FILE.md`).
//! Each stage stays callable on its own; this module only wires them together
//! and collects warnings.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Severity};
use crate::fonts::FontSet;
use crate::house::{self, FontFamily, HouseError, HouseStyle, LibraryHouse};
use crate::layout::{self, Assets, Embeds, FolderAssets, Furniture, LayoutError, Style};
use crate::markdown;
use crate::pack::{self, PackError};
use crate::pdf::{self, PdfError, PdfMetadata};
use crate::raster::PagePainter;
use crate::template::{self, TemplateError};

/// A finished PDF and what was noticed while making it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// One fingerprint per page of what is drawn on it (hex): equal fingerprints
    /// in two builds mean the page looks the same, so a preview can keep it.
    pub page_fingerprints: Vec<String>,
    /// Problems that did not stop the build (characters no font has, …).
    pub warnings: Vec<Diagnostic>,
    /// Estimated minutes to read the document's text ([`template::reading_minutes`]).
    pub reading_minutes: u32,
}

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The pack has errors.
    #[error(transparent)]
    Pack(#[from] PackError),
    /// The template could not be found or rendered.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// Layout failed (an image could not be used).
    #[error(transparent)]
    Layout(#[from] LayoutError),
    /// Writing the PDF failed.
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// The library's house style (library.toml, or the pack's `[house]`) has errors.
    #[error(transparent)]
    House(#[from] HouseError),
}

/// Renders Markdown `source` (read from `source_name`, used in warnings) with
/// `style`. The title is the first heading; images are read through `assets`.
pub fn markdown_to_pdf(
    source: &str,
    source_name: &str,
    style: &Style,
    fonts: &FontSet,
    assets: &dyn Assets,
) -> Result<Rendered, RenderError> {
    markdown_to_pdf_with(source, source_name, style, OutputOptions::default(), fonts, assets)
}

/// [`markdown_to_pdf`] archival and/or in the accessible style, as `options` say.
pub fn markdown_to_pdf_with(
    source: &str,
    source_name: &str,
    style: &Style,
    options: OutputOptions,
    fonts: &FontSet,
    assets: &dyn Assets,
) -> Result<Rendered, RenderError> {
    let accessible;
    let (style, fonts) = if options.accessible == Some(true) {
        accessible = style.accessible();
        (&accessible, accessible_fonts()?)
    } else {
        (style, fonts)
    };
    // Counted before layout: it reads the text again, which a long document's pages
    // should not be held during.
    let reading_minutes = template::reading_minutes(source);
    let document = markdown::parse(source);
    let title = document.first_heading().unwrap_or_else(|| source_name.to_string());
    let mut warnings = uncovered_characters(source, source_name, fonts);
    warnings.extend(dead_links(&document, source_name));
    let furniture = Furniture { title: title.clone(), ..Furniture::default() };
    let layout = layout::layout_owned(document, style, fonts, assets, &furniture, &Embeds::default())?;
    let metadata = PdfMetadata { title, archival: options.archival == Some(true), ..PdfMetadata::default() };
    finish(layout, fonts, &metadata, warnings, reading_minutes)
}

/// The last stage both builds share: fingerprint the pages, write the PDF.
fn finish(layout: layout::Layout, fonts: &FontSet, metadata: &PdfMetadata, mut warnings: Vec<Diagnostic>, reading_minutes: u32) -> Result<Rendered, RenderError> {
    if metadata.archival {
        warnings.extend(cmyk_images(&layout));
    }
    let page_fingerprints = fingerprints(&layout);
    let pages = layout.pages.len();
    let pdf = pdf::write_pdf_owned(layout, fonts, metadata)?;
    Ok(Rendered { pdf, pages, page_fingerprints, warnings, reading_minutes })
}

/// One fingerprint per page of `layout` (hex), for a preview to tell which pages changed.
fn fingerprints(layout: &layout::Layout) -> Vec<String> {
    layout.pages.iter().map(|page| format!("{:016x}", page.fingerprint())).collect()
}

/// One warning per character that no font, bundled or installed, can draw, at its first position.
pub fn uncovered_characters(source: &str, source_name: &str, fonts: &FontSet) -> Vec<Diagnostic> {
    fonts
        .uncovered(source)
        .into_iter()
        .map(|(c, line, column)| Diagnostic {
            severity: Severity::Warning,
            file: source_name.into(),
            line,
            column,
            field: None,
            message: format!("the character '{c}' (U+{:04X}) is in none of Briefpack's fonts nor any font installed on this computer, and prints as an empty box", u32::from(c)),
            hint: Some("replace it, describe it in words, or install a font that has it (for example from the Noto family)".into()),
        })
        .collect()
}

/// A warning per CMYK JPEG in an archival build: PDF/A wants its colours in the
/// file's sRGB output intent, so the file keeps the image but is not PDF/A until
/// the image is saved as RGB.
fn cmyk_images(layout: &layout::Layout) -> Vec<Diagnostic> {
    layout
        .images
        .iter()
        .filter(|image| image.format == layout::ImageFormat::Jpeg && image.components == 4)
        .map(|image| Diagnostic {
            severity: Severity::Warning,
            file: image.path.clone().into(),
            line: 0,
            column: 0,
            field: None,
            message: "this JPEG is CMYK: an archival (PDF/A) file needs its images in RGB, so this PDF does not conform".into(),
            hint: Some("save the image as an RGB JPEG or PNG".into()),
        })
        .collect()
}

/// One warning per link address that is printed but not clickable (see
/// [`layout::is_live_uri`]): plain http, other schemes, relative paths, overlong
/// addresses. At most [`MAX_LINK_WARNINGS`], then one line counting the rest.
pub fn dead_links(document: &markdown::Document, source_name: &str) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    let dead: Vec<&str> = document.link_urls().into_iter().filter(|url| !url.starts_with('#') && !layout::is_live_uri(url) && seen.insert(*url)).collect();
    let warning = |message: String, hint: &str| Diagnostic {
        severity: Severity::Warning,
        file: source_name.into(),
        line: 0,
        column: 0,
        field: None,
        message,
        hint: Some(hint.into()),
    };
    let mut warnings: Vec<Diagnostic> = dead
        .iter()
        .take(MAX_LINK_WARNINGS)
        .map(|url| {
            let shown: String = url.chars().take(80).collect();
            let shown = if shown.len() < url.len() { format!("{shown}…") } else { shown };
            let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase()).filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)));
            match scheme.as_deref() {
                Some("https" | "mailto") => warning(
                    format!("the link to {shown} is printed but not clickable: its address is {} characters long, and links over {} are not made live", url.chars().count(), layout::MAX_LINK_CHARS),
                    "shorten the address (tracking parameters can usually go)",
                ),
                Some("http") => warning(
                    format!("the link to {shown} is printed but not clickable: only https and mailto links are live in the PDF"),
                    "use the site's https:// address",
                ),
                Some(scheme) => warning(
                    format!("the link to {shown} is printed as text only: `{scheme}:` links are never live in the PDF"),
                    "link to a web (https) or mail (mailto) address",
                ),
                None => warning(
                    format!("the link to {shown} is printed but not clickable: it is not a full web or mail address"),
                    "write the full https:// address, or #heading-id for a place in this document",
                ),
            }
        })
        .collect();
    if dead.len() > MAX_LINK_WARNINGS {
        warnings.push(warning(format!("{} more links are printed but not clickable", dead.len() - MAX_LINK_WARNINGS), "see the links above"));
    }
    warnings
}

/// Link warnings listed one by one, at most.
const MAX_LINK_WARNINGS: usize = 10;

/// A pack rendered through its template.
#[derive(Debug, Clone)]
pub struct PackRendered {
    /// The PDF and warnings.
    pub output: Rendered,
    /// The template used.
    pub template: String,
    /// The edition used, if the template has editions.
    pub edition: Option<String>,
    /// A file name for it: `<pack folder>-<template>[-<edition>].pdf`.
    pub file_name: String,
    /// Whether it is an archival PDF (PDF/A-2a).
    pub archival: bool,
}

/// Where templates are looked for, for a pack in `pack_dir`: its own
/// `templates/` folder, then the library's (beside the pack folder); the
/// built-in templates come last.
pub fn template_search_path(pack_dir: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![pack_dir.join("templates")];
    if let Some(library) = pack_dir.parent() {
        dirs.push(library.join("templates"));
        if let Some(above) = library.parent() {
            dirs.push(above.join("templates"));
        }
    }
    dirs
}

/// How an export is made, where the user chooses at export time (the app's export
/// switches, `briefpack build --archival --accessible`); `None` takes the pack's
/// own setting, and a pack that says nothing gets neither.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutputOptions {
    /// PDF/A-2 (level A) with an sRGB output intent.
    pub archival: Option<bool>,
    /// The accessible style: sans-serif, larger type, ragged right, strong contrast.
    pub accessible: Option<bool>,
}

impl OutputOptions {
    /// Whether `pack` is built archival with these options.
    pub fn archival_for(self, pack: &pack::Pack) -> bool {
        self.archival.or(pack.meta.archival).unwrap_or(false)
    }

    /// Whether `pack` is built in the accessible style with these options.
    pub fn accessible_for(self, pack: &pack::Pack) -> bool {
        self.accessible.or(pack.meta.accessible).unwrap_or(false)
    }
}

/// The bundled sans-serif family (Noto Sans) the accessible style and a house
/// style's `font = "sans"` set text in, parsed once.
pub fn accessible_fonts() -> Result<&'static FontSet, PdfError> {
    static SANS: std::sync::OnceLock<Result<FontSet, String>> = std::sync::OnceLock::new();
    SANS.get_or_init(|| FontSet::bundled_sans().map_err(|e| e.to_string())).as_ref().map_err(|e| PdfError::Write(e.clone()))
}

/// A pack laid out through its template: everything but the PDF file itself.
pub(crate) struct PackLaidOut<'f> {
    /// The fonts it was laid out with (the accessible style has its own).
    pub(crate) fonts: &'f FontSet,
    /// Whether it is to be written as PDF/A.
    pub(crate) archival: bool,
    pub(crate) pack: pack::Pack,
    pub(crate) template: template::Template,
    pub(crate) edition: Option<String>,
    pub(crate) output: template::TemplateOutput,
    pub(crate) layout: layout::Layout,
    /// The running header and footer it was laid out with (a copy's stamp is placed against it).
    pub(crate) furniture: Furniture,
    pub(crate) warnings: Vec<Diagnostic>,
}

/// Where a build finds the library's house style.
#[derive(Debug, Clone, Copy)]
pub enum HouseSource<'a> {
    /// The `library.toml` of the library the pack is in, read now.
    Library,
    /// These settings (being edited, not yet saved), or none at all.
    Given(Option<&'a LibraryHouse>),
}

/// Stages 1–4 for an already loaded pack: the template (and edition) chosen,
/// rendered, parsed and laid out, in its library's house style.
pub(crate) fn lay_out_pack<'f>(
    pack_dir: &Path,
    loaded: pack::LoadedPack,
    template: template::Template,
    edition: Option<String>,
    options: OutputOptions,
    fonts: &'f FontSet,
) -> Result<PackLaidOut<'f>, RenderError> {
    lay_out_pack_in(pack_dir, loaded, template, edition, options, fonts, HouseSource::Library)
}

/// [`lay_out_pack`] with the house style from `source`.
pub(crate) fn lay_out_pack_in<'f>(
    pack_dir: &Path,
    loaded: pack::LoadedPack,
    mut template: template::Template,
    edition: Option<String>,
    options: OutputOptions,
    fonts: &'f FontSet,
    source: HouseSource<'_>,
) -> Result<PackLaidOut<'f>, RenderError> {
    let pack = loaded.pack;
    let house: Option<HouseStyle> = match source {
        HouseSource::Library => house::for_pack(pack_dir, &pack)?,
        HouseSource::Given(library) => house::resolve(pack_dir, &pack, library)?,
    };
    let archival = options.archival_for(&pack);
    // House colours go over the template's; the accessible style then darkens them as it needs.
    if let Some(house) = &house {
        house.apply(&mut template.style);
    }
    let fonts = if options.accessible_for(&pack) {
        template.style = template.style.accessible();
        accessible_fonts()?
    } else if house.as_ref().is_some_and(|h| h.font == FontFamily::Sans) {
        accessible_fonts()?
    } else {
        fonts
    };
    let output = template.render_in_house(&pack, edition.as_deref(), house.as_ref())?;
    let document = markdown::parse(&output.markdown);
    let mut warnings = loaded.warnings;
    let template_path = template.source_path().display().to_string();
    warnings.extend(uncovered_characters(&output.markdown, &template_path, fonts));
    warnings.extend(dead_links(&document, &template_path));
    let furniture = Furniture {
        title: pack.meta.title.clone(),
        date: crate::template::long_date(pack.meta.date),
        marking: Some(template::marking_banner(pack.meta.marking)),
        edition: edition.as_deref().and_then(|e| template.info.edition_label(e)),
        header_logo: house.as_ref().and_then(HouseStyle::header_logo),
    };
    let layout = layout::layout_owned(document, &template.style, fonts, &FolderAssets::new(pack_dir), &furniture, &output.embeds)?;
    Ok(PackLaidOut { fonts, archival, pack, template, edition, output, layout, furniture, warnings })
}

/// The file name an export of `pack_folder` through `template` (and `edition`) gets:
/// `<pack folder>-<template>[-<edition>].pdf`.
pub fn export_file_name(pack_folder: &str, template: &str, edition: Option<&str>) -> String {
    match edition {
        Some(e) => format!("{pack_folder}-{template}-{e}.pdf"),
        None => format!("{pack_folder}-{template}.pdf"),
    }
}

/// The template (`template_name`, else the pack's own) and edition (`edition`,
/// else the pack's, else the template's first) a build of `pack` uses.
pub fn choose_template(
    pack_dir: &Path,
    pack: &pack::Pack,
    template_name: Option<&str>,
    edition: Option<&str>,
) -> Result<(template::Template, Option<String>), TemplateError> {
    let name = template_name.unwrap_or(&pack.meta.template);
    let template = template::find(name, &template_search_path(pack_dir))?;
    // The pack's own edition applies only to the pack's own template.
    let own_edition = if template.name == pack.meta.template { pack.meta.edition.as_deref() } else { None };
    let edition = template.edition(edition.or(own_edition))?;
    Ok((template, edition))
}

/// Renders the pack in `pack_dir` with `template` (else the pack's own) in
/// `edition` (else the pack's, else the template's first).
pub fn pack_to_pdf(
    pack_dir: &Path,
    template_name: Option<&str>,
    edition: Option<&str>,
    fonts: &FontSet,
) -> Result<PackRendered, RenderError> {
    pack_to_pdf_with(pack_dir, template_name, edition, OutputOptions::default(), fonts)
}

/// [`pack_to_pdf`] with the export-time choices in `options`.
pub fn pack_to_pdf_with(
    pack_dir: &Path,
    template_name: Option<&str>,
    edition: Option<&str>,
    options: OutputOptions,
    fonts: &FontSet,
) -> Result<PackRendered, RenderError> {
    pack_to_pdf_in(pack_dir, template_name, edition, options, fonts, HouseSource::Library)
}

/// [`pack_to_pdf_with`] in the house style `house` says (the app previews house
/// style settings before they are saved with [`HouseSource::Given`]).
pub fn pack_to_pdf_in(
    pack_dir: &Path,
    template_name: Option<&str>,
    edition: Option<&str>,
    options: OutputOptions,
    fonts: &FontSet,
    house: HouseSource<'_>,
) -> Result<PackRendered, RenderError> {
    let laid_out = load_and_lay_out(pack_dir, template_name, edition, options, fonts, house)?;
    let PackLaidOut { fonts, archival, pack, template, edition, layout, warnings, output: template_output, .. } = laid_out;
    let metadata = PdfMetadata { archival, ..pack_metadata(&pack, &template.name, edition.as_deref()) };
    let output = finish(layout, fonts, &metadata, warnings, template_output.reading_minutes)?;
    let file_name = export_file_name(&pack_folder_name(pack_dir), &template.name, edition.as_deref());
    Ok(PackRendered { output, template: template.name, edition, file_name, archival })
}

/// A pack laid out for the app's preview: its pages ready to be painted, the PDF not written.
#[derive(Debug)]
pub struct PackPreview {
    /// Paints the pages.
    pub painter: PagePainter,
    /// Laid out in the bundled sans-serif set (the accessible style, or a house
    /// style's `font = "sans"`) rather than the set the caller gave: see [`PackPreview::fonts`].
    pub sans: bool,
    /// One fingerprint per page, as [`Rendered::page_fingerprints`].
    pub page_fingerprints: Vec<String>,
    /// Estimated minutes to read it, as [`Rendered::reading_minutes`].
    pub reading_minutes: u32,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// The template used.
    pub template: String,
    /// The edition used, if the template has editions.
    pub edition: Option<String>,
}

impl PackPreview {
    /// `laid_out`, laid out with `fonts` or the sans-serif set, ready to be painted.
    pub(crate) fn of(laid_out: PackLaidOut<'_>, fonts: &FontSet) -> PackPreview {
        let PackLaidOut { fonts: used, archival, template, edition, layout, mut warnings, output, .. } = laid_out;
        if archival {
            warnings.extend(cmyk_images(&layout));
        }
        PackPreview {
            sans: !std::ptr::eq(used, fonts),
            page_fingerprints: fingerprints(&layout),
            painter: PagePainter::new(layout),
            reading_minutes: output.reading_minutes,
            warnings,
            template: template.name,
            edition,
        }
    }

    /// The fonts to paint the pages with: `given` (what the preview was laid out
    /// with), or the bundled sans-serif set when the pack chose that.
    pub fn fonts<'a>(&self, given: &'a FontSet) -> &'a FontSet {
        if self.sans {
            accessible_fonts().unwrap_or(given)
        } else {
            given
        }
    }
}

/// Stages 1–4 of [`pack_to_pdf_in`] for the app's preview, which paints pages
/// with [`PagePainter`] as they come into view instead of reading a PDF.
pub fn pack_to_preview(
    pack_dir: &Path,
    template_name: Option<&str>,
    edition: Option<&str>,
    fonts: &FontSet,
    house: HouseSource<'_>,
) -> Result<PackPreview, RenderError> {
    let laid_out = load_and_lay_out(pack_dir, template_name, edition, OutputOptions::default(), fonts, house)?;
    Ok(PackPreview::of(laid_out, fonts))
}

/// Stages 1–4 for the pack in `pack_dir`: loaded, its template (and edition) chosen, laid out.
fn load_and_lay_out<'f>(
    pack_dir: &Path,
    template_name: Option<&str>,
    edition: Option<&str>,
    options: OutputOptions,
    fonts: &'f FontSet,
    house: HouseSource<'_>,
) -> Result<PackLaidOut<'f>, RenderError> {
    let loaded = pack::load(pack_dir)?;
    let (template, edition) = choose_template(pack_dir, &loaded.pack, template_name, edition)?;
    lay_out_pack_in(pack_dir, loaded, template, edition, options, fonts, house)
}

/// The name of the pack folder `pack_dir` ("pack" for a path without one).
pub(crate) fn pack_folder_name(pack_dir: &Path) -> String {
    pack_dir.file_name().map_or_else(|| "pack".to_string(), |n| n.to_string_lossy().into_owned())
}

/// The document information of `pack` built through `template` (and `edition`):
/// title, author, a subject naming the audience and marking, keywords, the pack's date.
pub(crate) fn pack_metadata(pack: &pack::Pack, template: &str, edition: Option<&str>) -> PdfMetadata {
    let mut keywords = vec![pack.meta.marking.to_string(), template.to_string()];
    keywords.extend(edition.map(str::to_string));
    let subject = [pack.meta.subtitle.clone(), pack.meta.audience.clone().map(|a| format!("For {a}"))]
        .into_iter()
        .flatten()
        .chain(std::iter::once(format!("Marked {}", pack.meta.marking)))
        .collect::<Vec<_>>()
        .join(" — ");
    PdfMetadata {
        title: pack.meta.title.clone(),
        author: pack.meta.prepared_by.clone().unwrap_or_default(),
        subject,
        keywords,
        date: Some(pack.meta.date),
        copy: None,
        language: pack.meta.language.clone().unwrap_or_default(),
        archival: false,
    }
}
