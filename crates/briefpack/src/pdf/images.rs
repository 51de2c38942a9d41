//! Image XObjects: a JPEG embedded as it is (DCT), a PNG decoded and stored
//! losslessly (Flate), its transparency as a soft mask.

use lopdf::{Dictionary, Document, Object, Stream};
use printpdf::{RawImage, RawImageData, RawImageFormat};

use super::PdfError;
use crate::layout::{ImageAsset, ImageFormat};

/// Adds every image as an XObject and returns the resources (`Im0`, `Im1`, … → object).
pub(super) fn embed(pdf: &mut Document, images: &[ImageAsset]) -> Result<Dictionary, PdfError> {
    let mut resources = Dictionary::new();
    for (index, image) in images.iter().enumerate() {
        let stream = match image.format {
            ImageFormat::Jpeg => jpeg(image),
            ImageFormat::Png => png(pdf, image)?,
        };
        resources.set(format!("Im{index}").into_bytes(), Object::Reference(pdf.add_object(stream)));
    }
    Ok(resources)
}

fn image_dictionary(width: u32, height: u32, colour_space: &str) -> Dictionary {
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Image".to_vec()));
    dict.set("Width", Object::Integer(i64::from(width)));
    dict.set("Height", Object::Integer(i64::from(height)));
    dict.set("ColorSpace", Object::Name(colour_space.as_bytes().to_vec()));
    dict.set("BitsPerComponent", Object::Integer(8));
    dict
}

fn jpeg(image: &ImageAsset) -> Stream {
    let colour_space = match image.components {
        1 => "DeviceGray",
        4 => "DeviceCMYK",
        _ => "DeviceRGB",
    };
    let mut dict = image_dictionary(image.width_px, image.height_px, colour_space);
    dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
    Stream::new(dict, image.bytes.to_vec()).with_compression(false)
}

/// Decodes a PNG into 8-bit grey or RGB samples and, when it has transparency,
/// an 8-bit soft mask (left for the finishing step to compress).
fn png(pdf: &mut Document, image: &ImageAsset) -> Result<Stream, PdfError> {
    let raw = RawImage::decode_from_bytes(&image.bytes, &mut Vec::new()).map_err(|message| PdfError::Image { path: image.path.clone(), message })?;
    let (width, height) = (raw.width, raw.height);
    let samples: Vec<u8> = match raw.pixels {
        RawImageData::U8(v) => v,
        RawImageData::U16(v) => v.into_iter().map(|s| (s >> 8) as u8).collect(),
        RawImageData::F32(v) => v.into_iter().map(|s| (s.clamp(0.0, 1.0) * 255.0).round() as u8).collect(),
    };
    // Channels as stored, which of them is colour, and whether they run BGR.
    let (channels, colour, bgr) = match raw.data_format {
        RawImageFormat::R8 | RawImageFormat::R16 => (1, 1, false),
        RawImageFormat::RG8 | RawImageFormat::RG16 => (2, 1, false),
        RawImageFormat::RGB8 | RawImageFormat::RGB16 | RawImageFormat::RGBF32 => (3, 3, false),
        RawImageFormat::RGBA8 | RawImageFormat::RGBA16 | RawImageFormat::RGBAF32 => (4, 3, false),
        RawImageFormat::BGR8 => (3, 3, true),
        RawImageFormat::BGRA8 => (4, 3, true),
    };
    let pixels = width * height;
    if samples.len() < pixels * channels {
        return Err(PdfError::Image { path: image.path.clone(), message: "fewer pixels than its size says".into() });
    }
    let mut colour_samples = Vec::with_capacity(pixels * colour);
    let mut alpha = Vec::new();
    let has_alpha = channels > colour;
    if has_alpha {
        alpha.reserve(pixels);
    }
    for pixel in samples.chunks_exact(channels).take(pixels) {
        if bgr {
            colour_samples.extend_from_slice(&[pixel[2], pixel[1], pixel[0]]);
        } else {
            colour_samples.extend_from_slice(&pixel[..colour]);
        }
        if has_alpha {
            alpha.push(pixel[colour]);
        }
    }
    let (w, h) = (u32::try_from(width).unwrap_or(u32::MAX), u32::try_from(height).unwrap_or(u32::MAX));
    let mut dict = image_dictionary(w, h, if colour == 1 { "DeviceGray" } else { "DeviceRGB" });
    // A mask that is opaque everywhere says nothing.
    if has_alpha && alpha.iter().any(|&a| a != 255) {
        let mask = Stream::new(image_dictionary(w, h, "DeviceGray"), alpha);
        dict.set("SMask", Object::Reference(pdf.add_object(mask)));
    }
    Ok(Stream::new(dict, colour_samples))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn png_asset(image: image::DynamicImage) -> ImageAsset {
        let mut bytes = Vec::new();
        image.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
        ImageAsset { path: "test.png".into(), bytes: Arc::from(bytes), format: ImageFormat::Png, width_px: image.width(), height_px: image.height(), components: 0 }
    }

    fn stream_of(pdf: &Document, resources: &Dictionary) -> lopdf::Stream {
        let id = resources.get(b"Im0").unwrap().as_reference().unwrap();
        pdf.get_object(id).unwrap().as_stream().unwrap().clone()
    }

    #[test]
    fn a_transparent_png_keeps_its_colours_and_gets_a_soft_mask() {
        let mut rgba = image::RgbaImage::new(2, 1);
        rgba.put_pixel(0, 0, image::Rgba([10, 20, 30, 255]));
        rgba.put_pixel(1, 0, image::Rgba([40, 50, 60, 0]));
        let mut pdf = Document::with_version("1.7");
        let resources = embed(&mut pdf, &[png_asset(image::DynamicImage::ImageRgba8(rgba))]).unwrap();
        let stream = stream_of(&pdf, &resources);
        assert_eq!(stream.content, [10, 20, 30, 40, 50, 60]);
        assert_eq!(stream.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceRGB");
        let mask = pdf.get_object(stream.dict.get(b"SMask").unwrap().as_reference().unwrap()).unwrap().as_stream().unwrap();
        assert_eq!(mask.content, [255, 0]);
        assert_eq!(mask.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceGray");
    }

    #[test]
    fn an_opaque_or_grey_png_needs_no_mask() {
        let mut rgba = image::RgbaImage::new(1, 1);
        rgba.put_pixel(0, 0, image::Rgba([1, 2, 3, 255]));
        let grey = image::DynamicImage::ImageLuma16(image::ImageBuffer::from_pixel(2, 1, image::Luma([0xABCDu16])));
        let mut pdf = Document::with_version("1.7");
        let opaque = embed(&mut pdf, &[png_asset(image::DynamicImage::ImageRgba8(rgba))]).unwrap();
        assert!(stream_of(&pdf, &opaque).dict.get(b"SMask").is_err(), "an opaque image has no mask");
        let resources = embed(&mut pdf, &[png_asset(grey)]).unwrap();
        let stream = stream_of(&pdf, &resources);
        assert_eq!(stream.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceGray");
        assert_eq!(stream.content, [0xAB, 0xAB], "16-bit samples are written as their high bytes");
    }

    #[test]
    fn a_damaged_png_is_a_located_error() {
        let asset = ImageAsset { path: "figures/broken.png".into(), bytes: Arc::from(&b"\x89PNG\r\n\x1a\nbroken"[..]), format: ImageFormat::Png, width_px: 1, height_px: 1, components: 0 };
        let error = embed(&mut Document::with_version("1.7"), &[asset]).unwrap_err();
        assert!(error.to_string().contains("figures/broken.png"), "{error}");
    }
}
