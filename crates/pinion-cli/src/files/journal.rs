//! The pending-upload journal: what `pinion files upload` needs to resume a TUS upload
//! after the process died (Ctrl-C, `kill -9`, a reboot).
//!
//! One file per pending upload, `<data_dir>/uploads/<hex sha256 of the key>.json`. The
//! key ([`UploadKey`]) is what makes two commands "the same upload": service, profile,
//! endpoint, network, name, group, key-values, CID version and the file's canonical
//! path. The file's identity (length, modification time, device and inode) is stored
//! in the entry and compared on load rather than hashed into the name, so a file that
//! changed since the interrupted run is reported as such ([`Pending::Changed`]) instead
//! of silently starting a second upload beside the first.
//!
//! The entry holds the library's resume handle, whose upload URL authorises by itself:
//! the directory is created 0700 and every entry 0600 from its creation (never
//! loosened then tightened), written to a temporary file, synced and renamed over the
//! old entry, so a crash leaves either the old entry or the new one. Nothing here ever
//! prints or formats the handle; unreadable entries are described by position only
//! (parser messages can quote the text they choke on).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::UNIX_EPOCH;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The journal format written by this version.
const FORMAT: u32 = 1;
/// The largest entry read back: a resume handle is a few hundred bytes; anything this
/// big is not one of ours.
const MAX_ENTRY: u64 = 64 * 1024;

/// What makes two `pinion files upload` commands the same upload.
#[derive(Debug, Clone, Serialize)]
pub struct UploadKey {
    /// The service (`pinata`).
    pub service: String,
    /// The profile whose credentials upload.
    pub profile: String,
    /// Where the upload goes: `local` for `--local`, else the uploads base URL.
    pub endpoint: String,
    /// `public` or `private`.
    pub network: String,
    /// `--name`.
    pub name: Option<String>,
    /// `--group`.
    pub group: Option<String>,
    /// `--keyvalue` pairs, sorted by key (the order given does not matter).
    pub keyvalues: Vec<(String, String)>,
    /// `--cid-version`.
    pub cid_version: Option<u8>,
    /// The file's canonical path (hashed as its bytes: it need not be UTF-8).
    #[serde(skip)]
    pub path: PathBuf,
}

impl UploadKey {
    /// The entry's file name: the hex SHA-256 of the key's canonical JSON, a zero
    /// byte (which neither holds), and the path's bytes.
    fn file_name(&self) -> String {
        let mut key = self.clone();
        key.keyvalues.sort();
        // Strings, numbers and options of them: serialising cannot fail.
        let fields = serde_json::to_vec(&key).expect("the key serialises");
        let mut hasher = Sha256::new();
        hasher.update(&fields);
        hasher.update([0]);
        hasher.update(self.path.as_os_str().as_encoded_bytes());
        format!("{}.json", hex::encode(hasher.finalize()))
    }
}

/// Which file, in which state: what must not change between the interrupted run and
/// the resumed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileIdentity {
    /// Length in bytes.
    pub len: u64,
    /// Modification time, nanoseconds since the Unix epoch (negative before it).
    pub modified_ns: i128,
    /// Device and inode (unix): a file replaced by another of the same size and time.
    pub device: Option<u64>,
    /// See `device`.
    pub inode: Option<u64>,
}

impl FileIdentity {
    /// The identity of the file at `path` now.
    pub fn of(path: &Path) -> io::Result<Self> {
        let meta = fs::metadata(path)?;
        let modified_ns = match meta.modified()?.duration_since(UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
            Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
        };
        #[cfg(unix)]
        let (device, inode) = {
            use std::os::unix::fs::MetadataExt;
            (Some(meta.dev()), Some(meta.ino()))
        };
        #[cfg(not(unix))]
        let (device, inode) = (None, None);
        Ok(Self {
            len: meta.len(),
            modified_ns,
            device,
            inode,
        })
    }

    /// In words, what differs from `now` (for the message refusing a changed file).
    pub fn differences(&self, now: &FileIdentity) -> String {
        let mut what = Vec::new();
        if self.len != now.len {
            what.push(format!("its size was {} bytes, now {}", self.len, now.len));
        }
        if self.modified_ns != now.modified_ns {
            what.push("it was modified".to_owned());
        }
        if (self.device, self.inode) != (now.device, now.inode) {
            what.push("it was replaced by another file".to_owned());
        }
        what.join(", ")
    }
}

/// An entry on disk.
#[derive(Serialize, Deserialize)]
struct Entry {
    format: u32,
    file: FileIdentity,
    /// Where the service was when the upload began, when that can change between
    /// runs (the `--local` emulator's address); empty otherwise.
    #[serde(default)]
    served_at: String,
    /// The library's `ResumeHandle::to_json`: a secret.
    handle: String,
}

/// What the journal holds for an upload.
#[derive(Debug)]
pub enum Pending {
    /// Nothing: a fresh upload.
    None,
    /// An interrupted upload of this very file: its resume handle (a secret).
    Found(SecretString),
    /// An interrupted upload of this path, but the file changed since.
    Changed {
        /// The identity recorded when the upload began.
        was: FileIdentity,
    },
    /// An entry that cannot be used, and why (never its contents).
    Unreadable(String),
}

