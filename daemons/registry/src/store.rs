//! The last good list and certificates on disk, so a restart serves them even while the VZD is down.
//! Each file is replaced atomically: written beside, flushed, renamed over, and the directory flushed —
//! a crash leaves the old or the new file, never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

use tiwire_pki::UnixTime;

/// The signed list exactly as the VZD sent it.
const LIST: &str = "federation-list.jws";
/// When the VZD last confirmed it (decimal seconds since the epoch).
const CONFIRMED: &str = "federation-list.confirmed-at";
/// The PASSporT certificates' JSON.
const PASSPORT: &str = "passport-certificates.json";

/// What was stored.
#[derive(Debug, Default)]
pub struct Stored {
    /// The list document.
    pub list: Option<Vec<u8>>,
    /// Its confirmation time.
    pub confirmed_at: Option<UnixTime>,
    /// The PASSporT certificates' JSON.
    pub passport: Option<Vec<u8>>,
}

/// The state directory.
#[derive(Clone, Debug)]
pub struct Store {
    dir: PathBuf,
}

fn read_optional(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

impl Store {
    /// Opens (and creates) the directory.
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Store { dir: dir.to_owned() })
    }

    /// Reads what is there.
    pub fn load(&self) -> std::io::Result<Stored> {
        let confirmed_at = read_optional(&self.dir.join(CONFIRMED))?
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.trim().parse().ok())
            .map(UnixTime::from_secs);
        Ok(Stored {
            list: read_optional(&self.dir.join(LIST))?,
            confirmed_at,
            passport: read_optional(&self.dir.join(PASSPORT))?,
        })
    }

    /// Stores a new list and its confirmation time (the time last, so a crash between the two leaves an older
    /// confirmation time: the list looks older than it is, never fresher).
    pub fn save_list(&self, document: &[u8], confirmed_at: UnixTime) -> std::io::Result<()> {
        self.replace(LIST, document)?;
        self.save_confirmation(confirmed_at)
    }

    /// Stores a confirmation time.
    pub fn save_confirmation(&self, confirmed_at: UnixTime) -> std::io::Result<()> {
        self.replace(CONFIRMED, confirmed_at.as_secs().to_string().as_bytes())
    }

    /// Stores the PASSporT certificates' JSON.
    pub fn save_passport(&self, json: &[u8]) -> std::io::Result<()> {
        self.replace(PASSPORT, json)
    }

    fn replace(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        let tmp = self.dir.join(format!(".{name}.tmp"));
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, self.dir.join(name))?;
        std::fs::File::open(&self.dir)?.sync_all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_replace() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("state")).unwrap();
        assert!(store.load().unwrap().list.is_none());
        store.save_list(b"one", UnixTime::from_secs(10)).unwrap();
        store.save_list(b"two", UnixTime::from_secs(20)).unwrap();
        store.save_passport(b"{}").unwrap();
        let stored = store.load().unwrap();
        assert_eq!(stored.list.as_deref(), Some(&b"two"[..]));
        assert_eq!(stored.confirmed_at, Some(UnixTime::from_secs(20)));
        assert_eq!(stored.passport.as_deref(), Some(&b"{}"[..]));
        // No temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("state"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }
}
