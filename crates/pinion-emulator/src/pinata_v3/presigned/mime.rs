//! The MIME type a signed URL's `allow_mime_types` is checked against: detected from
//! the bytes' signature where they have one (so a PNG named `notes.txt` is still
//! `image/png`), else the type the client declared (the part's or TUS `filetype`, or
//! the name's extension) unless it is a type whose files always carry a signature (text
//! named `fake.png` is not an image), else `text/plain` for text and
//! `application/octet-stream`.
//! Several files (or one with a path) are the synthetic type `directory`.

use std::io::{self, Read};
use std::path::Path;

use axum::response::Response;
use pinion_rules::upload::DEFAULT_MIME;

use crate::pinata_v3::V3Reason;
use crate::state::tus::UploadGrant;

/// How many leading bytes detection looks at.
pub(crate) const HEAD_LEN: usize = 512;

/// The synthetic type of a folder upload.
pub(crate) const DIRECTORY: &str = "directory";

/// Byte signatures: (offset, bytes, type).
const SIGNATURES: &[(usize, &[u8], &str)] = &[
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"BM", "image/bmp"),
    (0, b"\x00\x00\x01\x00", "image/x-icon"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"\x1f\x8b\x08", "application/gzip"),
    (0, b"\x00asm", "application/wasm"),
    (0, b"OggS\x00", "application/ogg"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"\x1aE\xdf\xa3", "video/webm"),
    (4, b"ftyp", "video/mp4"),
];

/// The detected type of content starting with `head`, declared as `declared` (an empty
/// or generic declaration counts as none).
pub(crate) fn detect_mime(head: &[u8], declared: &str) -> String {
    if let Some(riff) = riff_type(head) {
        return riff.to_owned();
    }
    if let Some((_, _, mime)) = SIGNATURES
        .iter()
        .find(|(at, signature, _)| head.get(*at..*at + signature.len()) == Some(*signature))
    {
        return (*mime).to_owned();
    }
    let declared = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    // A declared type whose files always carry a signature is not believed without it.
    if !declared.is_empty() && declared != DEFAULT_MIME && !has_signature(&declared) {
        return declared;
    }
    if looks_like_text(head) {
        "text/plain".to_owned()
    } else {
        DEFAULT_MIME.to_owned()
    }
}

/// Whether files of type `mime` always start with a signature this module knows.
fn has_signature(mime: &str) -> bool {
    SIGNATURES.iter().any(|(_, _, known)| *known == mime)
        || ["image/webp", "audio/wav", "video/x-msvideo"].contains(&mime)
}

fn riff_type(head: &[u8]) -> Option<&'static str> {
    if head.get(..4) != Some(b"RIFF") {
        return None;
    }
    match head.get(8..12)? {
        b"WEBP" => Some("image/webp"),
        b"WAVE" => Some("audio/wav"),
        b"AVI " => Some("video/x-msvideo"),
        _ => None,
    }
}

