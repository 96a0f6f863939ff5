//! Content: the TOML format, its validation, and the packs (embedded or from a folder).

pub mod embedded;
pub mod error;
pub mod model;
pub mod raw;
pub mod validate;

pub use error::{ContentError, ContentErrors};
pub use model::*;
pub use validate::{PackFiles, load_pack};

use std::path::Path;

/// Load the pack to play: a folder when given, the embedded one otherwise.
pub fn load(dir: Option<&Path>) -> Result<Vec<Puzzle>, ContentErrors> {
    let pack = match dir {
        Some(d) => embedded::pack_from_dir(d).map_err(|e| {
            ContentErrors(vec![ContentError {
                file: d.display().to_string(),
                line: 0,
                column: 0,
                field: String::new(),
                message: format!("cannot read the content folder: {e}"),
                fix: "pass a folder that holds puzzle.toml (or puzzle folders)".into(),
            }])
        })?,
        None => embedded::embedded_pack(),
    };
    load_pack(&pack)
}
