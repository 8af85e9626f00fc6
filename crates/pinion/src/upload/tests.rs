//! The upload internals: layout, multipart body, read-ahead, hashing on the way.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};

use super::body::BodyRun;
use super::read_ahead::{READ_AHEAD_FILES, SMALL_FILE};
use super::*;
use crate::Error;
use crate::cid::{CHUNK_SIZE, CidVersion, DirectoryBuilder};
use crate::executor::Activity;

async fn body_of(multipart: &Multipart, versions: &[CidVersion]) -> (Vec<u8>, BodyRun) {
    let (stream, run) = multipart
        .body(versions, Activity::new(), &UploadOptions::default(), 0)
        .unwrap();
    let chunks: Vec<Bytes> = stream.try_collect().await.unwrap();
    (chunks.concat(), run)
}

#[tokio::test]
async fn a_directory_is_sent_with_relative_paths_and_hashed_on_the_way() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("css")).unwrap();
    std::fs::write(site.join("index.html"), b"<h1>hi</h1>").unwrap();
    std::fs::write(site.join("css/a.css"), b"a{}").unwrap();
    std::fs::write(site.join(".env"), b"SECRET=1").unwrap();

    let options = UploadOptions::default();
    let prepared = prepare(UploadSource::Directory(site.clone()), &options)
        .await
        .unwrap();
    assert_eq!(prepared.name, "site");
    let names: Vec<&str> = prepared
        .files
        .iter()
        .map(|f| f.part_name.as_str())
        .collect();
    assert_eq!(names, ["site/css/a.css", "site/index.html"]);

    let mut multipart = Multipart::new(prepared, "file");
    multipart.field("pinataOptions", r#"{"cidVersion":1}"#);
    let declared = multipart.len().unwrap();
    let (body, run) = body_of(&multipart, &[CidVersion::V1]).await;
    assert_eq!(body.len() as u64, declared);
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains(r#"name="file"; filename="site/index.html""#));
    assert!(!text.contains("SECRET"));
    assert!(text.find("pinataOptions").unwrap() < text.find("filename=").unwrap());
    assert!(text.ends_with(&format!("--{}--\r\n", multipart.boundary)));

    let streamed = run.expected(multipart.prepared()).unwrap();
    let mut builder = DirectoryBuilder::new(CidVersion::V1);
    builder
        .add_file(
            "index.html",
            crate::cid::hash_bytes(b"<h1>hi</h1>", CidVersion::V1),
        )
        .unwrap()
        .add_file("css/a.css", crate::cid::hash_bytes(b"a{}", CidVersion::V1))
        .unwrap();
    assert_eq!(streamed.v1, Some(builder.finish().cid));
    // The separate pass used by skip_if_pinned agrees.
    let pre = multipart
        .prepared()
        .local_cids(&[CidVersion::V1])
        .await
        .unwrap();
    assert_eq!(pre, streamed);

    let hidden = prepare(
        UploadSource::Directory(site),
        &UploadOptions::default().include_hidden(true),
    )
    .await
    .unwrap();
    assert_eq!(hidden.files.len(), 3);
}

#[tokio::test]
async fn a_reader_is_sent_once_with_progress() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let options =
        UploadOptions::default().on_progress(move |p| record.lock().unwrap().push(p.sent));
    let data = vec![7u8; CHUNK_SIZE * 2 + 10];
    let prepared = prepare(
        UploadSource::reader("data.bin", std::io::Cursor::new(data.clone())),
        &options,
    )
    .await
    .unwrap();
    assert!(!prepared.resendable());
    let multipart = Multipart::new(prepared, "file");
    assert_eq!(multipart.len(), None);
    let (stream, run) = multipart
        .body(
            &[CidVersion::V0, CidVersion::V1],
            Activity::new(),
            &options,
            0,
        )
        .unwrap();
    let body: Vec<Bytes> = stream.try_collect().await.unwrap();
    let body = body.concat();
    let expected = run.expected(multipart.prepared()).unwrap();
    assert_eq!(
        expected.v0,
        Some(crate::cid::hash_bytes(&data, CidVersion::V0).cid)
    );
    assert_eq!(
        expected.v1,
        Some(crate::cid::hash_bytes(&data, CidVersion::V1).cid)
    );
    let seen = seen.lock().unwrap();
    assert_eq!(*seen.last().unwrap(), body.len() as u64);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    let again = multipart.body(&[], Activity::new(), &options, 1);
    assert!(again.err().unwrap().to_string().contains("only once"));
}