/// UTF-8 (a sequence cut at the end of `head` allowed) without control characters
/// other than whitespace.
fn looks_like_text(head: &[u8]) -> bool {
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(error) if error.error_len().is_none() => {
            std::str::from_utf8(&head[..error.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    !head.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\x0c'))
}

/// Whether `detected` is among `allowed`: exact types (case-insensitive), `type/*`,
/// and `*` or `*/*` for every real type. `directory` is matched only by itself: no
/// wildcard or alias (`inode/directory`) covers a folder (reference §3.2).
pub(crate) fn is_allowed(allowed: &[String], detected: &str) -> bool {
    allowed.iter().any(|pattern| {
        let pattern = pattern.trim().to_ascii_lowercase();
        if detected == DIRECTORY || pattern == DIRECTORY {
            return pattern == detected;
        }
        match pattern.as_str() {
            "*" | "*/*" => true,
            _ => match pattern.strip_suffix("/*") {
                Some(kind) => detected
                    .split_once('/')
                    .is_some_and(|(top, _)| top.eq_ignore_ascii_case(kind)),
                None => pattern.eq_ignore_ascii_case(detected),
            },
        }
    })
}

/// Refuses `detected` unless `grant` allows it (a grant without `allow_mime_types`
/// allows any type but `directory`, which must be asked for).
pub(crate) fn check_mime(grant: &UploadGrant, detected: &str) -> Result<(), Response> {
    let allowed = match &grant.allow_mime_types {
        Some(allowed) if !allowed.is_empty() => is_allowed(allowed, detected),
        _ => detected != DIRECTORY,
    };
    if allowed {
        Ok(())
    } else {
        Err(V3Reason::InvalidRequest.error(format!(
            "Presigned URL does not grant permissions to upload detected MIME type: {detected}"
        )))
    }
}

/// The first [`HEAD_LEN`] bytes of the file at `path` (fewer if it is shorter).
pub(crate) fn read_head(path: &Path) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_LEN);
    std::fs::File::open(path)?
        .take(HEAD_LEN as u64)
        .read_to_end(&mut head)?;
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(patterns: &[&str], detected: &str) -> bool {
        let patterns: Vec<String> = patterns.iter().map(|p| (*p).to_owned()).collect();
        is_allowed(&patterns, detected)
    }

    #[test]
    fn signatures_win_over_what_is_declared() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(detect_mime(png, "text/plain"), "image/png");
        assert_eq!(detect_mime(b"\xff\xd8\xff\xe0", ""), "image/jpeg");
        assert_eq!(detect_mime(b"RIFF\0\0\0\0WEBPVP8 ", ""), "image/webp");
        assert_eq!(detect_mime(b"\0\0\0\x18ftypmp42", ""), "video/mp4");
        assert_eq!(detect_mime(b"%PDF-1.7", DEFAULT_MIME), "application/pdf");
    }

    #[test]
    fn without_a_signature_the_declaration_then_the_bytes_decide() {
        assert_eq!(
            detect_mime(b"{\"a\":1}", "Application/JSON; charset=utf-8"),
            "application/json"
        );
        assert_eq!(detect_mime("héllo\n".as_bytes(), ""), "text/plain");
        assert_eq!(detect_mime(b"\x00\x01\x02", DEFAULT_MIME), DEFAULT_MIME);
        // A type that always has a signature is not taken on trust.
        assert_eq!(detect_mime(b"not a png", "image/png"), "text/plain");
        assert_eq!(detect_mime(b"\x00\x01", "image/webp"), DEFAULT_MIME);
        // A multi-byte character cut by the 512-byte window is still text.
        let mut cut = vec![b'a'; HEAD_LEN - 1];
        cut.push("é".as_bytes()[0]);
        assert_eq!(detect_mime(&cut, ""), "text/plain");
        assert_eq!(detect_mime(b"", ""), DEFAULT_MIME);
    }

    #[test]
    fn patterns_and_the_directory_rule() {
        assert!(allowed(&["image/*"], "image/png"));
        assert!(!allowed(&["image/*"], "text/plain"));
        assert!(allowed(&["TEXT/PLAIN"], "text/plain"));
        assert!(allowed(&["*"], "application/pdf"));
        assert!(allowed(&["*/*"], "video/mp4"));
        assert!(!allowed(&["*", "*/*", "inode/directory"], DIRECTORY));
        assert!(!allowed(&["application/x-directory"], DIRECTORY));
        assert!(allowed(&["image/*", "directory"], DIRECTORY));
        assert!(!allowed(&["directory"], "image/png"));
    }

    #[test]
    fn a_grant_without_types_allows_files_but_not_folders() {
        let grant = UploadGrant {
            id: "g".into(),
            date: 0,
            expires: 60,
            network: None,
            filename: None,
            group_id: None,
            keyvalues: Default::default(),
            max_file_size: None,
            allow_mime_types: None,
            streamable: false,
            key: "k".into(),
        };
        assert!(check_mime(&grant, "image/png").is_ok());
        assert!(check_mime(&grant, DIRECTORY).is_err());
        let strict = UploadGrant {
            allow_mime_types: Some(vec!["image/*".into()]),
            ..grant
        };
        assert_eq!(
            check_mime(&strict, "text/plain").unwrap_err().status(),
            axum::http::StatusCode::BAD_REQUEST
        );
    }
}
