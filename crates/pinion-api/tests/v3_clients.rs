//! The generated Pinata v3 clients (api and uploads hosts) authenticate with the bearer JWT,
//! put each operation on its host and path, send the body spellings the SDK sends, and
//! decode tolerant answers and the v3 error shape.

use std::sync::{Arc, Mutex};

use pinion_api::auth::PinataCredentials;
use pinion_api::{
    ClientContext, Error, ExecuteFuture, Executor, pinata, pinata_v3, pinata_v3_uploads,
};

/// What the recorder saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    operation_id: &'static str,
    method: String,
    url: String,
    authorization: Option<String>,
    body: Option<String>,
}

/// An executor that records each request and answers with a canned status and JSON body.
struct Recorder {
    seen: Mutex<Vec<Seen>>,
    status: u16,
    body: String,
}

impl Recorder {
    fn answering(status: u16, body: serde_json::Value) -> Arc<Self> {
        Arc::new(Self {
            seen: Mutex::new(Vec::new()),
            status,
            body: body.to_string(),
        })
    }

    fn only(&self) -> Seen {
        let seen = self.seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "{seen:?}");
        seen[0].clone()
    }
}

impl Executor for Recorder {
    fn execute<'a>(
        &'a self,
        _client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> ExecuteFuture<'a> {
        self.seen.lock().unwrap().push(Seen {
            operation_id,
            method: request.method().to_string(),
            url: request.url().to_string(),
            authorization: request
                .headers()
                .get("authorization")
                .map(|value| value.to_str().unwrap().to_owned()),
            body: request
                .body()
                .and_then(|body| body.as_bytes())
                .map(|bytes| String::from_utf8(bytes.to_vec()).unwrap()),
        });
        let response = http::Response::builder()
            .status(self.status)
            .header("content-type", "application/json; charset=utf-8")
            .body(self.body.clone())
            .unwrap();
        Box::pin(async move { Ok(reqwest::Response::from(response)) })
    }
}

fn context(recorder: &Arc<Recorder>) -> ClientContext<PinataCredentials> {
    ClientContext::new(PinataCredentials::jwt("JWT-V3")).with_executor(recorder.clone())
}

#[tokio::test]
async fn list_files_sends_the_jwt_and_decodes_a_sparse_answer_with_extra_fields() {
    let recorder = Recorder::answering(
        200,
        serde_json::json!({ "data": {
            "files": [
                { "id": "f1", "cid": "pending", "name": null, "keyvalues": { "n": 1 },
                  "created_at": "2024-08-27T14:57:51.485934Z", "some_new_field": true },
                { "id": "f2", "cid": "bafkreih5aznjvttude6c3wbvqeebb6rlx5wkbzyppv7garjiubll2ceym4" }
            ],
            "next_page_token": ""
        } }),
    );
    let client = pinata_v3::Client::new("https://api.pinata.cloud/v3", context(&recorder));
    let answer = client
        .list_files()
        .network(pinata_v3::types::Network::Private)
        .cid_pending(true)
        .limit(std::num::NonZeroU64::new(5).unwrap())
        .send()
        .await
        .unwrap()
        .into_inner();
    let seen = recorder.only();
    assert_eq!(seen.operation_id, "list_files");
    assert_eq!(seen.method, "GET");
    assert_eq!(
        seen.url,
        "https://api.pinata.cloud/v3/files/private?cidPending=true&limit=5"
    );
    assert_eq!(seen.authorization.as_deref(), Some("Bearer JWT-V3"));
    assert_eq!(answer.data.files.len(), 2);
    assert_eq!(answer.data.files[0].cid, "pending");
    assert_eq!(answer.data.files[0].name, None);
    assert_eq!(answer.data.files[1].size, None);
    assert_eq!(answer.data.next_page_token.as_deref(), Some(""));
}

