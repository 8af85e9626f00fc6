//! Presigned upload URLs over real HTTP: `POST /files/sign` on the uploads routes,
//! then uploads to the URL without a key (multipart and TUS), with the name, group,
//! key-values and network it was signed for, its expiry, size limit and MIME types.

mod common;

use std::time::Duration;

use common::{http, json};
use pinion_cid::CidVersion;
use pinion_emulator::{Emulator, RunningEmulator};
use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

fn uploads(emulator: &RunningEmulator) -> String {
    emulator.credentials().pinata.uploads_url.clone()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Signs an upload URL at `base` with the admin JWT; returns the URL.
async fn sign(emulator: &RunningEmulator, base: &str, body: Value) -> String {
    let answer = http()
        .post(format!("{base}/files/sign"))
        .bearer_auth(&emulator.credentials().pinata.jwt)
        .json(&body)
        .send()
        .await
        .unwrap();
    json(answer, 200).await["data"].as_str().unwrap().to_owned()
}

/// A multipart upload of `files` (name, bytes, type) to `url`, with the header the SDK
/// sends when it has no JWT and form fields the signed URL overrides.
async fn post_files(url: &str, files: Vec<(&str, Vec<u8>, &str)>) -> Response {
    let mut form = Form::new()
        .text("network", "private")
        .text("name", "ignored")
        .text("keyvalues", r#"{"ignored":"yes"}"#);
    for (name, bytes, mime) in files {
        form = form.part(
            "file",
            Part::bytes(bytes)
                .file_name(name.to_owned())
                .mime_str(mime)
                .unwrap(),
        );
    }
    http()
        .post(url)
        .header("Authorization", "Bearer undefined")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn v3_error(answer: Response, status: u16) -> String {
    let body = json(answer, status).await;
    assert_eq!(body["error"]["code"], status, "{body}");
    body["error"]["message"].as_str().unwrap().to_owned()
}

/// `url` with query parameter `name` set to `value`.
fn with_param(url: &str, name: &str, value: &str) -> String {
    let mut parsed = url::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == name {
                value.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.into()
}

#[tokio::test]
async fn a_signed_url_uploads_without_a_key_with_what_it_was_signed_for() {
    let emulator = Emulator::builder().start().await.unwrap();
    let group = http()
        .post(format!("{}/pinata/groups", emulator.origin()))
        .bearer_auth(&emulator.credentials().pinata.jwt)
        .json(&json!({"name": "signed"}))
        .send()
        .await
        .unwrap();
    let group_id = json(group, 200).await["id"].as_str().unwrap().to_owned();
    let base = uploads(&emulator);
    let url = sign(
        &emulator,
        &base,
        json!({
            "date": now(), "expires": 600, "network": "public", "filename": "signed.txt",
            "group_id": group_id, "keyvalues": {"source": "signed"}
        }),
    )
    .await;
    let parsed = url::Url::parse(&url).unwrap();
    assert!(url.starts_with(&format!("{base}/files/")), "{url}");
    let query: std::collections::BTreeMap<String, String> =
        parsed.query_pairs().into_owned().collect();
    assert_eq!(query["X-Algorithm"], "PINATA2");
    assert_eq!(query["X-Expires"], "600");
    assert_eq!(query["X-Method"], r#"["HEAD","PATCH","POST"]"#);
    assert_eq!(query["X-Signature"].len(), 64);

    let answer = post_files(&url, vec![("mine.txt", b"hello".to_vec(), "text/plain")]).await;
    let body = json(answer, 200).await;
    let data = &body["data"];
    assert_eq!(
        data["cid"],
        pinion_cid::hash_bytes(b"hello", CidVersion::V1)
            .cid
            .to_string()
    );
    assert_eq!(data["name"], "signed.txt");
    assert_eq!(data["network"], "public");
    assert_eq!(data["group_id"], group_id.as_str());
    assert_eq!(data["keyvalues"], json!({"source": "signed"}));

    // Reusable until it expires.
    let again = post_files(&url, vec![("other.txt", b"again".to_vec(), "text/plain")]).await;
    json(again, 200).await;
}

#[tokio::test]
async fn expired_and_tampered_urls_are_refused() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = sign(
        &emulator,
        &uploads(&emulator),
        json!({"date": now(), "expires": 60}),
    )
    .await;
    let file = || vec![("a.txt", b"a".to_vec(), "text/plain")];

    v3_error(
        post_files(&with_param(&url, "X-Expires", "6000"), file()).await,
        401,
    )
    .await;
    let signature = url::Url::parse(&url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "X-Signature")
        .unwrap()
        .1
        .into_owned();
    let flipped: String = signature
        .chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect();
    v3_error(
        post_files(&with_param(&url, "X-Signature", &flipped), file()).await,
        401,
    )
    .await;
    let unsigned = url.split('?').next().unwrap().to_owned();
    v3_error(post_files(&unsigned, file()).await, 401).await;

    emulator.advance_clock(Duration::from_secs(120)).unwrap();
    let message = v3_error(post_files(&url, file()).await, 403).await;
    assert!(message.contains("expired"), "{message}");
}

#[tokio::test]
async fn size_and_mime_limits_apply() {
    let emulator = Emulator::builder().start().await.unwrap();
    let base = uploads(&emulator);
    let small = sign(
        &emulator,
        &base,
        json!({"date": now(), "expires": 600, "max_file_size": 10}),
    )
    .await;
    json(
        post_files(
            &small,
            vec![("ten.bin", vec![1; 10], "application/octet-stream")],
        )
        .await,
        200,
    )
    .await;
    v3_error(
        post_files(
            &small,
            vec![("big.bin", vec![1; 11], "application/octet-stream")],
        )
        .await,
        413,
    )
    .await;

    let images = sign(
        &emulator,
        &base,
        json!({"date": now(), "expires": 600, "allow_mime_types": ["image/*"]}),
    )
    .await;
    let message = v3_error(
        post_files(
            &images,
            vec![("notes.txt", b"just text".to_vec(), "text/plain")],
        )
        .await,
        400,
    )
    .await;
    assert_eq!(
        message,
        "Presigned URL does not grant permissions to upload detected MIME type: text/plain"
    );
    // Detected from the bytes, whatever the name or declared type says.
    let body = json(
        post_files(&images, vec![("pixel.txt", PNG.to_vec(), "text/plain")]).await,
        200,
    )
    .await;
    assert_eq!(body["data"]["mime_type"], "image/png");
    let message = v3_error(
        post_files(
            &images,
            vec![("fake.png", b"not a png".to_vec(), "image/png")],
        )
        .await,
        400,
    )
    .await;
    assert!(message.ends_with("text/plain"), "{message}");
}

#[tokio::test]
async fn folders_need_the_directory_type() {
    let emulator = Emulator::builder().start().await.unwrap();
    let base = uploads(&emulator);
    let folder = || {
        vec![
            ("site/a.png", PNG.to_vec(), "image/png"),
            (
                "site/b.png",
                PNG.iter().rev().copied().collect(),
                "image/png",
            ),
        ]
    };
    for allowed in [Some(json!(["image/*", "*", "*/*"])), None] {
        let mut body = json!({"date": now(), "expires": 600, "network": "public"});
        if let Some(allowed) = allowed {
            body["allow_mime_types"] = allowed;
        }
        let url = sign(&emulator, &base, body).await;
        let message = v3_error(post_files(&url, folder()).await, 400).await;
        assert_eq!(
            message,
            "Presigned URL does not grant permissions to upload detected MIME type: directory"
        );
    }
    let url = sign(
        &emulator,
        &base,
        json!({"date": now(), "expires": 600, "network": "public", "allow_mime_types": ["directory"]}),
    )
    .await;
    let body = json(post_files(&url, folder()).await, 200).await;
    assert_eq!(body["data"]["number_of_files"], 2);
    assert_eq!(body["data"]["name"], "site");
}

#[tokio::test]
async fn tus_through_a_signed_url_needs_no_key() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = sign(
        &emulator,
        &uploads(&emulator),
        json!({"date": now(), "expires": 600, "network": "public", "filename": "react.bin",
               "max_file_size": 1000}),
    )
    .await;
    let create = |length: &str| {
        http()
            .post(&url)
            .header("Upload-Length", length.to_owned())
            .send()
    };
    v3_error(create("1001").await.unwrap(), 413).await;
    let answer = create("6").await.unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
    let location = answer.headers()["location"].to_str().unwrap().to_owned();

    // As pinata/react: no Authorization at all on the Location.
    let patch = http()
        .patch(&location)
        .header("Content-Type", "application/offset+octet-stream")
        .header("Upload-Offset", "0")
        .body(b"react!".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(patch.status(), StatusCode::NO_CONTENT);
    let cid = patch.headers()["upload-cid"].to_str().unwrap().to_owned();
    assert_eq!(
        cid,
        pinion_cid::hash_bytes(b"react!", CidVersion::V1)
            .cid
            .to_string()
    );
    let listed = http()
        .get(format!(
            "{}/files/public?cid={cid}",
            emulator.credentials().pinata.v3_base_url
        ))
        .bearer_auth(&emulator.credentials().pinata.jwt)
        .send()
        .await
        .unwrap();
    let listed = json(listed, 200).await;
    assert_eq!(listed["data"]["files"][0]["name"], "react.bin");
}

#[tokio::test]
async fn signing_needs_a_key_and_a_valid_body() {
    let emulator = Emulator::builder().start().await.unwrap();
    let base = uploads(&emulator);
    let answer = http()
        .post(format!("{base}/files/sign"))
        .json(&json!({"date": now(), "expires": 60}))
        .send()
        .await
        .unwrap();
    v3_error(answer, 401).await;
    for body in [
        json!({"expires": 60}),
        json!({"date": now(), "expires": -1}),
        json!({"date": now(), "expires": 60, "network": "both"}),
        json!({"date": now(), "expires": 60, "max_file_size": -5}),
        json!({"date": now(), "expires": 60, "group_id": "no-such-group"}),
    ] {
        let answer = http()
            .post(format!("{base}/files/sign"))
            .bearer_auth(&emulator.credentials().pinata.jwt)
            .json(&body)
            .send()
            .await
            .unwrap();
        v3_error(answer, 400).await;
    }
}

/// The SDK's one-base setup (`uploadUrl = endpointUrl = …/pinata/v3`): a sign request
/// without `url` is an upload URL there, and that URL works under the same base.
#[tokio::test]
async fn one_base_signs_upload_urls_under_that_base() {
    let emulator = Emulator::builder().start().await.unwrap();
    let base = emulator.credentials().pinata.v3_base_url.clone();
    let url = sign(&emulator, &base, json!({"date": now(), "expires": 600})).await;
    assert!(url.starts_with(&format!("{base}/files/")), "{url}");
    json(
        post_files(&url, vec![("a.txt", b"one base".to_vec(), "text/plain")]).await,
        200,
    )
    .await;
}

/// Through TUS the bytes arrive after the creation: a generic declared type is let
/// through, and the type detected from the complete bytes is checked (and recorded).
#[tokio::test]
async fn tus_through_a_signed_url_checks_the_detected_type_at_the_end() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = sign(
        &emulator,
        &uploads(&emulator),
        json!({"date": now(), "expires": 600, "network": "public",
               "allow_mime_types": ["image/*"]}),
    )
    .await;
    let upload = |bytes: Vec<u8>, filename: &'static str| {
        let url = url.clone();
        async move {
            use base64::Engine;
            let name = base64::engine::general_purpose::STANDARD.encode(filename);
            let created = http()
                .post(&url)
                .header("Upload-Length", bytes.len().to_string())
                .header("Upload-Metadata", format!("filename {name},filetype "))
                .send()
                .await
                .unwrap();
            if created.status() != StatusCode::CREATED {
                return (created, None);
            }
            let location = created.headers()["location"].to_str().unwrap().to_owned();
            let patch = http()
                .patch(&location)
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", "0")
                .body(bytes)
                .send()
                .await
                .unwrap();
            (patch, Some(location))
        }
    };

    // A declared text file is refused at once.
    let (refused, _) = upload(b"text".to_vec(), "notes.txt").await;
    let message = v3_error(refused, 400).await;
    assert!(
        message.ends_with("detected MIME type: text/plain"),
        "{message}"
    );

    // No type declared: the bytes decide at the end.
    let (answer, _) = upload(PNG.to_vec(), "blob").await;
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    let cid = answer.headers()["upload-cid"].to_str().unwrap().to_owned();
    let listed = http()
        .get(format!(
            "{}/files/public?cid={cid}",
            emulator.credentials().pinata.v3_base_url
        ))
        .bearer_auth(&emulator.credentials().pinata.jwt)
        .send()
        .await
        .unwrap();
    assert_eq!(
        json(listed, 200).await["data"]["files"][0]["mime_type"],
        "image/png"
    );

    let (answer, location) = upload(b"plain words".to_vec(), "blob").await;
    let message = v3_error(answer, 400).await;
    assert!(
        message.ends_with("detected MIME type: text/plain"),
        "{message}"
    );
    // The refused upload is over.
    let head = http().head(location.unwrap()).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::NOT_FOUND);
}

/// Upload URLs follow the download links' date rule: an `X-Date` a little ahead of the
/// emulator's clock (within the 60 s skew) is taken, one further ahead is refused (403).
#[tokio::test]
async fn an_upload_url_dated_ahead_of_the_clock_is_taken_only_within_the_skew() {
    let emulator = Emulator::builder().start().await.unwrap();
    let base = uploads(&emulator);
    for (ahead, status) in [(30, 200), (600, 403)] {
        let body = json!({"date": now() + ahead, "expires": 600});
        let url = sign(&emulator, &base, body).await;
        let file = vec![(
            "a.txt",
            format!("{ahead} s ahead").into_bytes(),
            "text/plain",
        )];
        let answer = post_files(&url, file).await;
        assert_eq!(answer.status().as_u16(), status, "dated {ahead} s ahead");
    }
}
