//! TUS 1.0.0 resumable uploads on Pinata v3's uploads routes, over real HTTP:
//! discovery, creation (absolute `Location` under the prefix the client used), `HEAD`,
//! `PATCH` offsets and refusals (409, 415, 413, 404), the final `Upload-CID` with the
//! record visible at once, bytes kept when a connection drops, and an upload that
//! survives an emulator restart with `--state-dir`.

mod common;

use std::process::Command;

use base64::Engine;
use bytes::Bytes;
use common::{http, json};
use pinion_cid::CidVersion;
use pinion_emulator::{Emulator, RunningEmulator};
use pinion_testkit::process::EmulatorProcess;
use reqwest::header::HeaderMap;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

/// A TUS client of one base URL (`…/pinata-uploads/v3`), with a JWT or none.
struct Tus {
    base: String,
    jwt: Option<String>,
    http: reqwest::Client,
}

impl Tus {
    fn uploads(emulator: &RunningEmulator) -> Self {
        let pinata = &emulator.credentials().pinata;
        Tus::at(pinata.uploads_url.clone(), Some(pinata.jwt.clone()))
    }

    fn at(base: String, jwt: Option<String>) -> Self {
        Tus {
            base,
            jwt,
            http: http(),
        }
    }

    fn request(&self, method: Method, url: &str) -> reqwest::RequestBuilder {
        let request = self.http.request(method, url);
        match &self.jwt {
            Some(jwt) => request.bearer_auth(jwt),
            None => request,
        }
    }

    /// A creation request, without `Tus-Resumable` (as the SDK sends it).
    async fn create_raw(&self, length: &str, metadata: &[(&str, &str)]) -> Response {
        self.request(Method::POST, &format!("{}/files", self.base))
            .header("Upload-Length", length)
            .header("Upload-Metadata", metadata_header(metadata))
            .send()
            .await
            .unwrap()
    }

    /// Creates an upload of `length` bytes; returns its `Location`.
    async fn create(&self, length: u64, metadata: &[(&str, &str)]) -> String {
        let answer = self.create_raw(&length.to_string(), metadata).await;
        assert_eq!(answer.status(), StatusCode::CREATED);
        assert_eq!(header(answer.headers(), "tus-resumable"), "1.0.0");
        header(answer.headers(), "location")
    }

    async fn head(&self, location: &str) -> Response {
        self.request(Method::HEAD, location).send().await.unwrap()
    }

    async fn offset(&self, location: &str) -> u64 {
        let answer = self.head(location).await;
        assert_eq!(answer.status(), StatusCode::OK);
        header(answer.headers(), "upload-offset").parse().unwrap()
    }

    async fn patch(&self, location: &str, offset: u64, chunk: Vec<u8>) -> Response {
        self.request(Method::PATCH, location)
            .header("Content-Type", "application/offset+octet-stream")
            .header("Upload-Offset", offset.to_string())
            .body(chunk)
            .send()
            .await
            .unwrap()
    }

    /// Sends `data[from..]` in `chunk`-byte PATCHes; returns the final `Upload-CID`.
    async fn send_from(&self, location: &str, data: &[u8], from: usize, chunk: usize) -> String {
        let mut offset = from;
        let mut cid = None;
        while offset < data.len() {
            let end = (offset + chunk).min(data.len());
            let answer = self
                .patch(location, offset as u64, data[offset..end].to_vec())
                .await;
            assert_eq!(answer.status(), StatusCode::NO_CONTENT, "PATCH at {offset}");
            assert_eq!(header(answer.headers(), "upload-offset"), end.to_string());
            assert_eq!(header(answer.headers(), "tus-resumable"), "1.0.0");
            let final_cid = answer.headers().get("upload-cid");
            assert_eq!(
                final_cid.is_some(),
                end == data.len(),
                "Upload-CID at the end only"
            );
            cid = final_cid.map(|cid| cid.to_str().unwrap().to_owned());
            offset = end;
        }
        cid.expect("a final chunk")
    }
}

