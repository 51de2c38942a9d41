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
