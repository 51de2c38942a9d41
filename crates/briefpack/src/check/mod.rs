//! `check`: every problem a pack has, including what building it would hit.
//!
//! [`check`] reports the pack's own problems ([`crate::pack::check`]) and
//! then lays the pack out through its template in every edition the template
//! has, so a pack that `check` passes also builds: a template that fails on
//! it, or an image that cannot be used, is an error here too. It also warns
//! about statistics, links and recommendations the chosen template never
//! shows, so nothing the user added goes silently missing from the PDF, and
//! runs the editorial checks ([`editorial`]: bottom-line length, long
//! sentences, probability words, unsourced figures, actions, weak sources), and
//! reports what distributing it would hit (a missing or broken distribution
//! list, a TLP:RED pack that names nobody). The CLI's `briefpack check` and the
//! app's Problems panel both call it.

pub mod editorial;

use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity};
use crate::fonts::FontSet;
use crate::pack::{self, PackError, PACK_FILE};
use crate::render::{self, RenderError};
use crate::template::{self, TemplateError};

/// Every problem of the pack in `pack_dir`, errors and warnings, in file order.
pub fn check(pack_dir: &Path, fonts: &FontSet) -> Vec<Diagnostic> {
    check_and_lay_out(pack_dir, fonts).0
}

/// [`check`], and the pack laid out in its own template and edition ready to be
/// previewed, when that layout succeeded: the app shows a save's problems and
/// its preview from one layout instead of two.
pub fn check_and_lay_out(pack_dir: &Path, fonts: &FontSet) -> (Vec<Diagnostic>, Option<render::PackPreview>) {
    let loaded = match pack::load(pack_dir) {
        Ok(loaded) => loaded,
        Err(PackError::Invalid { diagnostics }) => return (diagnostics, None),
        Err(other) => return (vec![Diagnostic::file_error(pack_dir, other.to_string())], None),
    };
    let mut out = loaded.warnings.clone();
    // The library's house style (and the pack's own [house]) first: with errors there, nothing builds.
    if let Err(e) = crate::house::for_pack(pack_dir, &loaded.pack) {
        out.extend(match e {
            crate::house::HouseError::Invalid { diagnostics } => diagnostics,
            other => vec![Diagnostic::file_error(crate::house::library_of(pack_dir).join(crate::house::LIBRARY_FILE), other.to_string())],
        });
        crate::diagnostic::sort_by_position(&mut out);
        return (out, None);
    }
    out.extend(crate::distribute::recipient_problems(pack_dir, &loaded.pack));
    let (template, own_edition) = match render::choose_template(pack_dir, &loaded.pack, None, None) {
        Ok(chosen) => chosen,
        Err(e) => {
            out.push(template_choice_problem(pack_dir, &e));
            return (out, None);
        }
    };
    let editions: Vec<Option<String>> =
        if template.info.editions.is_empty() { vec![None] } else { template.info.editions.iter().cloned().map(Some).collect() };
    let mut own = None;
    for edition in editions {
        let is_own = edition == own_edition;
        match render::lay_out_pack(pack_dir, loaded.clone(), template.clone(), edition.clone(), render::OutputOptions::default(), fonts) {
            Ok(laid) if is_own => {
                out.extend(laid.warnings.iter().skip(loaded.warnings.len()).cloned());
                out.extend(unshown(pack_dir, &laid.pack, &laid.output, &template.name));
                out.extend(editorial::check(pack_dir, &laid.pack, &template.info, &laid.output));
                own = Some(render::PackPreview::of(laid, fonts));
            }
            Ok(_) => {}
            Err(e) => out.push(build_problem(pack_dir, &template.name, edition.as_deref(), e)),
        }
    }
    crate::diagnostic::sort_by_position(&mut out);
    (out, own)
}

fn template_choice_problem(pack_dir: &Path, e: &TemplateError) -> Diagnostic {
    match e {
        TemplateError::Located(d) => d.clone(),
        TemplateError::Style(ds) => ds.first().cloned().unwrap_or_else(|| Diagnostic::file_error(pack_dir, e.to_string())),
        TemplateError::UnknownEdition { .. } => pack::diagnostic_at(pack_dir, Severity::Error, "edition", format!("{e}: choose one of them in Edition")),
        _ => pack::diagnostic_at(pack_dir, Severity::Error, "template", format!("{e}: choose one of them in Template")),
    }
}

/// A build failure as a problem of the pack: where the template or layout stopped, and which edition.
fn build_problem(pack_dir: &Path, template: &str, edition: Option<&str>, e: RenderError) -> Diagnostic {
    let what = match edition {
        Some(edition) => format!("the {edition} edition of {template}"),
        None => template.to_string(),
    };
    match e {
        RenderError::Template(TemplateError::Located(mut d)) => {
            d.message = format!("Building {what} stops here: {}", d.message);
            d.hint.get_or_insert_with(|| "if the pack is right, the template needs fixing; if the template is a copy of a built-in one, compare it with the original".into());
            d
        }
        RenderError::Pack(PackError::Invalid { diagnostics }) => {
            diagnostics.into_iter().find(Diagnostic::is_error).unwrap_or_else(|| Diagnostic::file_error(pack_dir.join(PACK_FILE), "the pack has errors"))
        }
        other => Diagnostic::file_error(pack_dir, format!("Building {what} fails: {other}")),
    }
}

/// Warnings for content the template never shows.
fn unshown(pack_dir: &Path, pack: &pack::Pack, output: &template::TemplateOutput, template: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let warn = |path: String, message: String| pack::diagnostic_at(pack_dir, Severity::Warning, &path, message);
    let fix = "add a section that shows it in Sections, or name it in one; if this template never shows such items, choose another template";
    for (i, s) in pack.statistics.iter().enumerate() {
        if !output.statistics_shown.contains(&s.id) {
            out.push(warn(format!("statistics[{}]", i + 1), format!("The figure “{}” is not in the {template}: {fix}", s.label)));
        }
    }
    let qr_addresses: Vec<&String> = output.embeds.qr_titles.keys().collect();
    for (i, l) in pack.links.iter().enumerate() {
        let address = template::escaped_address(&l.url);
        if !output.markdown.contains(&address) && !qr_addresses.iter().any(|a| **a == address) {
            out.push(warn(format!("links[{}]", i + 1), format!("The guidance link “{}” is not in the {template}: {fix}", l.title)));
        }
    }
    for (i, r) in pack.recommendations.iter().enumerate() {
        let first_line = r.text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
        if !first_line.is_empty() && !output.markdown.contains(first_line) {
            let shown: String = first_line.chars().take(60).collect();
            out.push(warn(
                format!("recommendations[{}]", i + 1),
                format!("Recommendation {} (“{shown}”) is not in the {template}: {fix}", i + 1),
            ));
        }
    }
    out
}