#[tokio::test]
async fn bad_sources_are_refused_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    let options = UploadOptions::default();
    let error = prepare(UploadSource::Directory(dir.path().to_owned()), &options)
        .await
        .err()
        .unwrap();
    assert!(
        error.to_string().contains("has no files to upload"),
        "{error}"
    );
    let error = prepare(UploadSource::File(dir.path().to_owned()), &options)
        .await
        .err()
        .unwrap();
    assert!(
        error.to_string().contains("is not a regular file"),
        "{error}"
    );
    let error = prepare(UploadSource::File(dir.path().join("missing")), &options)
        .await
        .err()
        .unwrap();
    assert!(matches!(error, Error::Io { .. }));
    let error = prepare(UploadSource::reader("a\"b", tokio::io::empty()), &options)
        .await
        .err()
        .unwrap();
    assert!(error.to_string().contains("quote"), "{error}");
    let error = UploadOptions::default()
        .keyvalue("nested", serde_json::json!({"a": 1}))
        .checked_keyvalues(None)
        .unwrap_err();
    assert!(error.to_string().contains("keyvalue `nested`"));
    let many = (0..11).fold(UploadOptions::default(), |o, i| {
        o.keyvalue(format!("k{i}"), i)
    });
    assert!(
        many.checked_keyvalues(Some(10))
            .unwrap_err()
            .to_string()
            .contains("at most 10")
    );
}

#[tokio::test]
async fn many_small_files_are_read_ahead_in_batches_and_sent_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("many");
    std::fs::create_dir_all(&root).unwrap();
    // More files than one batch holds, and a large file in the middle that ends one.
    for i in 0..(READ_AHEAD_FILES + 50) {
        std::fs::write(root.join(format!("{i:04}.json")), format!("{{\"n\":{i}}}")).unwrap();
    }
    std::fs::write(root.join("0100.big"), vec![9u8; SMALL_FILE as usize + 1]).unwrap();
    let prepared = prepare(UploadSource::Directory(root), &UploadOptions::default())
        .await
        .unwrap();
    let multipart = Multipart::new(prepared, "file");
    let declared = multipart.len().unwrap();
    let (body, run) = body_of(&multipart, &[CidVersion::V1]).await;
    assert_eq!(body.len() as u64, declared);
    let text = String::from_utf8_lossy(&body);
    let at = |needle: &str| text.find(needle).unwrap();
    assert!(at(r#"{"n":99}"#) < at("0100.big") && at("0100.big") < at(r#"{"n":100}"#));
    let streamed = run.expected(multipart.prepared()).unwrap();
    let separate = multipart
        .prepared()
        .local_cids(&[CidVersion::V1])
        .await
        .unwrap();
    assert_eq!(streamed, separate);
}

#[tokio::test]
async fn a_small_file_removed_before_it_is_sent_fails_the_upload_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    for name in ["a.txt", "b.txt", "c.txt"] {
        std::fs::write(root.join(name), name).unwrap();
    }
    let prepared = prepare(
        UploadSource::Directory(root.clone()),
        &UploadOptions::default(),
    )
    .await
    .unwrap();
    std::fs::remove_file(root.join("b.txt")).unwrap();
    let multipart = Multipart::new(prepared, "file");
    let activity = Activity::new();
    let (stream, _) = multipart
        .body(&[], activity.clone(), &UploadOptions::default(), 0)
        .unwrap();
    let result: Result<Vec<Bytes>, _> = stream.try_collect().await;
    assert!(result.is_err());
    let error = activity.take_error().expect("the source's error is kept");
    assert!(
        matches!(&error, Error::Io { path: Some(path), .. } if path.ends_with("b.txt")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_file_that_grows_while_sent_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.bin");
    std::fs::write(&path, b"abc").unwrap();
    let prepared = prepare(UploadSource::File(path.clone()), &UploadOptions::default())
        .await
        .unwrap();
    std::fs::write(&path, b"abcdef").unwrap();
    let multipart = Multipart::new(prepared, "file");
    let activity = Activity::new();
    let (stream, _) = multipart
        .body(&[], activity, &UploadOptions::default(), 0)
        .unwrap();
    let result: Result<Vec<Bytes>, _> = stream.try_collect().await;
    assert!(result.is_err());
}

#[cfg(unix)]
#[tokio::test]
async fn a_file_swapped_for_a_link_before_it_is_sent_is_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(dir.path().join("secret"), b"SECRET").unwrap();
    std::fs::write(root.join("small.txt"), b"SECRET").unwrap();
    std::fs::write(root.join("large.bin"), vec![1u8; SMALL_FILE as usize + 1]).unwrap();
    for name in ["small.txt", "large.bin"] {
        let prepared = prepare(
            UploadSource::Directory(root.clone()),
            &UploadOptions::default(),
        )
        .await
        .unwrap();
        let path = root.join(name);
        let saved = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), &path).unwrap();
        let multipart = Multipart::new(prepared, "file");
        let activity = Activity::new();
        let (stream, _) = multipart
            .body(&[], activity.clone(), &UploadOptions::default(), 0)
            .unwrap();
        // What an HTTP client sends: everything up to the first error.
        let sent: Vec<Result<Bytes, _>> = stream.collect().await;
        assert!(sent.iter().any(Result::is_err), "{name}");
        let body: Vec<u8> = sent.into_iter().map_while(Result::ok).flatten().collect();
        assert!(
            !String::from_utf8_lossy(&body).contains("SECRET\r\n"),
            "{name}"
        );
        let error = activity.take_error().expect("the source's error is kept");
        assert!(
            error.to_string().contains("symbolic link"),
            "{name}: {error}"
        );
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, saved).unwrap();
    }
}