/// The journal entry of one upload.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    identity: FileIdentity,
    served_at: String,
}

impl Journal {
    /// The entry for `key` under `data_dir`, for the file as it is now (`identity`).
    pub fn new(data_dir: &Path, key: &UploadKey, identity: FileIdentity) -> Self {
        Self {
            path: data_dir.join("uploads").join(key.file_name()),
            identity,
            served_at: String::new(),
        }
    }

    /// Records that the service is at `address` in this run, when its address can
    /// change between runs while the key stays (the `--local` emulator's port): an
    /// entry made at another address names an upload URL nothing answers, or some
    /// other program does, so it is unusable rather than sent there.
    pub fn served_at(mut self, address: impl Into<String>) -> Self {
        self.served_at = address.into();
        self
    }

    /// Where the entry lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the journal holds for this upload.
    pub fn load(&self) -> Pending {
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Pending::None,
            Err(error) => return Pending::Unreadable(format!("it cannot be opened ({error})")),
        };
        let mut text = Vec::new();
        if let Err(error) = file.take(MAX_ENTRY + 1).read_to_end(&mut text) {
            return Pending::Unreadable(format!("it cannot be read ({error})"));
        }
        if text.len() as u64 > MAX_ENTRY {
            return Pending::Unreadable(format!("it is larger than {MAX_ENTRY} bytes"));
        }
        let entry: Entry = match serde_json::from_slice(&text) {
            Ok(entry) => entry,
            // Only the position: serde's messages may quote the (secret) text.
            Err(error) => {
                return Pending::Unreadable(format!(
                    "it is not a journal entry ({:?} error at line {}, column {})",
                    error.classify(),
                    error.line(),
                    error.column()
                ));
            }
        };
        if entry.format != FORMAT {
            return Pending::Unreadable(format!(
                "it has format {}, this pinion reads format {FORMAT}",
                entry.format
            ));
        }
        if entry.served_at != self.served_at {
            return Pending::Unreadable(format!(
                "its upload was begun with the service at {}, which is at {} now",
                entry.served_at, self.served_at
            ));
        }
        if entry.file != self.identity {
            return Pending::Changed { was: entry.file };
        }
        Pending::Found(SecretString::from(entry.handle))
    }

    /// Records `handle` (the library's `ResumeHandle::to_json`) atomically: a
    /// temporary file created 0600, synced, renamed over the entry, the directory
    /// synced.
    pub fn save(&self, handle: &SecretString) -> io::Result<()> {
        let dir = self.path.parent().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "a journal entry has a directory",
            )
        })?;
        create_private_dir(dir)?;
        let entry = Entry {
            format: FORMAT,
            file: self.identity.clone(),
            served_at: self.served_at.clone(),
            handle: handle.expose_secret().to_owned(),
        };
        let bytes = serde_json::to_vec(&entry).map_err(io::Error::other)?;
        let temp = dir.join(temp_name(&self.path));
        let written = write_new_private(&temp, &bytes).and_then(|()| fs::rename(&temp, &self.path));
        if let Err(error) = written {
            let _ = fs::remove_file(&temp);
            return Err(error);
        }
        sync_dir(dir)
    }

    /// Removes the entry; `true` when there was one.
    pub fn discard(&self) -> io::Result<bool> {
        match fs::remove_file(&self.path) {
            Ok(()) => {
                if let Some(dir) = self.path.parent() {
                    sync_dir(dir)?;
                }
                Ok(true)
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(error),
        }
    }
}