#[tokio::test]
async fn add_swap_sends_the_sdk_spelling_on_the_networked_route() {
    let recorder = Recorder::answering(
        200,
        serde_json::json!({ "data": { "mapped_cid": "bafy-target", "created_at": "2024-08-19T14:30:29Z" } }),
    );
    let client = pinata_v3::Client::new("https://api.pinata.cloud/v3", context(&recorder));
    let body = pinata_v3::types::SwapRequest {
        swap_cid: "bafy-target".into(),
    };
    let answer = client
        .add_swap()
        .network(pinata_v3::types::Network::Public)
        .cid("bafy-source")
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner();
    let seen = recorder.only();
    assert_eq!(seen.method, "PUT");
    assert_eq!(
        seen.url,
        "https://api.pinata.cloud/v3/files/public/swap/bafy-source"
    );
    assert_eq!(seen.body.as_deref(), Some(r#"{"swap_cid":"bafy-target"}"#));
    assert_eq!(answer.data.mapped_cid.as_deref(), Some("bafy-target"));
}

#[tokio::test]
async fn the_v3_error_shape_is_decoded_with_its_code_and_message() {
    let recorder = Recorder::answering(
        401,
        serde_json::json!({ "error": { "code": 401, "message": "no Authorization header found" } }),
    );
    let client = pinata_v3::Client::new("https://api.pinata.cloud/v3", context(&recorder));
    let error = client
        .delete_file()
        .network(pinata_v3::types::Network::Public)
        .id("01919457-c2c6-770e-9391-8c72c4f41f64")
        .send()
        .await
        .unwrap_err();
    let Error::ErrorResponse(response) = error else {
        panic!("expected the documented error, got {error:?}");
    };
    assert_eq!(response.status().as_u16(), 401);
    let pinata_v3::types::Error::Object(object) = response.into_inner() else {
        panic!("expected the object form");
    };
    assert_eq!(object.error.code, Some(401));
    assert_eq!(
        object.error.message.as_deref(),
        Some("no Authorization header found")
    );
}

#[tokio::test]
async fn sdk_key_revocation_is_a_put_answering_the_string_revoked() {
    let recorder = Recorder::answering(200, serde_json::json!("Revoked"));
    let client = pinata_v3::Client::new("https://api.pinata.cloud/v3", context(&recorder));
    let answer = client
        .revoke_key()
        .key("8624b6dd1e6f047a9c31")
        .send()
        .await
        .unwrap()
        .into_inner();
    let seen = recorder.only();
    assert_eq!(seen.method, "PUT");
    assert_eq!(
        seen.url,
        "https://api.pinata.cloud/v3/pinata/keys/8624b6dd1e6f047a9c31"
    );
    assert_eq!(answer.as_str(), "Revoked");
}

#[tokio::test]
async fn signed_upload_urls_are_requested_from_the_uploads_host() {
    let recorder = Recorder::answering(
        200,
        serde_json::json!({ "data": "https://uploads.pinata.cloud/v3/files/209bb44c?X-Algorithm=PINATA2" }),
    );
    let client =
        pinata_v3_uploads::Client::new("https://uploads.pinata.cloud/v3", context(&recorder));
    let body = pinata_v3_uploads::types::SignUploadRequest::builder()
        .date(1_795_776_468)
        .expires(60)
        .network(Some("public".to_string()))
        .filename(Some("signed".to_string()));
    let answer = client
        .create_signed_upload_url()
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner();
    let seen = recorder.only();
    assert_eq!(seen.operation_id, "create_signed_upload_url");
    assert_eq!(seen.url, "https://uploads.pinata.cloud/v3/files/sign");
    assert_eq!(seen.authorization.as_deref(), Some("Bearer JWT-V3"));
    let sent: serde_json::Value = serde_json::from_str(seen.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({ "date": 1_795_776_468, "expires": 60, "filename": "signed", "network": "public" })
    );
    assert!(answer.data.contains("X-Algorithm=PINATA2"));
}

#[tokio::test]
async fn the_legacy_upload_answer_carries_the_fields_the_v3_sdk_reads() {
    let answer: pinata::types::PinResponse = serde_json::from_value(serde_json::json!({
        "IpfsHash": "QmVLwvmGehsrNEvhcCnnsw5RQNseohgEkFNN1848zNzdng",
        "PinSize": 32942,
        "Timestamp": "2023-06-16T17:24:37.998Z",
        "ID": "0191a0c1-5a6b-7c2d-8e9f-0a1b2c3d4e5f",
        "Name": "myBuild",
        "NumberOfFiles": 2,
        "MimeType": "directory",
        "GroupId": null,
        "Keyvalues": null
    }))
    .unwrap();
    assert_eq!(
        answer.id.as_deref(),
        Some("0191a0c1-5a6b-7c2d-8e9f-0a1b2c3d4e5f")
    );
    assert_eq!(answer.number_of_files, Some(2));
    assert_eq!(answer.group_id, None);
}
