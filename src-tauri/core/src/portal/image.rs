//! A portal tile's image: PNG, JPEG or SVG up to 1 MB, checked before it is kept. PNG and JPEG
//! are kept as given once their header says a sane size; an SVG is rasterized to a PNG here
//! (no DTD, no external or embedded images, no text) and never kept or rendered as given.

use base64::Engine;
use std::path::Path;

/// The largest file accepted.
pub const MAX_BYTES: u64 = 1024 * 1024;
/// The largest width or height a PNG or JPEG may declare (a tile is shown at 64 px).
const MAX_SIDE: u32 = 4096;
/// An SVG is drawn into a square of this many pixels, keeping its proportions.
const RASTER_SIDE: u32 = 256;
/// What a logo needs at most: drawing a larger tree, or one with filters, masks or patterns
/// (whose buffers follow sizes the file declares, not the tile's), could take the machine's
/// memory or time.
const SVG_MAX_NODES: usize = 10_000;
const SVG_MAX_DEPTH: usize = 32;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImageError {
    #[error("The image is {kib} KB; the limit is 1 MB (1,024 KB): choose a smaller file, or export a smaller size.")]
    TooLarge { kib: u64 },
    #[error("The image file cannot be read ({0}): check that it exists and that you may read it.")]
    Unreadable(String),
    #[error("This file is not a PNG, JPEG or SVG image{0}: choose one of those.")]
    WrongKind(String),
    #[error("The image says it is {width}×{height} pixels; the limit is {MAX_SIDE}×{MAX_SIDE}: choose a smaller image.")]
    TooManyPixels { width: u32, height: u32 },
    #[error("The image is damaged ({0}): export it again, then choose the new file.")]
    Damaged(String),
    #[error("The SVG image declares a DTD (<!DOCTYPE …>), which Lanyard does not read: remove it, or export the image as PNG.")]
    SvgDtd,
    #[error(
        "The SVG image is too elaborate for a tile ({0}): export it as PNG and choose that file."
    )]
    SvgTooElaborate(&'static str),
}

/// An image as kept: PNG or JPEG bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

impl Kept {
    /// `data:` URL for the window (its CSP allows data: images).
    pub fn data_url(&self) -> String {
        format!(
            "data:{};base64,{}",
            self.mime,
            base64::engine::general_purpose::STANDARD.encode(&self.bytes)
        )
    }
}

/// Reads the file at `path`, refusing it before reading when it is over the limit (the CLI's
/// way in; the window's goes through the shell's file check).
pub fn read(path: &Path) -> Result<Vec<u8>, ImageError> {
    let meta = std::fs::metadata(path).map_err(|e| ImageError::Unreadable(e.to_string()))?;
    if meta.len() > MAX_BYTES {
        return Err(ImageError::TooLarge {
            kib: meta.len().div_ceil(1024),
        });
    }
    std::fs::read(path).map_err(|e| ImageError::Unreadable(e.to_string()))
}

/// Checks bytes already read (at most [`MAX_BYTES`]) and turns them into what is kept.
pub fn accept(bytes: Vec<u8>) -> Result<Kept, ImageError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(ImageError::TooLarge {
            kib: (bytes.len() as u64).div_ceil(1024),
        });
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let (width, height) = png_size(&bytes)?;
        check_side(width, height)?;
        return Ok(Kept {
            mime: "image/png",
            bytes,
        });
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let (width, height) = jpeg_size(&bytes)?;
        check_side(width, height)?;
        return Ok(Kept {
            mime: "image/jpeg",
            bytes,
        });
    }
    if looks_like_svg(&bytes) {
        return rasterize_svg(&bytes);
    }
    Err(ImageError::WrongKind(
        crate::saml::input::sniff_binary(&bytes)
            .map(|what| format!(" (it looks like {what})"))
            .unwrap_or_default(),
    ))
}

fn check_side(width: u32, height: u32) -> Result<(), ImageError> {
    if width == 0 || height == 0 {
        return Err(ImageError::Damaged("it has no pixels".into()));
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(ImageError::TooManyPixels { width, height });
    }
    Ok(())
}

/// The IHDR chunk's width and height (bytes 16..24, right after the signature and chunk header).
fn png_size(b: &[u8]) -> Result<(u32, u32), ImageError> {
    if b.len() < 24 || &b[12..16] != b"IHDR" {
        return Err(ImageError::Damaged("the PNG header is missing".into()));
    }
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    Ok((be(16), be(20)))
}

