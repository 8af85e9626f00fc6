//! Uploads: the name a pin gets when none is given, and MIME types by file extension.

/// The MIME type of content whose type is not known.
pub const DEFAULT_MIME: &str = "application/octet-stream";

/// The MIME type of JSON documents.
pub const JSON_MIME: &str = "application/json";

/// The name of a Pinata `pinJSONToIPFS` document uploaded without a name.
pub const PINATA_JSON_NAME: &str = "pinnie.json";

/// The name of a Submarine JSON document uploaded without a name.
pub const SUBMARINE_JSON_NAME: &str = "content.json";

/// The file name of a W3IPFS NFT's metadata part.
pub const NFT_METADATA_NAME: &str = "metadata.json";

/// The name a pin gets when the upload gives none, from the multipart file names in
/// the order sent: a single file's own name, or the top directory of a directory
/// upload (`site/index.html`, `site/a.css` → `site`). `None` when nothing is sent.
///
/// ```
/// use pinion_rules::upload::default_name;
/// assert_eq!(default_name(["photo.jpg"]).as_deref(), Some("photo.jpg"));
/// assert_eq!(default_name(["site/index.html", "site/css/a.css"]).as_deref(), Some("site"));
/// ```
pub fn default_name<I, S>(part_names: I) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut names = part_names.into_iter();
    let first = names.next()?;
    let first = first.as_ref().trim_matches('/');
    let single = names.next().is_none() && !first.contains('/');
    Some(if single {
        first.to_owned()
    } else {
        first.split('/').next().unwrap_or(first).to_owned()
    })
}

/// The MIME type of a file name, by its extension (case-insensitive); `None` for an
/// unknown extension or none. Use [`mime_or_default`] for a type to send.
///
/// ```
/// use pinion_rules::upload::mime_for;
/// assert_eq!(mime_for("Photo.JPG"), Some("image/jpeg"));
/// assert_eq!(mime_for("README"), None);
/// ```
pub fn mime_for(name: &str) -> Option<&'static str> {
    let (_, extension) = name.rsplit_once('.')?;
    Some(match extension.to_ascii_lowercase().as_str() {
        "txt" | "md" => "text/plain",
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => JSON_MIME,
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        "car" => "application/vnd.ipld.car",
        _ => return None,
    })
}

/// The MIME type of a file name, [`DEFAULT_MIME`] when the extension is unknown.
pub fn mime_or_default(name: &str) -> &'static str {
    mime_for(name).unwrap_or(DEFAULT_MIME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_file_keeps_its_name_and_a_directory_gives_its_top() {
        assert_eq!(default_name(["a.txt"]).as_deref(), Some("a.txt"));
        assert_eq!(default_name(["/a.txt/"]).as_deref(), Some("a.txt"));
        assert_eq!(default_name(["site/a.txt"]).as_deref(), Some("site"));
        assert_eq!(default_name(["a.txt", "b.txt"]).as_deref(), Some("a.txt"));
        assert_eq!(default_name(Vec::<String>::new()), None);
    }

    #[test]
    fn mime_types_follow_the_extension() {
        assert_eq!(mime_for("index.HTML"), Some("text/html"));
        assert_eq!(mime_for("doc.json"), Some(JSON_MIME));
        assert_eq!(mime_for("archive.tar.unknown"), None);
        assert_eq!(mime_for("noextension"), None);
        assert_eq!(mime_or_default("blob.bin"), DEFAULT_MIME);
        assert_eq!(mime_or_default("a.png"), "image/png");
    }
}
