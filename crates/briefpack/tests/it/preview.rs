//! The app's preview paints pages itself ([`briefpack::raster`]); these tests
//! check that what it paints is what the PDF holds, by comparing each painted
//! page with poppler's rendering of the PDF built from the same pack, and that
//! a painted QR code still scans.

use std::path::{Path, PathBuf};
use std::process::Command;

use std::collections::BTreeSet;

use briefpack::fonts::{Face, FontSet};
use briefpack::layout::{self, Furniture, NoAssets, Style};
use briefpack::markdown;
use briefpack::raster::PagePainter;
use briefpack::render::{self, HouseSource, OutputOptions};

use crate::common::{example_pack, fixtures};

/// Resolution of the comparison: the preview's size on a laptop screen.
const DPI: f32 = 70.0;

/// Grey levels of a page rendered by poppler `width` × `height` pixels.
fn poppler_page(pdf: &[u8], page: usize, (width, height): (u32, u32), dir: &Path) -> image::GrayImage {
    let file = dir.join("built.pdf");
    std::fs::write(&file, pdf).unwrap();
    let prefix = dir.join(format!("poppler-{page}"));
    let out = Command::new("pdftoppm")
        .args(["-scale-to-x", &width.to_string(), "-scale-to-y", &height.to_string(), "-png", "-singlefile"])
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(&file)
        .arg(&prefix)
        .output()
        .expect("pdftoppm (poppler-utils) must be installed: run `make deps`");
    assert!(out.status.success(), "pdftoppm failed: {}", String::from_utf8_lossy(&out.stderr));
    image::open(prefix.with_extension("png")).unwrap().into_luma8()
}

/// How far two renderings of a page differ, in the band of 16 rows where they
/// differ most: the share of pixels of either that have no pixel within one pixel
/// of the same place in the other whose grey level is within a quarter of the
/// range. Anti-aliasing and poppler's snapping of baselines to whole pixels pass;
/// a missing word, a rule or a box in the wrong place, or a wrong colour does not.
fn differing_share(painted: &image::GrayImage, poppler: &image::GrayImage) -> f64 {
    const BAND: u32 = 16;
    assert_eq!(painted.dimensions(), poppler.dimensions());
    let (w, h) = painted.dimensions();
    let unmatched = |a: &image::GrayImage, b: &image::GrayImage, x: u32, y: u32| {
        let level = a.get_pixel(x, y)[0];
        let near = (y.saturating_sub(1)..=(y + 1).min(h - 1)).flat_map(|ny| (x.saturating_sub(1)..=(x + 1).min(w - 1)).map(move |nx| (nx, ny)));
        !near.into_iter().any(|(nx, ny)| b.get_pixel(nx, ny)[0].abs_diff(level) <= 64)
    };
    let mut worst = 0.0f64;
    for band in (0..h).step_by(BAND as usize) {
        let rows = band..(band + BAND).min(h);
        let size = f64::from(w * (rows.end - rows.start));
        let differing = rows.flat_map(|y| (0..w).map(move |x| (x, y))).filter(|&(x, y)| unmatched(painted, poppler, x, y) || unmatched(poppler, painted, x, y)).count();
        worst = worst.max(differing as f64 / size);
    }
    worst
}

fn grey(image: &briefpack::raster::PageImage) -> image::GrayImage {
    let rgba = image::RgbaImage::from_raw(image.width, image.height, image.rgba.clone()).unwrap();
    image::DynamicImage::ImageRgba8(rgba).into_luma8()
}

/// Every page of `painter`'s layout, painted with `fonts`, matches poppler's
/// rendering of `pdf` (written from the same layout); `name` names them in messages.
fn assert_painted_as_printed(name: &str, painter: &PagePainter, fonts: &FontSet, pdf: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("BRIEFPACK_PREVIEW_DUMP").map(PathBuf::from);
    for index in 0..painter.layout().pages.len() {
        let (page_w, _) = painter.layout().page_size(index);
        let width = (page_w * DPI / 72.0).ceil() as u32;
        let painted = grey(&painter.paint(index, fonts, width).unwrap());
        let poppler = poppler_page(pdf, index + 1, painted.dimensions(), dir.path());
        if let Some(keep) = &keep {
            painted.save(keep.join(format!("{name}-{}-painted.png", index + 1))).unwrap();
            poppler.save(keep.join(format!("{name}-{}-poppler.png", index + 1))).unwrap();
        }
        let share = differing_share(&painted, &poppler);
        assert!(share < 0.03, "{name} page {}: {:.2}% of the pixels in a band of the page differ from the PDF's rendering", index + 1, share * 100.0);
    }
}

/// Every page of `pack` (through `template`) painted by the preview matches its PDF.
fn assert_preview_matches_pdf(pack: &Path, template: Option<&str>) {
    let fonts = FontSet::bundled().unwrap();
    let preview = render::pack_to_preview(pack, template, None, &fonts, HouseSource::Library).unwrap();
    let built = render::pack_to_pdf_in(pack, template, None, OutputOptions::default(), &fonts, HouseSource::Library).unwrap();
    assert_eq!(preview.painter.layout().pages.len(), built.output.pages, "the preview and the PDF have the same pages");
    assert_eq!(preview.page_fingerprints, built.output.page_fingerprints, "and the same content on each");
    let name = format!("{}-{}", pack.file_name().unwrap().to_string_lossy(), built.template);
    assert_painted_as_printed(&name, &preview.painter, preview.fonts(&fonts), &built.output.pdf);
}

