//! Request cuts (`Faults::cut_requests`, `cut_request_rate`) on TUS uploads, over real
//! HTTP: the connection dies while the client is still sending (no answer), the bytes
//! that arrived are kept, and the emulator's own count (`GET /_emulator/tus/received`,
//! `RunningEmulator::tus_received`) says what it received and how many cuts it did.

mod common;

use std::time::Duration;

use common::{http, json};
use pinion_cid::CidVersion;
use pinion_emulator::{Emulator, Faults, RunningEmulator, TusReceived};
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CHUNK_TYPE: &str = "application/offset+octet-stream";

/// Creates an upload of `length` bytes with the admin JWT; returns its `Location`.
async fn create(emulator: &RunningEmulator, length: u64) -> String {
    let pinata = &emulator.credentials().pinata;
    let answer = http()
        .post(format!("{}/files", pinata.uploads_url))
        .bearer_auth(&pinata.jwt)
        .header("Upload-Length", length.to_string())
        .header("Upload-Metadata", "filename Y3V0LmJpbg==")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
    answer.headers()["location"].to_str().unwrap().to_owned()
}

async fn offset(emulator: &RunningEmulator, location: &str) -> u64 {
    let answer = http()
        .head(location)
        .bearer_auth(&emulator.credentials().pinata.jwt)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    answer.headers()["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// How a raw `PATCH` ended.
#[derive(Debug)]
enum RawEnd {
    /// Sending the body failed: the connection was cut under it.
    SendFailed(std::io::ErrorKind),
    /// The whole body went into the socket, then the connection ended with this many
    /// bytes of answer (0: closed) or an error.
    Read(Result<Vec<u8>, std::io::ErrorKind>),
}

/// `PATCH`es `body` at `at` over a raw socket (exactly these bytes are sent) and
/// reports how the connection ended.
async fn raw_patch(emulator: &RunningEmulator, location: &str, at: u64, body: &[u8]) -> RawEnd {
    let url = reqwest::Url::parse(location).unwrap();
    let mut socket = tokio::net::TcpStream::connect(emulator.addr())
        .await
        .unwrap();
    let head = format!(
        "PATCH {} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: {CHUNK_TYPE}\r\nUpload-Offset: {at}\r\n\
         Content-Length: {}\r\n\r\n",
        url.path(),
        url.authority(),
        emulator.credentials().pinata.jwt,
        body.len()
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    for piece in body.chunks(64 * 1024) {
        if let Err(error) = socket.write_all(piece).await {
            return RawEnd::SendFailed(error.kind());
        }
    }
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), socket.read_to_end(&mut answer))
        .await
        .expect("the connection ends");
    RawEnd::Read(read.map(|_| answer).map_err(|error| error.kind()))
}

fn cid_v1(data: &[u8]) -> String {
    pinion_cid::hash_bytes(data, CidVersion::V1).cid.to_string()
}

#[tokio::test]
async fn a_cut_patch_dies_without_an_answer_and_keeps_what_arrived() {
    let emulator = Emulator::builder().start().await.unwrap();
    let data = common::pattern(16 * 1024 * 1024, 9);
    let location = create(&emulator, data.len() as u64).await;
    emulator
        .set_faults(Faults {
            cut_requests: 1,
            ..Faults::default()
        })
        .unwrap();

    let end = raw_patch(&emulator, &location, 0, &data).await;
    match &end {
        RawEnd::SendFailed(kind) | RawEnd::Read(Err(kind)) => assert!(
            matches!(
                kind,
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe
            ),
            "a dead connection, not {kind:?}"
        ),
        RawEnd::Read(Ok(answer)) => assert!(
            answer.is_empty(),
            "a cut connection answers nothing, got {:?}",
            String::from_utf8_lossy(answer)
        ),
    }
    assert_eq!(emulator.faults().cut_requests, 0, "the one cut was used up");

    // HEAD waits for the interrupted chunk to be recorded: it shows what arrived.
    let kept = offset(&emulator, &location).await;
    assert!(kept < data.len() as u64, "cut before the end: {end:?}");
    let received = emulator.tus_received();
    assert_eq!(received.cuts, 1);
    assert_eq!(received.bytes_received, kept, "every byte read is kept");

    // The next PATCH goes through (no cut left) and the upload ends with the right CID,
    // so the kept bytes were the right ones.
    let rest = http()
        .patch(&location)
        .bearer_auth(&emulator.credentials().pinata.jwt)
        .header("Content-Type", CHUNK_TYPE)
        .header("Upload-Offset", kept.to_string())
        .body(data[kept as usize..].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        rest.headers()["upload-cid"].to_str().unwrap(),
        cid_v1(&data)
    );
    assert_eq!(
        emulator.tus_received(),
        {
            let mut all = TusReceived::default();
            all.bytes_received = data.len() as u64;
            all.cuts = 1;
            all
        },
        "received once in total"
    );
}

#[tokio::test]
async fn small_bodies_are_never_cut_and_do_not_use_a_cut_up() {
    let emulator = Emulator::builder().start().await.unwrap();
    let data = common::pattern(Faults::MIN_CUT_BODY as usize - 1, 2);
    let location = create(&emulator, data.len() as u64).await;
    emulator
        .set_faults(Faults {
            cut_requests: 3,
            cut_request_rate: 1.0,
            ..Faults::default()
        })
        .unwrap();
    let answer = http()
        .patch(&location)
        .bearer_auth(&emulator.credentials().pinata.jwt)
        .header("Content-Type", CHUNK_TYPE)
        .header("Upload-Offset", "0")
        .body(data.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    assert_eq!(emulator.faults().cut_requests, 3);
    assert_eq!(emulator.tus_received().cuts, 0);
    assert_eq!(emulator.tus_received().bytes_received, data.len() as u64);
}

#[tokio::test]
async fn a_cut_rate_of_one_cuts_every_large_patch() {
    let emulator = Emulator::builder().start().await.unwrap();
    let data = common::pattern(4 * 1024 * 1024, 4);
    let location = create(&emulator, data.len() as u64).await;
    emulator
        .set_faults(Faults {
            cut_request_rate: 1.0,
            ..Faults::default()
        })
        .unwrap();
    for round in 1..=3 {
        let at = offset(&emulator, &location).await;
        raw_patch(&emulator, &location, at, &data[at as usize..]).await;
        assert_eq!(emulator.tus_received().cuts, round);
    }
    let kept = offset(&emulator, &location).await;
    assert!(kept < data.len() as u64);
    assert_eq!(emulator.tus_received().bytes_received, kept);
}

#[tokio::test]
async fn the_counts_are_served_and_reset_over_http() {
    let emulator = Emulator::builder().start().await.unwrap();
    let origin = emulator.origin();
    let client = http();
    let faults = client
        .put(format!("{origin}/_emulator/faults"))
        .body(r#"{"cut_requests": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(json(faults, 200).await["cut_requests"], 1);

    let data = common::pattern(1024 * 1024, 1);
    let location = create(&emulator, data.len() as u64).await;
    raw_patch(&emulator, &location, 0, &data).await;
    let kept = offset(&emulator, &location).await;

    let counts = json(
        client
            .get(format!("{origin}/_emulator/tus/received"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(
        counts,
        serde_json::json!({"bytes_received": kept, "cuts": 1})
    );
    let faults = client
        .get(format!("{origin}/_emulator/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(json(faults, 200).await["cut_requests"], 0);

    let reset = client
        .post(format!("{origin}/_emulator/tus/received/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        json(reset, 200).await,
        serde_json::json!({"bytes_received": 0, "cuts": 0})
    );
    assert_eq!(emulator.tus_received(), TusReceived::default());
}