/// The size in the first start-of-frame segment (SOF0..SOF15 but DHT, JPG and DAC).
fn jpeg_size(b: &[u8]) -> Result<(u32, u32), ImageError> {
    let damaged = || ImageError::Damaged("no JPEG frame header was found".into());
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return Err(damaged());
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        // Markers without a length.
        if (0xD0..=0xD9).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        let is_sof = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            if i + 9 > b.len() {
                return Err(damaged());
            }
            let height = u32::from(u16::from_be_bytes([b[i + 5], b[i + 6]]));
            let width = u32::from(u16::from_be_bytes([b[i + 7], b[i + 8]]));
            return Ok((width, height));
        }
        if len < 2 {
            return Err(damaged());
        }
        i += 2 + len;
    }
    Err(damaged())
}

/// Text whose first element is `<svg` (after an optional BOM, XML declaration, comments and
/// white space); a DOCTYPE still counts, so that it can be refused by name.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) else {
        return false;
    };
    let head: String = text.chars().take(4096).collect();
    head.trim_start().starts_with('<') && head.contains("<svg")
}

fn rasterize_svg(bytes: &[u8]) -> Result<Kept, ImageError> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| ImageError::Damaged("the SVG is not UTF-8 text".into()))?;
    // Read first with no DTD allowed (the project's rule for XML): usvg's own reader would
    // accept one.
    let doc = roxmltree::Document::parse(text).map_err(|e| match e {
        roxmltree::Error::DtdDetected => ImageError::SvgDtd,
        other => ImageError::Damaged(other.to_string()),
    })?;
    // Counted before usvg expands anything: `<use>` copies could multiply the elements.
    let elements = doc.descendants().filter(|n| n.is_element());
    let mut count = 0usize;
    for e in elements {
        count += 1;
        if count > SVG_MAX_NODES {
            return Err(ImageError::SvgTooElaborate("it has too many shapes"));
        }
        if e.tag_name().name() == "use" {
            return Err(ImageError::SvgTooElaborate("it uses <use> references"));
        }
    }
    drop(doc);
    let options = resvg::usvg::Options {
        // Nothing outside the file is read, and no image inside it is decoded.
        resources_dir: None,
        image_href_resolver: resvg::usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_str(text, &options)
        .map_err(|e| ImageError::Damaged(e.to_string()))?;
    bounded(&tree)?;
    let size = tree.size();
    let scale = RASTER_SIDE as f32 / size.width().max(size.height());
    let width = ((size.width() * scale).round() as u32).clamp(1, RASTER_SIDE);
    let height = ((size.height() * scale).round() as u32).clamp(1, RASTER_SIDE);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| ImageError::Damaged("it has no drawable size".into()))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let png = pixmap
        .encode_png()
        .map_err(|e| ImageError::Damaged(e.to_string()))?;
    Ok(Kept {
        mime: "image/png",
        bytes: png,
    })
}