/// A name for a temporary file beside `entry`, unique in this process and across
/// processes (the pid), starting with a dot so it is not taken for an entry.
fn temp_name(entry: &Path) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let stem = entry
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(
        ".{stem}.{}.{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Creates `dir` (and its parents) with mode 0700, and tightens an existing `dir`
/// that others may enter: it holds secrets.
pub(super) fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(0o700);
        builder.create(dir)?;
        let mode = fs::metadata(dir)?.permissions().mode();
        if mode & 0o077 != 0 {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    builder.create(dir)
}

/// Writes `bytes` to a new file at `path`, created with mode 0600, and syncs it.
fn write_new_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes a rename or removal in `dir` durable.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(path: &Path) -> UploadKey {
        UploadKey {
            service: "pinata".into(),
            profile: "default".into(),
            endpoint: "local".into(),
            network: "public".into(),
            name: None,
            group: None,
            keyvalues: vec![("b".into(), "2".into()), ("a".into(), "1".into())],
            cid_version: None,
            path: path.to_owned(),
        }
    }

    fn fixture() -> (tempfile::TempDir, PathBuf, Journal) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big.bin");
        fs::write(&file, b"contents").unwrap();
        let journal = Journal::new(
            &dir.path().join("data"),
            &key(&file),
            FileIdentity::of(&file).unwrap(),
        );
        (dir, file, journal)
    }

    const HANDLE: &str = r#"{"version":1,"url":"http://127.0.0.1:1/files/id/SECRET-TOKEN"}"#;

    #[test]
    fn an_entry_round_trips_and_is_discarded() {
        let (_dir, _file, journal) = fixture();
        assert!(matches!(journal.load(), Pending::None));
        journal.save(&SecretString::from(HANDLE)).unwrap();
        match journal.load() {
            Pending::Found(handle) => assert_eq!(handle.expose_secret(), HANDLE),
            other => panic!("{other:?}"),
        }
        assert!(journal.discard().unwrap());
        assert!(!journal.discard().unwrap());
        assert!(matches!(journal.load(), Pending::None));
    }

    #[cfg(unix)]
    #[test]
    fn entries_are_0600_in_a_0700_directory_and_no_temporary_file_stays() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, _file, journal) = fixture();
        journal.save(&SecretString::from(HANDLE)).unwrap();
        journal.save(&SecretString::from(HANDLE)).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(journal.path()), 0o600);
        let dir = journal.path().parent().unwrap();
        assert_eq!(mode(dir), 0o700);
        let names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_others_may_enter_is_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, _file, journal) = fixture();
        let dir = journal.path().parent().unwrap();
        fs::create_dir_all(dir).unwrap();
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
        journal.save(&SecretString::from(HANDLE)).unwrap();
        assert_eq!(
            fs::metadata(dir).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }

    #[test]
    fn the_key_names_the_upload_not_the_order_of_its_key_values() {
        let path = Path::new("/data/big.bin");
        let mut swapped = key(path);
        swapped.keyvalues.reverse();
        assert_eq!(key(path).file_name(), swapped.file_name());
        let mut private = key(path);
        private.network = "private".into();
        assert_ne!(key(path).file_name(), private.file_name());
        let mut elsewhere = key(path);
        elsewhere.endpoint = "https://uploads.pinata.cloud/v3".into();
        assert_ne!(key(path).file_name(), elsewhere.file_name());
        let mut other_profile = key(path);
        other_profile.profile = "work".into();
        assert_ne!(key(path).file_name(), other_profile.file_name());
    }

    #[cfg(unix)]
    #[test]
    fn paths_that_are_not_utf8_name_entries_of_their_own() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let one = key(Path::new(OsStr::from_bytes(b"/data/\xff.bin")));
        let other = key(Path::new(OsStr::from_bytes(b"/data/\xfe.bin")));
        assert_ne!(one.file_name(), other.file_name());
        assert_ne!(one.file_name(), key(Path::new("/data/big.bin")).file_name());
    }

    #[test]
    fn a_changed_file_is_reported_with_what_changed() {
        let (_dir, file, journal) = fixture();
        journal.save(&SecretString::from(HANDLE)).unwrap();
        fs::write(&file, b"other and longer contents").unwrap();
        let now = FileIdentity::of(&file).unwrap();
        let reloaded = Journal {
            identity: now.clone(),
            ..journal
        };
        match reloaded.load() {
            Pending::Changed { was } => {
                assert!(was.differences(&now).contains("size was 8 bytes, now 25"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unreadable_entries_are_described_without_their_contents() {
        let (_dir, _file, journal) = fixture();
        fs::create_dir_all(journal.path().parent().unwrap()).unwrap();
        let hostile: &[&[u8]] = &[
            b"",
            b"not json SECRET-TOKEN",
            br#"{"format":1,"file":"SECRET-TOKEN","handle":"x"}"#,
            br#"{"format":"SECRET-TOKEN"}"#,
            &[0xff, 0xfe, 0x00],
        ];
        for text in hostile {
            fs::write(journal.path(), text).unwrap();
            match journal.load() {
                Pending::Unreadable(why) => assert!(!why.contains("SECRET"), "{why}"),
                other => panic!("{other:?}"),
            }
        }
        let future = serde_json::json!({
            "format": 2,
            "file": journal.identity,
            "handle": HANDLE,
        });
        fs::write(journal.path(), future.to_string()).unwrap();
        match journal.load() {
            Pending::Unreadable(why) => assert!(why.contains("format 2"), "{why}"),
            other => panic!("{other:?}"),
        }
        fs::write(journal.path(), vec![b' '; MAX_ENTRY as usize + 10]).unwrap();
        assert!(matches!(journal.load(), Pending::Unreadable(_)));
    }

    #[test]
    fn an_entry_made_at_another_address_is_unusable() {
        let (_dir, _file, journal) = fixture();
        let then = journal.clone().served_at("http://127.0.0.1:4000");
        then.save(&SecretString::from(HANDLE)).unwrap();
        assert!(matches!(then.load(), Pending::Found(_)));
        match journal.served_at("http://127.0.0.1:5000").load() {
            Pending::Unreadable(why) => {
                assert!(why.contains("127.0.0.1:4000"), "{why}");
                assert!(why.contains("127.0.0.1:5000"), "{why}");
                assert!(!why.contains("SECRET"), "{why}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn debug_of_a_found_entry_hides_the_handle() {
        let (_dir, _file, journal) = fixture();
        journal.save(&SecretString::from(HANDLE)).unwrap();
        let shown = format!("{:?}", journal.load());
        assert!(!shown.contains("SECRET"), "{shown}");
    }
}
