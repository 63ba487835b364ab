//! The zip under a bundle, both ways. Writing is byte-deterministic: the given entry order,
//! the DOS epoch as every timestamp, 0644, Unix as the "made by" system, one compression.
//! Reading trusts nothing the file says: names must stay inside the folder, no links, and
//! the entries' count and bytes are capped as actually decompressed (declared sizes lie; the
//! zip crate has no bomb limit of its own).

use std::io::{Cursor, Read, Seek, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::error::{Error, Result};

pub const MAX_ENTRIES: usize = 64;
pub const MAX_ENTRY_BYTES: u64 = 256 * 1024 * 1024;
pub const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;
/// Decompressed bytes per compressed byte above which an entry is taken for a bomb.
pub const MAX_RATIO: u64 = 200;

/// Unix's number in the zip "version made by" field.
const UNIX: u8 = 3;
const S_IFMT: u32 = 0o170_000;
const S_IFLNK: u32 = 0o120_000;

/// One entry, read or to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub bytes: Vec<u8>,
}

pub fn write(entries: &[Entry]) -> Result<Vec<u8>> {
    // Each entry is compressed on its own thread into a zip of one; those are then copied in
    // the given order, so the bytes never depend on which thread finished first.
    let singles: Vec<Result<Vec<u8>>> = std::thread::scope(|scope| {
        let running: Vec<_> = entries
            .iter()
            .map(|entry| scope.spawn(move || single(entry)))
            .collect();
        running
            .into_iter()
            .map(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|_| Err(Error::Io("compressing an entry failed".into())))
            })
            .collect()
    });
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for single in singles {
        let mut one = ZipArchive::new(Cursor::new(single?)).map_err(zip_error)?;
        zip.raw_copy_file(one.by_index_raw(0).map_err(zip_error)?)
            .map_err(zip_error)?;
    }
    let mut bytes = zip.finish().map_err(zip_error)?.into_inner();
    made_on_unix(&mut bytes);
    Ok(bytes)
}

fn single(entry: &Entry) -> Result<Vec<u8>> {
    // Level 3, not 6: the feature's bundle comes out 730 KB instead of 590 KB and the export
    // takes 60 ms less (benches/bundle.rs); level 1 saves 20 ms more but doubles the size.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(3))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
        .large_file(false);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(entry.name.as_str(), options)
        .map_err(zip_error)?;
    zip.write_all(&entry.bytes)?;
    Ok(zip.finish().map_err(zip_error)?.into_inner())
}

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::Io(format!("cannot write the zip: {e}"))
}

/// The zip crate stamps DOS as the "made by" system on Windows; the bundle says Unix
/// wherever it was made, so every machine writes the same bytes.
fn made_on_unix(bytes: &mut [u8]) {
    let u16_at = |b: &[u8], at: usize| b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]));
    let u32_at = |b: &[u8], at: usize| {
        b.get(at..at + 4)
            .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    };
    // No archive comment is written, so the end record is the last 22 bytes.
    let Some(end) = bytes.len().checked_sub(22) else {
        return;
    };
    let (Some(count), Some(start)) = (u16_at(bytes, end + 10), u32_at(bytes, end + 16)) else {
        return;
    };
    let mut at = start as usize;
    for _ in 0..count {
        if u32_at(bytes, at) != Some(0x0201_4b50) {
            return;
        }
        if let Some(system) = bytes.get_mut(at + 5) {
            *system = UNIX;
        }
        let lengths: Option<usize> = [28, 30, 32]
            .iter()
            .map(|o| u16_at(bytes, at + o).map(usize::from))
            .sum();
        match lengths {
            Some(n) => at += 46 + n,
            None => return,
        }
    }
}

/// Every file entry of a zip, checked; a refusal says what was wrong and reads no further.
pub fn read<R: Read + Seek>(reader: R) -> Result<Vec<Entry>> {
    let mut zip = ZipArchive::new(reader).map_err(|e| {
        Error::invalid(format!(
            "not a readable zip file (truncated, damaged or another format): {e}"
        ))
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(Error::invalid(format!(
            "the file has {} entries; at most {MAX_ENTRIES} are accepted",
            zip.len()
        )));
    }
    let mut entries: Vec<Entry> = Vec::with_capacity(zip.len());
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let file = zip.by_index(index).map_err(damaged)?;
        if file.is_dir() {
            check_name(
                file.name().trim_end_matches('/'),
                file.enclosed_name().is_some(),
            )?;
            continue;
        }
        let name = file.name().to_string();
        check_name(&name, file.enclosed_name().is_some())?;
        let is_link = file.is_symlink() || file.unix_mode().is_some_and(|m| m & S_IFMT == S_IFLNK);
        if is_link {
            return Err(Error::invalid(format!("{name:?} is a symbolic link")));
        }
        if entries.iter().any(|e| e.name == name) {
            return Err(Error::invalid(format!("{name:?} is in the file twice")));
        }
        let declared = file.size();
        let compressed = file.compressed_size();
        check_size(&name, declared, total)?;
        let bytes = read_capped(file, &name)?;
        let actual = bytes.len() as u64;
        check_size(&name, actual, total)?;
        if actual > compressed.saturating_mul(MAX_RATIO) {
            return Err(Error::invalid(format!(
                "{name:?} expands {actual} bytes from {compressed} (over {MAX_RATIO}:1): refused as a zip bomb"
            )));
        }
        if actual != declared {
            return Err(Error::invalid(format!(
                "{name:?} says it holds {declared} bytes but holds {actual}"
            )));
        }
        total = total.saturating_add(actual);
        entries.push(Entry { name, bytes });
    }
    Ok(entries)
}

fn damaged(e: zip::result::ZipError) -> Error {
    Error::invalid(format!("the zip file is damaged: {e}"))
}

/// Relative, inside the folder, no NUL, no drive prefix, no backslash (a Windows separator).
fn check_name(name: &str, enclosed: bool) -> Result<()> {
    let drive = name.len() >= 2 && name.as_bytes()[1] == b':';
    let parent = name.split('/').any(|part| part == "..");
    if !enclosed || drive || parent || name.starts_with('/') || name.contains(['\0', '\\']) {
        return Err(Error::invalid(format!(
            "the entry name {:?} points outside the folder it would be unpacked into",
            name.replace('\0', "\\0")
        )));
    }
    Ok(())
}

fn check_size(name: &str, bytes: u64, before: u64) -> Result<()> {
    if bytes > MAX_ENTRY_BYTES {
        return Err(Error::invalid(format!(
            "{name:?} holds {bytes} bytes; an entry may hold at most {MAX_ENTRY_BYTES}"
        )));
    }
    if before.saturating_add(bytes) > MAX_TOTAL_BYTES {
        return Err(Error::invalid(format!(
            "the entries hold more than {MAX_TOTAL_BYTES} bytes together"
        )));
    }
    Ok(())
}

/// At most one byte past the cap, whatever the entry declares.
fn read_capped(file: impl Read, name: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    file.take(MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::invalid(format!("{name:?} cannot be read: {e}")))?;
    Ok(bytes)
}