/// Refuses what could make drawing costly: filters, masks, patterns, too many nodes, too deep.
fn bounded(tree: &resvg::usvg::Tree) -> Result<(), ImageError> {
    if !tree.filters().is_empty() {
        return Err(ImageError::SvgTooElaborate("it uses filters"));
    }
    if !tree.masks().is_empty() {
        return Err(ImageError::SvgTooElaborate("it uses masks"));
    }
    if !tree.patterns().is_empty() {
        return Err(ImageError::SvgTooElaborate("it uses patterns"));
    }
    fn walk(g: &resvg::usvg::Group, depth: usize, count: &mut usize) -> Result<(), ImageError> {
        if depth > SVG_MAX_DEPTH {
            return Err(ImageError::SvgTooElaborate(
                "its groups are nested too deep",
            ));
        }
        for node in g.children() {
            *count += 1;
            if *count > SVG_MAX_NODES {
                return Err(ImageError::SvgTooElaborate("it has too many shapes"));
            }
            if let resvg::usvg::Node::Group(child) = node {
                walk(child, depth + 1, count)?;
            }
        }
        Ok(())
    }
    walk(tree.root(), 0, &mut 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect width="100" height="50" fill="#0a7"/></svg>"##;

    fn png(width: u32, height: u32) -> Vec<u8> {
        resvg::tiny_skia::Pixmap::new(width, height)
            .unwrap()
            .encode_png()
            .unwrap()
    }

    #[test]
    fn a_png_is_kept_as_given() {
        let bytes = png(8, 4);
        let kept = accept(bytes.clone()).unwrap();
        assert_eq!(kept.mime, "image/png");
        assert_eq!(kept.bytes, bytes);
        assert!(kept
            .data_url()
            .starts_with("data:image/png;base64,iVBORw0KGgo"));
    }

    #[test]
    fn a_jpeg_header_gives_its_size() {
        // SOI, APP0 (length 16), SOF0 with 3 × 2 pixels, EOI.
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        b.extend_from_slice(&[0; 14]);
        b.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03]);
        b.extend_from_slice(&[0; 9]);
        b.extend_from_slice(&[0xFF, 0xD9]);
        assert_eq!(jpeg_size(&b).unwrap(), (3, 2));
        assert_eq!(accept(b).unwrap().mime, "image/jpeg");
        assert!(matches!(
            accept(vec![0xFF, 0xD8, 0xFF, 0x00]),
            Err(ImageError::Damaged(_))
        ));
    }

    #[test]
    fn an_svg_is_rasterized_never_kept_as_given() {
        let kept = accept(SVG.as_bytes().to_vec()).unwrap();
        assert_eq!(kept.mime, "image/png", "an SVG becomes a PNG");
        assert_eq!(
            png_size(&kept.bytes).unwrap(),
            (256, 128),
            "proportions kept"
        );
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&kept.bytes).unwrap();
        let px = pixmap.pixel(10, 10).unwrap();
        assert_eq!(
            (px.red(), px.green(), px.blue(), px.alpha()),
            (0, 0xaa, 0x77, 255),
            "drawn"
        );
    }

    #[test]
    fn an_svg_with_a_dtd_or_a_script_or_an_outside_image_is_made_harmless() {
        let dtd = r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#;
        assert_eq!(accept(dtd.as_bytes().to_vec()), Err(ImageError::SvgDtd));
        // A script and an outside image are simply not in the PNG: nothing runs, nothing is read.
        let dir = tempfile::tempdir().unwrap();
        // An SVG file usvg would draw itself if it read it (a PNG would not be decoded anyway).
        let secret = dir.path().join("secret.svg");
        std::fs::write(
            &secret,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>"#,
        )
        .unwrap();
        let tricky = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><script>alert(1)</script><image xlink:href="{}" width="10" height="10"/><image href="https://example.com/x.png" width="10" height="10"/></svg>"#,
            secret.display()
        );
        let kept = accept(tricky.into_bytes()).unwrap();
        assert_eq!(kept.mime, "image/png");
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&kept.bytes).unwrap();
        assert!(
            pixmap.pixels().iter().all(|p| p.alpha() == 0),
            "the outside image was not drawn"
        );
    }

    #[test]
    fn costly_svgs_are_refused_before_drawing() {
        let filter = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><filter id="f" filterUnits="userSpaceOnUse" x="0" y="0" width="100000" height="100000"><feFlood/></filter><rect width="10" height="10" filter="url(#f)"/></svg>"#;
        assert_eq!(
            accept(filter.as_bytes().to_vec()),
            Err(ImageError::SvgTooElaborate("it uses filters"))
        );
        let deep = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}<rect width="10" height="10"/>{}</svg>"#,
            r#"<g opacity=".5">"#.repeat(40),
            "</g>".repeat(40)
        );
        assert_eq!(
            accept(deep.into_bytes()),
            Err(ImageError::SvgTooElaborate(
                "its groups are nested too deep"
            ))
        );
        let many = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}</svg>"#,
            r#"<rect width="1" height="1"/>"#.repeat(SVG_MAX_NODES + 1)
        );
        assert_eq!(
            accept(many.into_bytes()),
            Err(ImageError::SvgTooElaborate("it has too many shapes"))
        );
        let reuse = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><rect id="r" width="1" height="1"/><use xlink:href="#r"/></svg>"##;
        assert_eq!(
            accept(reuse.as_bytes().to_vec()),
            Err(ImageError::SvgTooElaborate("it uses <use> references"))
        );
    }

    #[test]
    fn too_large_too_many_pixels_and_wrong_kinds_are_refused_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.png");
        std::fs::write(&big, vec![0u8; (MAX_BYTES + 1) as usize]).unwrap();
        let e = read(&big).unwrap_err();
        assert_eq!(e, ImageError::TooLarge { kib: 1025 });
        assert!(e.to_string().contains("limit is 1 MB"));

        let mut huge = png(1, 1);
        huge[16..20].copy_from_slice(&10_000u32.to_be_bytes());
        assert_eq!(
            accept(huge),
            Err(ImageError::TooManyPixels {
                width: 10_000,
                height: 1
            })
        );

        let e = accept(b"GIF89a....".to_vec()).unwrap_err();
        assert!(matches!(e, ImageError::WrongKind(_)), "{e}");
        let e = accept(b"%PDF-1.7".to_vec()).unwrap_err();
        assert!(
            e.to_string().contains("PDF"),
            "names what it looks like: {e}"
        );
        assert!(matches!(
            read(&dir.path().join("missing.png")).map(accept),
            Err(ImageError::Unreadable(_))
        ));
    }
}
