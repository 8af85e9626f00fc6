//! The generated IPFS Pinning Service API client (`spec/psa.yaml`) sends the bearer token and
//! the filters in their wire form, and accepts both the standard's answers and the
//! deviations real services make (Pinata's 200 on create, 200 `text/plain` `OK` on delete,
//! 400 `KEYS_MUST_BE_STRINGS`; `spec/psa.sources.md`).

use std::sync::{Arc, Mutex};

use pinion_api::auth::PsaCredentials;
use pinion_api::{ClientContext, Error, ExecuteFuture, Executor, psa};

/// An executor that records each request's method, URL and token and answers with a canned
/// status, content type and body.
struct Canned {
    seen: Mutex<Vec<(String, String, Option<String>)>>,
    status: u16,
    content_type: Option<&'static str>,
    body: String,
}

impl Canned {
    fn answering(status: u16, content_type: Option<&'static str>, body: &str) -> Arc<Self> {
        Arc::new(Self {
            seen: Mutex::new(Vec::new()),
            status,
            content_type,
            body: body.to_string(),
        })
    }

    fn json(status: u16, body: serde_json::Value) -> Arc<Self> {
        Self::answering(
            status,
            Some("application/json; charset=utf-8"),
            &body.to_string(),
        )
    }

    fn only(&self) -> (String, String, Option<String>) {
        let seen = self.seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "{seen:?}");
        seen[0].clone()
    }
}

impl Executor for Canned {
    fn execute<'a>(
        &'a self,
        _client: &'a reqwest::Client,
        request: reqwest::Request,
        _operation_id: &'static str,
    ) -> ExecuteFuture<'a> {
        self.seen.lock().unwrap().push((
            request.method().to_string(),
            request.url().to_string(),
            request
                .headers()
                .get("authorization")
                .map(|value| value.to_str().unwrap().to_owned()),
        ));
        let mut response = http::Response::builder().status(self.status);
        if let Some(content_type) = self.content_type {
            response = response.header("content-type", content_type);
        }
        let response = response.body(self.body.clone()).unwrap();
        Box::pin(async move { Ok(reqwest::Response::from(response)) })
    }
}

fn client(canned: &Arc<Canned>) -> psa::Client {
    psa::Client::new(
        "https://api.pinata.cloud/psa",
        ClientContext::new(PsaCredentials::new("PSA-TOKEN")).with_executor(canned.clone()),
    )
}

/// Pinata's recorded answer to a create [PSA-COMP], with a status outside the standard's four.
fn pin_status(status: &str) -> serde_json::Value {
    serde_json::json!({
        "requestid": "008f53ee-b942-46f8-bfe1-4e6ce2c607aa",
        "created": "2022-08-18T11:42:58.815Z",
        "delegates": ["/ip4/127.0.0.1/tcp/4001/p2p/QmNZwVaiibfFEJLSkoSmWeWCAak38hV89jPTtyWXRH5mQP"],
        "pin": { "cid": "bafkreidom7zjkty4uq5oawyxsnbd3k4zawkx7fzr7qkoqfjdaxmqy6wrzi", "origins": [],
                 "meta": { "createdBy": "@ipfs-shipyard/pinning-service-compliance" } },
        "info": { "pinata_pinjob_status": "prechecking" },
        "status": status
    })
}

#[tokio::test]
async fn create_and_replace_accept_the_standard_202_and_pinatas_200() {
    for code in [202, 200] {
        let canned = Canned::json(code, pin_status("queued"));
        let answer = client(&canned)
            .add_pin()
            .body(psa::types::Pin {
                cid: "bafkreidom7zjkty4uq5oawyxsnbd3k4zawkx7fzr7qkoqfjdaxmqy6wrzi".into(),
                meta: None,
                name: None,
                origins: None,
            })
            .send()
            .await
            .unwrap_or_else(|error| panic!("{code}: {error}"));
        assert_eq!(answer.status().as_u16(), code);
        assert_eq!(answer.status.as_str(), "queued");
        assert_eq!(
            answer.info.as_ref().unwrap()["pinata_pinjob_status"],
            "prechecking"
        );
        let (method, url, token) = canned.only();
        assert_eq!(
            (method.as_str(), url.as_str()),
            ("POST", "https://api.pinata.cloud/psa/pins")
        );
        assert_eq!(token.as_deref(), Some("Bearer PSA-TOKEN"));

        let canned = Canned::json(code, pin_status("queued"));
        client(&canned)
            .replace_pin_by_request_id()
            .requestid("008f53ee-b942-46f8-bfe1-4e6ce2c607aa")
            .body(psa::types::Pin {
                cid: "bafkreidybry4dulwmytu4kvgnht7una4xjc2exphnhpl3qofn3pngwemia".into(),
                meta: None,
                name: None,
                origins: None,
            })
            .send()
            .await
            .unwrap_or_else(|error| panic!("replace {code}: {error}"));
    }
}

