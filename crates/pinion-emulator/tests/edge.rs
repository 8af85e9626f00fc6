//! The edge shared by every service: routing by prefix and host, wire tolerance, rate
//! limit headers and 429s, fault injection, state kept across restarts.

mod common;

use std::time::Duration;

use common::{http, json, start, text};
use pinion_emulator::{Emulator, Faults};

#[tokio::test]
async fn services_answer_under_their_prefixes_and_hosts() {
    let emulator = start().await;
    let c = emulator.credentials().clone();
    let client = http();

    let by_prefix = client
        .get(format!("{}/data/testAuthentication", c.pinata.base_url))
        .bearer_auth(&c.pinata.jwt)
        .send()
        .await
        .unwrap();
    let body = json(by_prefix, 200).await;
    assert_eq!(
        body["message"],
        "Congratulations! You are communicating with the Pinata API!"
    );

    // The real host in the Host header, the spec's paths as they are.
    let by_host = client
        .get(format!("{}/data/testAuthentication", emulator.origin()))
        .header("host", "api.pinata.cloud")
        .header("pinata_api_key", &c.pinata.api_key)
        .header("pinata_secret_api_key", &c.pinata.api_secret)
        .send()
        .await
        .unwrap();
    json(by_host, 200).await;

    // Trailing and double slashes.
    let w3 = client
        .get(format!(
            "{}//apiKeys/testAuthentication/",
            c.w3ipfs.base_url
        ))
        .header("pinning_api_key", &c.w3ipfs.api_key)
        .header("pinning_secret_key", &c.w3ipfs.secret_key)
        .send()
        .await
        .unwrap();
    let body = json(w3, 200).await;
    assert_eq!(body["status"], "success");

    let w3_host = client
        .get(format!(
            "{}/api/apiKeys/testAuthentication",
            emulator.origin()
        ))
        .header("host", "api.w3ipfs.aioz.network")
        .bearer_auth(&c.w3ipfs.jwt)
        .send()
        .await
        .unwrap();
    json(w3_host, 200).await;
    emulator.shutdown().await;
}

#[tokio::test]
async fn absolute_form_request_targets_are_routed_by_their_authority() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let emulator = start().await;
    let c = emulator.credentials().clone();
    let mut stream = tokio::net::TcpStream::connect(emulator.addr())
        .await
        .unwrap();
    let request = format!(
        "GET http://api.pinata.cloud/data/testAuthentication HTTP/1.1\r\nHost: api.pinata.cloud\r\n\
         Authorization: Bearer {}\r\nConnection: close\r\n\r\n",
        c.pinata.jwt
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("Congratulations"), "{answer}");
}

#[tokio::test]
async fn unknown_routes_answer_in_the_service_shape() {
    let emulator = start().await;
    let c = emulator.credentials().clone();
    let client = http();
    let pinata = client
        .get(format!("{}/nope", c.pinata.base_url))
        .send()
        .await
        .unwrap();
    let body = json(pinata, 404).await;
    assert_eq!(body["error"]["reason"], "ROUTE_NOT_FOUND");
    let w3 = client
        .get(format!("{}/nope", c.w3ipfs.base_url))
        .send()
        .await
        .unwrap();
    let body = json(w3, 404).await;
    assert_eq!(body["status"], "fail");
    let elsewhere = client
        .get(format!("{}/what", emulator.origin()))
        .send()
        .await
        .unwrap();
    assert!(text(elsewhere, 404).await.contains("/pinata"));
}