#[test]
fn the_example_packs_preview_shows_what_its_pdf_prints() {
    assert_preview_matches_pdf(&example_pack(), None);
}

#[test]
fn a_handout_with_qr_codes_previews_as_its_pdf_prints_and_its_codes_scan() {
    let pack = example_pack();
    assert_preview_matches_pdf(&pack, Some("training-handout"));
    // The codes scan from the preview too, at the size a person would hold a phone to the screen.
    let fonts = FontSet::bundled().unwrap();
    let preview = render::pack_to_preview(&pack, Some("training-handout"), None, &fonts, HouseSource::Library).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut found = BTreeSet::new();
    for index in 0..preview.painter.layout().pages.len() {
        let page = preview.painter.paint(index, &fonts, 1200).unwrap();
        let file = dir.path().join(format!("page{index}.png"));
        image::RgbaImage::from_raw(page.width, page.height, page.rgba).unwrap().save(&file).unwrap();
        let out = Command::new("zbarimg").args(["--raw", "-q"]).arg(&file).output().expect("zbarimg (zbar-tools) must be installed: run `make deps`");
        found.extend(String::from_utf8_lossy(&out.stdout).lines().map(str::to_string));
    }
    let links: BTreeSet<String> = briefpack::pack::load(&pack).unwrap().pack.links.iter().map(|l| l.url.clone()).collect();
    assert_eq!(found, links, "the preview's QR codes scan to the pack's links");
}

#[test]
fn a_minimal_pack_previews_as_its_pdf_prints() {
    assert_preview_matches_pdf(&fixtures().join("packs/minimal"), None);
}

#[test]
fn japanese_and_arabic_in_installed_fonts_preview_as_they_print() {
    let fonts = FontSet::bundled().unwrap();
    for c in ['日', 'ع'] {
        assert!(fonts.covers(Face::Regular, c), "no installed font has '{c}': install the Noto fonts (`make deps`)");
    }
    let source = "# 報告 تقرير\n\n英国の情報機関は、国家による脅威の捜査件数が前年比で増加したと発表した。\n\nأعلن جهاز الاستخبارات البريطاني أن التحقيقات في التهديدات قد زادت خلال عام واحد\n\nMI5 said: «تقرير المركز الوطني» in 2025.\n";
    let layout = layout::layout(&markdown::parse(source), &Style::default(), &fonts, &NoAssets, &Furniture::default(), &Default::default()).unwrap();
    let pdf = briefpack::pdf::write_pdf(&layout, &fonts, &Default::default()).unwrap();
    assert_painted_as_printed("scripts", &PagePainter::new(layout), &fonts, &pdf);
}

#[test]
fn a_house_style_with_logos_and_the_sans_serif_face_previews_as_it_prints() {
    let library = fixtures().join("house/northshire");
    // A PNG logo in every header, set in Noto Sans; and a pack of the same library with a JPEG logo of its own, in the serif.
    for pack in ["quarterly", "handout"] {
        assert_preview_matches_pdf(&library.join(pack), None);
    }
}

#[test]
fn photographs_in_rgb_grey_and_cmyk_preview_as_they_print() {
    let fonts = FontSet::bundled().unwrap();
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join("images/cmyk.jpg"), folder.path().join("print.jpg")).unwrap();
    std::fs::write(folder.path().join("pattern.png"), crate::common::png(300, 200)).unwrap();
    let grey = image::GrayImage::from_fn(200, 120, |x, y| image::Luma([((x + y) % 256) as u8]));
    grey.save(folder.path().join("grey.png")).unwrap();
    let source = "# Pictures\n\n![A print-shop photograph](print.jpg)\n\n![A pattern](pattern.png)\n\n![A grey ramp](grey.png)\n";
    let assets = layout::FolderAssets::new(folder.path());
    let layout = layout::layout(&markdown::parse(source), &Style::default(), &fonts, &assets, &Furniture::default(), &Default::default()).unwrap();
    assert_eq!(layout.images.len(), 3);
    let pdf = briefpack::pdf::write_pdf(&layout, &fonts, &Default::default()).unwrap();
    assert_painted_as_printed("images", &PagePainter::new(layout), &fonts, &pdf);
}

#[test]
fn a_landscape_page_and_every_markdown_feature_preview_as_they_print() {
    let fonts = FontSet::bundled().unwrap();
    for name in ["typeset-fourteen-column-table.md", "features.md"] {
        let source = std::fs::read_to_string(fixtures().join("markdown").join(name)).unwrap();
        let layout = layout::layout(&markdown::parse(&source), &Style::default(), &fonts, &NoAssets, &Furniture::default(), &Default::default()).unwrap();
        if name.contains("fourteen") {
            assert!(layout.pages.iter().any(|p| p.landscape), "the wide table turns its page");
        }
        let pdf = briefpack::pdf::write_pdf(&layout, &fonts, &Default::default()).unwrap();
        assert_painted_as_printed(name.trim_end_matches(".md"), &PagePainter::new(layout), &fonts, &pdf);
    }
}