#[tokio::test]
async fn a_status_outside_the_standard_four_still_decodes() {
    let canned = Canned::json(200, pin_status("archived"));
    let answer = client(&canned)
        .get_pin_by_request_id()
        .requestid("008f53ee-b942-46f8-bfe1-4e6ce2c607aa")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status.as_str(), "archived");
}

#[tokio::test]
async fn delete_accepts_the_standard_empty_202_and_pinatas_text_ok() {
    for (code, content_type, body) in [
        (202, None, ""),
        (200, Some("text/plain; charset=utf-8"), "OK"),
    ] {
        let canned = Canned::answering(code, content_type, body);
        let answer = client(&canned)
            .delete_pin_by_request_id()
            .requestid("008f53ee-b942-46f8-bfe1-4e6ce2c607aa")
            .send()
            .await
            .unwrap_or_else(|error| panic!("{code}: {error}"));
        assert_eq!(answer.status().as_u16(), code);
        let (method, url, _) = canned.only();
        assert_eq!(method, "DELETE");
        assert_eq!(
            url,
            "https://api.pinata.cloud/psa/pins/008f53ee-b942-46f8-bfe1-4e6ce2c607aa"
        );
    }
}

#[tokio::test]
async fn list_filters_go_out_in_their_wire_form() {
    let canned = Canned::json(200, serde_json::json!({ "count": 0, "results": [] }));
    let before: chrono::DateTime<chrono::Utc> = "2020-07-27T17:32:28.276Z".parse().unwrap();
    let answer = client(&canned)
        .get_pins()
        .cid("Qm1,bafy2")
        .name("Precious")
        .match_(psa::types::TextMatchingStrategy::Ipartial)
        .status("queued,pinning")
        .before(before)
        .limit(std::num::NonZeroU32::new(1000).unwrap())
        .meta(r#"{"app_id":"99"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.count, 0);
    let (method, url, _) = canned.only();
    assert_eq!(method, "GET");
    let url = reqwest::Url::parse(&url).unwrap();
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let expected = [
        ("before", "2020-07-27T17:32:28.276Z"),
        ("cid", "Qm1,bafy2"),
        ("limit", "1000"),
        ("match", "ipartial"),
        ("meta", r#"{"app_id":"99"}"#),
        ("name", "Precious"),
        ("status", "queued,pinning"),
    ];
    assert_eq!(
        query,
        expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
    );
    // One parameter each: the lists are joined, not repeated.
    assert_eq!(url.query().unwrap().matches("cid=").count(), 1);
}

#[tokio::test]
async fn errors_decode_as_failure_whatever_the_4xx() {
    for (code, reason) in [
        (400, "KEYS_MUST_BE_STRINGS"),
        (401, "INVALID_CREDENTIALS"),
        (404, "OBJECT_NOT_FOUND"),
        (422, "CUSTOM_ERROR_CODE_FOR_MACHINES"),
        (429, "RATE_LIMITED"),
        (500, "INTERNAL_SERVER_ERROR"),
    ] {
        let canned = Canned::json(
            code,
            serde_json::json!({ "error": { "reason": reason, "details": "why" } }),
        );
        let error = client(&canned)
            .get_pins()
            .limit(std::num::NonZeroU32::new(1).unwrap())
            .send()
            .await
            .unwrap_err();
        match error {
            Error::ErrorResponse(failure) => {
                assert_eq!(failure.status().as_u16(), code);
                assert_eq!(failure.error.reason, reason);
                assert_eq!(failure.error.details.as_deref(), Some("why"));
            }
            other => panic!("{code}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_name_over_255_characters_is_refused_before_sending() {
    let canned = Canned::json(200, serde_json::json!({ "count": 0, "results": [] }));
    let error = client(&canned)
        .get_pins()
        .name("n".repeat(256))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(canned.seen.lock().unwrap().is_empty());
}
