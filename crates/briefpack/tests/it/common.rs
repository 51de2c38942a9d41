//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// The folder of test fixtures.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The example library at the repository root.
pub(crate) fn example_pack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../briefings/mi5-threat-update-2025")
}

/// Copies a pack folder (pack.toml and articles/) into a fresh temporary folder.
pub(crate) fn copy_pack(from: &Path) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let to = temp.path().join(from.file_name().unwrap());
    briefpack::pack::store::copy_pack(from, &to).unwrap();
    (temp, to)
}

/// A real PNG of `width` × `height` pixels with a pattern in it.
pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// A PNG that is only a signature and an IHDR chunk declaring `width` × `height`.
pub(crate) fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut chunk = b"IHDR".to_vec();
    chunk.extend_from_slice(&width.to_be_bytes());
    chunk.extend_from_slice(&height.to_be_bytes());
    chunk.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no filter, no interlace
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&13u32.to_be_bytes());
    bytes.extend_from_slice(&chunk);
    bytes.extend_from_slice(&crc32(&chunk).to_be_bytes());
    bytes
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// The property tests' settings: `cases` inputs from a fixed seed, so every run of
/// `make test` tries the same inputs and a failure is the code's, not the dice's.
/// `PROPTEST_RNG_SEED=N` (or `PROPTEST_CASES`) explores further; wider random
/// search is the fuzz targets' job (`make fuzz`).
pub(crate) fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x00b7_1ef9_ac00),
        ..proptest::test_runner::Config::default()
    }
}