fn metadata_header(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| {
            format!(
                "{key} {}",
                base64::engine::general_purpose::STANDARD.encode(value)
            )
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
        .to_owned()
}

fn cid_v1(data: &[u8]) -> String {
    pinion_cid::hash_bytes(data, CidVersion::V1).cid.to_string()
}

/// `{"error":{"code","message"}}` with `code` = the status.
async fn v3_error(answer: Response, status: u16) -> String {
    let body = json(answer, status).await;
    assert_eq!(body["error"]["code"], status, "{body}");
    body["error"]["message"].as_str().unwrap().to_owned()
}

/// The file id and token of a `Location` `…/files/{id}/{token}`.
fn location_parts(location: &str) -> (String, String) {
    let rest = location.split("/files/").nth(1).unwrap();
    let (id, token) = rest.split_once('/').unwrap();
    (id.to_owned(), token.to_owned())
}

async fn files_with_cid(emulator: &RunningEmulator, network: &str, cid: &str) -> Vec<Value> {
    let answer = http()
        .get(format!(
            "{}/files/{network}?cid={cid}",
            emulator.credentials().pinata.v3_base_url
        ))
        .bearer_auth(&emulator.credentials().pinata.jwt)
        .send()
        .await
        .unwrap();
    let body = json(answer, 200).await;
    body["data"]["files"].as_array().unwrap().clone()
}

#[tokio::test]
async fn options_advertises_tus_without_credentials() {
    let emulator = Emulator::builder().start().await.unwrap();
    let answer = http()
        .request(
            Method::OPTIONS,
            format!("{}/files", emulator.credentials().pinata.uploads_url),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    let headers = answer.headers();
    assert_eq!(header(headers, "tus-resumable"), "1.0.0");
    assert_eq!(header(headers, "tus-version"), "1.0.0");
    assert_eq!(header(headers, "tus-extension"), "creation");
    assert_eq!(header(headers, "tus-max-size"), "25000000000");
}

#[tokio::test]
async fn location_is_absolute_under_the_base_the_client_used() {
    let emulator = Emulator::builder().start().await.unwrap();
    let jwt = emulator.credentials().pinata.jwt.clone();
    let origin = emulator.origin();
    let pinata = &emulator.credentials().pinata;
    for base in [pinata.uploads_url.clone(), pinata.v3_base_url.clone()] {
        let tus = Tus::at(base.clone(), Some(jwt.clone()));
        let location = tus.create(5, &[("filename", "a.txt")]).await;
        assert!(
            location.starts_with(&format!("{base}/files/")),
            "{location} under {base}"
        );
        // The location works where it points.
        assert_eq!(tus.offset(&location).await, 0);
        let cid = tus.send_from(&location, b"hello", 0, 5).await;
        assert_eq!(cid, cid_v1(b"hello"));
    }
    // Routed by the real host's name, the location is the real host's.
    let answer = http()
        .post(format!("{origin}/v3/files"))
        .header("Host", "uploads.pinata.cloud")
        .bearer_auth(&jwt)
        .header("Upload-Length", "3")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
    let location = header(answer.headers(), "location");
    assert!(
        location.starts_with("http://uploads.pinata.cloud/v3/files/"),
        "{location}"
    );
}

#[tokio::test]
async fn chunks_move_the_offset_and_the_last_one_records_the_file() {
    let emulator = Emulator::builder().start().await.unwrap();
    let tus = Tus::uploads(&emulator);
    let data = common::pattern(300_000, 7);
    let location = tus
        .create(
            data.len() as u64,
            &[
                ("filename", "résumé.bin"),
                ("filetype", ""),
                ("network", "public"),
                ("keyvalues", r#"{"env":"test"}"#),
            ],
        )
        .await;
    let (file_id, _) = location_parts(&location);

    let head = tus.head(&location).await;
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(header(head.headers(), "upload-offset"), "0");
    assert_eq!(header(head.headers(), "upload-length"), "300000");
    assert_eq!(header(head.headers(), "cache-control"), "no-store");
    assert_eq!(header(head.headers(), "tus-resumable"), "1.0.0");

    let first = tus.patch(&location, 0, data[..100_000].to_vec()).await;
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(first.headers(), "upload-offset"), "100000");
    assert_eq!(tus.offset(&location).await, 100_000);

    let cid = tus.send_from(&location, &data, 100_000, 120_000).await;
    assert_eq!(cid, cid_v1(&data));

    // The record exists as soon as the last PATCH is answered, with the file id of
    // the Location and the metadata's fields.
    let files = files_with_cid(&emulator, "public", &cid).await;
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0]["id"], file_id);
    assert_eq!(files[0]["name"], "résumé.bin");
    assert_eq!(files[0]["keyvalues"]["env"], "test");
    assert_eq!(files[0]["mime_type"], "application/octet-stream");

    // Complete: HEAD shows the whole length and the CID; no more PATCH.
    let head = tus.head(&location).await;
    assert_eq!(header(head.headers(), "upload-offset"), "300000");
    assert_eq!(header(head.headers(), "upload-cid"), cid);
    let again = tus.patch(&location, 300_000, Vec::new()).await;
    v3_error(again, 404).await;
}