#[tokio::test]
async fn every_answer_carries_rate_limit_headers_and_the_limit_is_enforced() {
    let emulator = Emulator::builder()
        .rate_limit_per_minute(3)
        .start()
        .await
        .unwrap();
    let c = emulator.credentials().clone();
    let client = http();
    let call = || {
        client
            .get(format!("{}/data/testAuthentication", c.pinata.base_url))
            .bearer_auth(&c.pinata.jwt)
            .send()
    };
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let response = call().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-ratelimit-limit"], "3");
        assert!(response.headers().contains_key("x-ratelimit-reset"));
        remaining.push(
            response.headers()["x-ratelimit-remaining"]
                .to_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let refused = call().await.unwrap();
    assert_eq!(refused.status(), 429);
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body = json(refused, 429).await;
    assert_eq!(body["error"]["reason"], "RATE_LIMITED");
}

#[tokio::test]
async fn faults_can_be_switched_at_run_time() {
    let emulator = start().await;
    let c = emulator.credentials().clone();
    let client = http();
    let url = format!("{}/apiKeys/testAuthentication", c.w3ipfs.base_url);
    let call = || client.get(&url).bearer_auth(&c.w3ipfs.jwt).send();

    emulator
        .set_faults(Faults {
            error_rate_503: 1.0,
            ..Faults::default()
        })
        .unwrap();
    let body = json(call().await.unwrap(), 503).await;
    assert_eq!(body["status"], "error");

    // Through the control API, as other languages' tests would.
    let put = client
        .put(format!("{}/_emulator/faults", emulator.origin()))
        .body(r#"{"error_rate_429": 1.0}"#)
        .send()
        .await
        .unwrap();
    json(put, 200).await;
    let limited = call().await.unwrap();
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "1");

    let bad = client
        .put(format!("{}/_emulator/faults", emulator.origin()))
        .body(r#"{"error_rate_500": 2}"#)
        .send()
        .await
        .unwrap();
    assert!(text(bad, 400).await.contains("between 0 and 1"));

    emulator
        .set_faults(Faults {
            drop_connection_rate: 1.0,
            ..Faults::default()
        })
        .unwrap();
    // The connection closes before the declared body is complete: the client fails
    // while reading the answer (on small bodies hyper may not flush the headers first).
    match call().await {
        Err(error) => assert!(error.is_request() || error.is_body(), "{error:?}"),
        Ok(dropped) => assert!(dropped.bytes().await.is_err(), "the body must be cut off"),
    }

    emulator
        .set_faults(Faults {
            latency: Duration::from_millis(300),
            ..Faults::default()
        })
        .unwrap();
    let started = std::time::Instant::now();
    json(call().await.unwrap(), 200).await;
    assert!(started.elapsed() >= Duration::from_millis(300));

    emulator.set_faults(Faults::default()).unwrap();
    json(call().await.unwrap(), 200).await;
}

#[tokio::test]
async fn credentials_and_state_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let first = Emulator::builder()
        .state_dir(dir.path())
        .start()
        .await
        .unwrap();
    let before = first.credentials().clone();
    first.shutdown().await;
    let second = Emulator::builder()
        .state_dir(dir.path())
        .start()
        .await
        .unwrap();
    let after = second.credentials().clone();
    assert_eq!(before.pinata.jwt, after.pinata.jwt);
    assert_eq!(before.w3ipfs.secret_key, after.w3ipfs.secret_key);
    assert_eq!(before.submarine.api_key, after.submarine.api_key);
    let answer = http()
        .get(format!("{}/data/testAuthentication", after.pinata.base_url))
        .bearer_auth(&after.pinata.jwt)
        .send()
        .await
        .unwrap();
    json(answer, 200).await;
}

#[tokio::test]
async fn debug_output_hides_every_secret() {
    let emulator = start().await;
    let c = emulator.credentials();
    let shown = format!("{c:?} {emulator:?}");
    for secret in [
        &c.pinata.jwt,
        &c.pinata.api_secret,
        &c.submarine.api_key,
        &c.w3ipfs.secret_key,
        &c.w3ipfs.jwt,
    ] {
        assert!(
            !shown.contains(secret.as_str()),
            "a secret leaked into {shown}"
        );
    }
    assert!(shown.contains(&c.pinata.base_url));
}

#[tokio::test]
async fn chunked_multipart_without_content_length_is_accepted() {
    let emulator = start().await;
    let c = emulator.credentials().clone();
    let pieces: Vec<Result<bytes::Bytes, std::io::Error>> = vec![
        Ok(bytes::Bytes::from_static(b"hello ")),
        Ok(bytes::Bytes::from_static(b"world\n")),
    ];
    let part =
        reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(futures::stream::iter(pieces)))
            .file_name("hello.txt");
    let request = http()
        .post(format!("{}/pinning/pinFileToIPFS", c.pinata.base_url))
        .bearer_auth(&c.pinata.jwt)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .build()
        .unwrap();
    assert!(
        request.headers().get("content-length").is_none(),
        "sent chunked"
    );
    let answer = json(http().execute(request).await.unwrap(), 200).await;
    assert_eq!(
        answer["IpfsHash"],
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
    );
}
