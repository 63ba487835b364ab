//! PDF export (in progress).

/// Writes `screenplay` as a PDF.
pub fn write(_screenplay: &crate::fountain::Screenplay<'_>) -> crate::Result<Vec<u8>> {
    Ok(Vec::new())
}
