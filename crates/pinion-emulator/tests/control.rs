//! The emulator's own routes under `/_emulator`: hostile values are refused with 400 and
//! never take the emulator down.

mod common;

use std::time::Duration;

use common::{http, start, text};

/// Posts `body` to the control route `path`; returns the status and the text answer.
async fn post(origin: &str, path: &str, body: &str) -> (u16, String) {
    let response = http()
        .post(format!("{origin}/_emulator{path}"))
        .body(body.to_owned())
        .send()
        .await
        .expect("the emulator answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// The emulator still answers its health check.
async fn assert_alive(origin: &str) {
    let health = http()
        .get(format!("{origin}/_emulator/health"))
        .send()
        .await
        .expect("the emulator still runs");
    assert_eq!(text(health, 200).await, "ok");
}

#[tokio::test]
async fn advancing_the_clock_by_a_huge_value_is_refused_and_the_emulator_keeps_serving() {
    let emulator = start().await;
    let origin = emulator.origin();
    for huge in [
        format!("{{\"seconds\": {}}}", u64::MAX),
        format!("{{\"seconds\": {}}}", u64::MAX / 1000 + 1),
        format!("{{\"seconds\": {}}}", 101u64 * 366 * 24 * 3600),
    ] {
        let (status, answer) = post(origin, "/clock/advance", &huge).await;
        assert_eq!(status, 400, "{huge}: {answer}");
        assert!(answer.contains("at most"), "{answer}");
        assert_alive(origin).await;
        // The services still work: they read the clock on every request.
        common::Api::pinata(&emulator)
            .get("/data/testAuthentication", 200)
            .await;
    }
    let (status, moved) = post(origin, "/clock/advance", r#"{"seconds": 3600}"#).await;
    assert_eq!(status, 200, "{moved}");
    assert!(moved.ends_with('Z'), "{moved}");
}

#[tokio::test]
async fn advancing_the_clock_by_a_malformed_value_is_refused() {
    let emulator = start().await;
    let origin = emulator.origin();
    for malformed in [
        r#"{"seconds": -1}"#,
        r#"{"seconds": 1.5}"#,
        r#"{"seconds": 1e400}"#,
        r#"{"seconds": 99999999999999999999999999}"#,
        r#"{"seconds": "3600"}"#,
        r#"{"seconds": null}"#,
        r#"{"seconds": 1, "extra": 2}"#,
        r#"{}"#,
        "NaN",
        "",
    ] {
        let (status, answer) = post(origin, "/clock/advance", malformed).await;
        assert_eq!(status, 400, "{malformed}: {answer}");
    }
    assert_alive(origin).await;
}

#[tokio::test]
async fn the_library_refuses_to_move_the_clock_too_far() {
    let emulator = start().await;
    assert!(emulator.advance_clock(Duration::MAX).is_err());
    emulator.advance_clock(Duration::from_secs(60)).unwrap();
    assert_alive(emulator.origin()).await;
}

#[tokio::test]
async fn faults_with_hostile_values_are_refused() {
    let emulator = start().await;
    let origin = emulator.origin();
    let client = http();
    for hostile in [
        r#"{"error_rate_503": -0.5}"#,
        r#"{"error_rate_503": 1.5}"#,
        r#"{"error_rate_503": 1e400}"#,
        r#"{"error_rate_429": 0.6, "error_rate_500": 0.6}"#,
        r#"{"latency_ms": -1}"#,
        r#"{"latency_ms": 600001}"#,
        r#"{"latency_ms": 18446744073709551615}"#,
        r#"{"latency_ms": 1.5}"#,
        r#"{"latency_ms": "100"}"#,
        r#"{"cut_request_rate": -0.1}"#,
        r#"{"cut_request_rate": 1.01}"#,
        r#"{"cut_request_rate": "0.5"}"#,
        r#"{"cut_requests": -1}"#,
        r#"{"cut_requests": 1.5}"#,
        r#"{"cut_requests": 4294967296}"#,
        r#"{"unknown": 1}"#,
        "",
    ] {
        let response = client
            .put(format!("{origin}/_emulator/faults"))
            .body(hostile)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 400, "{hostile}");
    }
    let faults: serde_json::Value = client
        .get(format!("{origin}/_emulator/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(faults["error_rate_503"], 0.0, "nothing was switched on");
    assert_eq!(faults["cut_request_rate"], 0.0, "nothing was switched on");
    assert_eq!(faults["cut_requests"], 0, "nothing was switched on");
    assert_alive(origin).await;
}

#[tokio::test]
async fn driving_a_job_with_hostile_values_is_refused() {
    let emulator = start().await;
    let origin = emulator.origin();
    for (id, body, status) in [
        ("nope", r#"{"status": "pinned"}"#, 404),
        ("%00%ff", r#"{"status": "pinned"}"#, 400),
        ("nope", r#"{"status": 7}"#, 400),
        ("nope", r#"{"status": "lost"}"#, 400),
        ("nope", "", 400),
    ] {
        let (got, answer) = post(origin, &format!("/pinata/jobs/{id}"), body).await;
        assert_eq!(got, status, "{id} {body}: {answer}");
    }
    assert_alive(origin).await;
}
