//! The content pack built into the binary, and loading a pack from a folder.

use super::validate::{MAX_FILE_BYTES, PackFiles};
use rust_embed::RustEmbed;
use std::path::Path;

#[derive(RustEmbed)]
#[folder = "content/"]
struct EmbeddedContent;

/// The pack compiled into the binary.
pub fn embedded_pack() -> PackFiles {
    let mut pack = PackFiles {
        root: "content".into(),
        ..Default::default()
    };
    for path in EmbeddedContent::iter().filter(|p| p.ends_with(".toml")) {
        if let Some(file) = EmbeddedContent::get(&path) {
            pack.files.insert(path.to_string(), file.data.into_owned());
        }
    }
    pack
}

/// Read every `.toml` file under `dir` (two levels: the root and puzzle folders).
pub fn pack_from_dir(dir: &Path) -> std::io::Result<PackFiles> {
    let mut pack = PackFiles {
        root: dir.display().to_string(),
        ..Default::default()
    };
    read_level(dir, "", &mut pack, 0)?;
    Ok(pack)
}

fn read_level(dir: &Path, prefix: &str, pack: &mut PackFiles, depth: usize) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let kind = entry.file_type()?;
        if kind.is_dir() && depth == 0 {
            read_level(&entry.path(), &rel, pack, depth + 1)?;
        } else if kind.is_file() && name.ends_with(".toml") {
            // Read at most one byte past the limit: enough to report "too large" without loading a huge file.
            use std::io::Read;
            let mut bytes = Vec::new();
            std::fs::File::open(entry.path())?
                .take(MAX_FILE_BYTES as u64 + 1)
                .read_to_end(&mut bytes)?;
            pack.files.insert(rel, bytes);
        }
    }
    Ok(())
}
