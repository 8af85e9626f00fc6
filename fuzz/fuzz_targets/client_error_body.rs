//! Fuzzed error answers (status, headers, body) through the function the clients use
//! to turn a non-2xx answer into `pinion::Error`. Beyond "no panic" (including in
//! `Display` and `Debug`), the error must keep the status, classify retries by it, keep
//! what the server said (a non-empty body never vanishes; a JSON reason or message is
//! in the text) and never show a secret.
#![no_main]

use http::{HeaderMap, HeaderValue, StatusCode};
use libfuzzer_sys::fuzz_target;
use pinion::Error;
use pinion::fuzzing::error_from_answer;
use pinion::scopes::{Capability, Service};

/// Lower case only, so it shares no character with `[REDACTED]`.
const SECRET: &str = "s3cr3t-jwt-value";

const CONTENT_TYPES: [Option<&str>; 5] = [
    None,
    Some("application/json"),
    Some("application/json; charset=utf-8"),
    Some("text/plain; charset=utf-8"),
    Some("text/html"),
];

fuzz_target!(|data: &[u8]| {
    let [status, choice, body @ ..] = data else {
        return;
    };
    let status = StatusCode::from_u16(400 + u16::from(*status) % 200).expect("400..=599");
    let service = [Service::Pinata, Service::Submarine, Service::W3ipfs][usize::from(choice % 3)];
    let mut headers = HeaderMap::new();
    if let Some(content_type) = CONTENT_TYPES[usize::from(choice / 3 % 5)] {
        headers.insert("content-type", HeaderValue::from_static(content_type));
    }
    if choice & 0x40 != 0 {
        headers.insert("retry-after", HeaderValue::from_static("7"));
    }
    let needed = (choice & 0x80 != 0).then_some(Capability::PinFile);

    let error = error_from_answer(service, status, &headers, body, needed, &[SECRET]);
    let display = error.to_string();
    let debug = format!("{error:?}");

    assert_eq!(error.status(), Some(status), "{debug}");
    assert_eq!(
        error.is_transient(),
        status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error(),
        "{debug}"
    );
    assert!(!display.contains(SECRET), "secret in Display: {display}");
    assert!(!debug.contains(SECRET), "secret in Debug: {debug}");

    let text = String::from_utf8_lossy(body);
    if text.trim().is_empty() {
        return;
    }
    // A 429 keeps only Retry-After (by design); every other answer keeps the body.
    match &error {
        Error::RateLimited { .. } => {}
        Error::Unauthorized { message, .. } | Error::Forbidden { message, .. } => assert!(
            message.as_deref().is_some_and(|m| !m.is_empty()),
            "the server's reason was dropped: {text:?} → {debug}"
        ),
        Error::Api { .. } => {
            assert!(
                display.len() > format!("{service} answered {status}").len(),
                "the server's reason was dropped: {text:?} → {display}"
            );
            // The documented fields are in the text as the server wrote them.
            if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
                let error = &json["error"];
                let said: Vec<&serde_json::Value> = if error.is_object() {
                    let reason = if error["reason"].is_string() || error["reason"].is_number() {
                        &error["reason"]
                    } else {
                        &error["code"]
                    };
                    vec![reason, &error["details"], &error["message"]]
                } else if error.is_string() {
                    vec![error]
                } else {
                    vec![&json["message"]]
                };
                for said in said.iter().filter_map(|value| value.as_str()) {
                    if !said.contains(SECRET) && !said.is_empty() {
                        assert!(
                            display.contains(said),
                            "{said:?} is missing from {display:?}"
                        );
                    }
                }
            }
        }
        other => panic!("an answer became {other:?}"),
    }
});
