//! PDF export. Placeholder: the `pdf-parser` branch brings the real writer with this
//! signature, and the lead takes theirs at merge.

use crate::error::{Error, Result};
use crate::fountain::Screenplay;

/// Lays the screenplay out as a PDF.
pub fn write(_screenplay: &Screenplay<'_>) -> Result<Vec<u8>> {
    Err(Error::invalid(
        "PDF export is not available in this build yet",
    ))
}