#[tokio::test]
async fn cid_version_comes_from_the_metadata_or_the_query() {
    let emulator = Emulator::builder().start().await.unwrap();
    let tus = Tus::uploads(&emulator);
    let location = tus.create(4, &[("cid_version", "v0")]).await;
    let cid = tus.send_from(&location, b"v0v0", 0, 4).await;
    assert_eq!(
        cid,
        pinion_cid::hash_bytes(b"v0v0", CidVersion::V0)
            .cid
            .to_string()
    );
    let answer = tus
        .request(
            Method::POST,
            &format!("{}/files?X-Upload-Option-Cid-Version=v0", tus.base),
        )
        .header("Upload-Length", "2")
        .send()
        .await
        .unwrap();
    let location = header(answer.headers(), "location");
    assert!(
        tus.send_from(&location, b"q0", 0, 2)
            .await
            .starts_with("Qm")
    );
}

#[tokio::test]
async fn wrong_offsets_types_and_overflows_are_refused_and_keep_nothing() {
    let emulator = Emulator::builder().start().await.unwrap();
    let tus = Tus::uploads(&emulator);
    let location = tus.create(10, &[]).await;
    assert_eq!(
        tus.patch(&location, 0, b"abcd".to_vec()).await.status(),
        StatusCode::NO_CONTENT
    );

    // 409: an offset other than the server's.
    let message = v3_error(tus.patch(&location, 0, b"abcd".to_vec()).await, 409).await;
    assert!(message.contains("offset, 4"), "{message}");

    // 415: another content type.
    let answer = tus
        .request(Method::PATCH, &location)
        .header("Content-Type", "application/octet-stream")
        .header("Upload-Offset", "4")
        .body(b"efgh".to_vec())
        .send()
        .await
        .unwrap();
    v3_error(answer, 415).await;

    // 400: no Upload-Offset.
    let answer = tus
        .request(Method::PATCH, &location)
        .header("Content-Type", "application/offset+octet-stream")
        .body(b"efgh".to_vec())
        .send()
        .await
        .unwrap();
    v3_error(answer, 400).await;

    // 413: more than Upload-Length, whether declared or streamed.
    v3_error(tus.patch(&location, 4, b"0123456789".to_vec()).await, 413).await;
    let stream = futures::stream::iter(vec![
        Ok::<_, std::io::Error>(Bytes::from_static(b"efg")),
        Ok(Bytes::from_static(b"hijklmn")),
    ]);
    let answer = tus
        .request(Method::PATCH, &location)
        .header("Content-Type", "application/offset+octet-stream")
        .header("Upload-Offset", "4")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    v3_error(answer, 413).await;
    assert_eq!(tus.offset(&location).await, 4, "nothing of a refused chunk");

    let cid = tus.send_from(&location, b"abcdefghij", 4, 6).await;
    assert_eq!(cid, cid_v1(b"abcdefghij"));
}

