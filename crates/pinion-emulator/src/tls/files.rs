//! The CA's files: the key private to its owner (0600) and refused otherwise, the
//! certificate world-readable; both written atomically (a temporary file beside,
//! synced, then renamed), so a crash never leaves half a key.

use std::io::Write;
use std::path::Path;

use super::TlsError;

/// The contents of the private file at `path`, or `None` when there is none. Refused
/// when group or others may read or write it: a CA key others could read lets them
/// intercept whatever trusts the CA.
pub(crate) fn read_private(path: &Path) -> Result<Option<String>, TlsError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(TlsError::file(path, error)),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| TlsError::file(path, e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(TlsError::Key {
                path: path.to_owned(),
                reason: format!(
                    "its mode is {:o}, open to other users; make it private (chmod 600) or \
                     delete it to create a new CA",
                    mode & 0o777
                ),
            });
        }
    }
    Ok(Some(text))
}

/// Writes `bytes` to `path` readable and writable by its owner only (0600).
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), TlsError> {
    write_atomically(path, bytes, 0o600).map_err(|e| TlsError::file(path, e))
}

/// Writes `bytes` to `path` readable by everyone (0644): a certificate, no secret.
pub(crate) fn write_public(path: &Path, bytes: &[u8]) -> Result<(), TlsError> {
    write_atomically(path, bytes, 0o644).map_err(|e| TlsError::file(path, e))
}

fn write_atomically(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Created 0600 by tempfile, so a key is never readable by others, even briefly.
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn private_files_are_0600_and_refused_once_opened_to_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.pem");
        assert_eq!(read_private(&path).unwrap(), None);
        write_private(&path, b"secret").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(read_private(&path).unwrap().as_deref(), Some("secret"));

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = read_private(&path).unwrap_err().to_string();
        assert!(error.contains("644"), "{error}");
        assert!(!error.contains("secret"), "{error}");
    }

    #[test]
    fn public_files_are_readable_by_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        write_public(&path, b"cert").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }
}