#[tokio::test]
async fn bad_creations_are_refused() {
    let emulator = Emulator::builder().start().await.unwrap();
    let tus = Tus::uploads(&emulator);
    v3_error(tus.create_raw("-1", &[]).await, 400).await;
    v3_error(tus.create_raw("lots", &[]).await, 400).await;
    v3_error(tus.create_raw("25000000001", &[]).await, 413).await;
    v3_error(tus.create_raw("5", &[("network", "both")]).await, 400).await;
    v3_error(tus.create_raw("5", &[("keyvalues", "[1]")]).await, 400).await;
    v3_error(
        tus.create_raw("5", &[("group_id", "no-such-group")]).await,
        400,
    )
    .await;
    v3_error(tus.create_raw("5", &[("expires_at", "1")]).await, 400).await;
    let answer = tus
        .request(Method::POST, &format!("{}/files", tus.base))
        .header("Upload-Length", "5")
        .header("Upload-Metadata", "filename !!!")
        .send()
        .await
        .unwrap();
    v3_error(answer, 400).await;
}

#[tokio::test]
async fn an_upload_needs_its_token_and_its_key() {
    let emulator = Emulator::builder().start().await.unwrap();
    let tus = Tus::uploads(&emulator);
    let location = tus.create(3, &[]).await;
    let (id, token) = location_parts(&location);

    // Unknown uploads and wrong tokens look alike.
    let forged = location.replace(&token, &"0".repeat(64));
    v3_error(tus.patch(&forged, 0, b"abc".to_vec()).await, 404).await;
    assert_eq!(tus.head(&forged).await.status(), StatusCode::NOT_FOUND);
    let unknown = location.replace(&id, "01900000-0000-7000-8000-000000000000");
    v3_error(tus.patch(&unknown, 0, b"abc".to_vec()).await, 404).await;

    // The creating key's JWT is required…
    let anonymous = Tus::at(tus.base.clone(), None);
    v3_error(anonymous.patch(&location, 0, b"abc".to_vec()).await, 401).await;
    assert_eq!(
        anonymous.head(&location).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // …and another key of the account will not do.
    let created = http()
        .post(format!("{}/pinata/users/generateApiKey", emulator.origin()))
        .bearer_auth(&emulator.credentials().pinata.jwt)
        .json(&json!({"keyName": "other", "permissions": {"admin": true}}))
        .send()
        .await
        .unwrap();
    let other_jwt = json(created, 200).await["JWT"].as_str().unwrap().to_owned();
    let other = Tus::at(tus.base.clone(), Some(other_jwt));
    v3_error(other.patch(&location, 0, b"abc".to_vec()).await, 403).await;

    assert_eq!(tus.offset(&location).await, 0);
    tus.send_from(&location, b"abc", 0, 3).await;
}

#[tokio::test]
async fn chunks_above_fifty_mebibytes_are_accepted() {
    let emulator = Emulator::builder().start().await.unwrap();
    let tus = Tus::uploads(&emulator);
    // The SDK's chunk: 50 MiB + 1 byte.
    let chunk = 52_428_801usize;
    let data = common::pattern(chunk + 10, 3);
    let location = tus.create(data.len() as u64, &[]).await;
    let cid = tus.send_from(&location, &data, 0, chunk).await;
    assert_eq!(cid, cid_v1(&data));
}

#[tokio::test]
async fn bytes_received_before_a_connection_drops_are_kept() {
    let emulator = Emulator::builder().start().await.unwrap();
    let tus = Tus::uploads(&emulator);
    let data = common::pattern(2_000_000, 5);
    let location = tus.create(data.len() as u64, &[]).await;

    // Half the body, then the connection goes away (a raw socket, so exactly these
    // bytes are sent).
    let url = reqwest::Url::parse(&location).unwrap();
    let mut socket = tokio::net::TcpStream::connect((url.host_str().unwrap(), url.port().unwrap()))
        .await
        .unwrap();
    let head = format!(
        "PATCH {} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n\
         Content-Length: {}\r\n\r\n",
        url.path(),
        url.authority(),
        emulator.credentials().pinata.jwt,
        data.len()
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    socket.write_all(&data[..1_000_000]).await.unwrap();
    socket.flush().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    drop(socket);

    // The server keeps what it got (once it noticed), and the upload resumes there.
    let mut offset = 0;
    for _ in 0..100 {
        offset = tus.offset(&location).await;
        if offset > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(offset, 1_000_000, "every byte that arrived is kept");
    let cid = tus
        .send_from(&location, &data, offset as usize, 700_000)
        .await;
    assert_eq!(cid, cid_v1(&data));
}

#[tokio::test]
async fn an_empty_upload_is_complete_at_creation() {
    let emulator = Emulator::builder().start().await.unwrap();
    let tus = Tus::uploads(&emulator);
    let answer = tus
        .create_raw("0", &[("filename", "empty"), ("network", "public")])
        .await;
    assert_eq!(answer.status(), StatusCode::CREATED);
    assert_eq!(header(answer.headers(), "upload-cid"), cid_v1(b""));
}

/// The emulator binary with a state directory: half an upload, SIGTERM, a new process
/// on the same directory, `HEAD` shows the offset, the rest completes it.
#[tokio::test]
async fn an_upload_survives_a_restart_of_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let credentials = dir.path().join("credentials.json");
    let start = || {
        let _ = std::fs::remove_file(&credentials);
        let mut command = Command::new(env!("CARGO_BIN_EXE_pinion-emulator"));
        command
            .arg("--state-dir")
            .arg(&state)
            .arg("--credentials-out")
            .arg(&credentials)
            .env("TMPDIR", dir.path());
        EmulatorProcess::start(command, &credentials)
    };
    let data = common::pattern(1_500_000, 9);

    let first = start();
    let base = first.credential("pinata", "uploads_url");
    let jwt = first.credential("pinata", "jwt");
    let tus = Tus::at(base.clone(), Some(jwt.clone()));
    let location = tus
        .create(
            data.len() as u64,
            &[("network", "public"), ("filename", "big.bin")],
        )
        .await;
    let answer = tus.patch(&location, 0, data[..600_000].to_vec()).await;
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    drop(first); // SIGTERM

    let second = start();
    let base_after = second.credential("pinata", "uploads_url");
    // A new port: the upload is found by its path on the new base.
    let location = location.replace(&base, &base_after);
    let tus = Tus::at(base_after, Some(jwt));
    assert_eq!(tus.offset(&location).await, 600_000);
    let cid = tus.send_from(&location, &data, 600_000, 500_000).await;
    assert_eq!(cid, cid_v1(&data));
}

#[tokio::test]
async fn a_private_upload_becomes_a_private_file() {
    let emulator = Emulator::builder().start().await.unwrap();
    let tus = Tus::uploads(&emulator);
    let data = b"for my eyes only".to_vec();
    let location = tus
        .create(
            data.len() as u64,
            &[("filename", "secret.txt"), ("network", "private")],
        )
        .await;
    let cid = tus.send_from(&location, &data, 0, 8).await;
    let private = files_with_cid(&emulator, "private", &cid).await;
    assert_eq!(private.len(), 1);
    assert_eq!(private[0]["mime_type"], "text/plain");
    assert!(files_with_cid(&emulator, "public", &cid).await.is_empty());
}
