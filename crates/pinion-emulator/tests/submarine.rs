//! Every operation of `spec/pinata-submarine.yaml` and the dedicated gateway against the
//! emulator over HTTP: private content, access tokens and what they open.

mod common;

use std::time::Duration;

use common::{Api, Auth, http, json, start, text};
use pinion_cid::{CidVersion, DirectoryBuilder, hash_bytes};
use pinion_emulator::RunningEmulator;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

type Submarine = Api;

/// Submarine's own calls.
impl Api {
    fn new(emulator: &RunningEmulator) -> Self {
        Api::submarine(emulator)
    }

    async fn upload(
        &self,
        files: Vec<(&str, Vec<u8>)>,
        fields: &[(&str, &str)],
        status: u16,
    ) -> Value {
        let mut form = Form::new();
        for (path, bytes) in files {
            form = form.part("files", Part::bytes(bytes).file_name(path.to_owned()));
        }
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        self.post_form("/content", form, status).await
    }

    async fn token(&self, ids: &[&str], seconds: u64) -> String {
        let answer = self
            .call(
                Method::POST,
                "/auth/content/jwt",
                Some(json!({"timeoutSeconds": seconds, "contentIds": ids})),
                200,
            )
            .await;
        answer.as_str().expect("a bare JSON string").to_owned()
    }

    async fn fetch(&self, cid: &str, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut url = format!("{}/ipfs/{cid}", self.gateway);
        if !path.is_empty() {
            url.push('/');
            url.push_str(path);
        }
        if let Some(token) = token {
            url.push_str(&format!("?accessToken={token}"));
        }
        self.http.get(url).send().await.unwrap()
    }
}

#[tokio::test]
async fn the_key_is_required() {
    let emulator = start().await;
    let mut client = Submarine::new(&emulator);
    client.auth = Auth::None;
    let missing = client.call(Method::GET, "/content", None, 401).await;
    assert_eq!(missing["error"]["reason"], "INVALID_CREDENTIALS");
    client.auth = Auth::ApiKey("0".repeat(32));
    client.call(Method::GET, "/content", None, 401).await;
    client
        .call(
            Method::POST,
            "/auth/content/jwt",
            Some(json!({"timeoutSeconds": 1, "contentIds": []})),
            401,
        )
        .await;
}

#[tokio::test]
async fn content_upload_list_get_update_delete() {
    let emulator = start().await;
    let client = Submarine::new(&emulator);
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec();
    let uploaded = client
        .upload(
            vec![("cat.svg", svg.clone())],
            &[
                ("name", "My File"),
                ("metadata", r#"{"keyvalues": { "example": "value" }}"#),
                ("wrapWithDirectory", "false"),
                ("pinToIPFS", "false"),
            ],
            200,
        )
        .await;
    assert_eq!(uploaded["status"], 200);
    let item = &uploaded["items"][0];
    assert_eq!(
        item["cid"],
        hash_bytes(&svg, CidVersion::V0).cid.to_string()
    );
    assert_eq!(item["name"], "My File");
    assert_eq!(item["originalname"], "cat.svg");
    assert_eq!(item["size"], svg.len());
    assert_eq!(item["pinToIPFS"], false);
    assert_eq!(item["metadata"]["keyvalues"]["example"], "value");
    let id = item["id"].as_str().unwrap().to_owned();

    let again = client
        .upload(vec![("copy.svg", svg.clone())], &[], 200)
        .await;
    assert_eq!(again["items"][0]["isDuplicate"], true);
    assert_eq!(again["items"][0]["id"], id.as_str());

    let json_item = client
        .call(
            Method::POST,
            "/content/json",
            Some(json!({"content": {"hello": "world"}, "name": "greeting.json", "cidVersion": 1})),
            200,
        )
        .await;
    assert!(
        json_item["item"]["cid"]
            .as_str()
            .unwrap()
            .starts_with("bafkrei")
    );

    let listed = client.call(Method::GET, "/content", None, 200).await;
    assert_eq!(listed["totalItems"], 2);
    let by_name = client
        .call(Method::GET, "/content?name=my%20file", None, 200)
        .await;
    assert_eq!(by_name["totalItems"], 1);
    let by_kv = client
        .call(Method::GET, "/content?metadata%5Bkeyvalues%5D=%7B%22example%22%3A%7B%22value%22%3A%22value%22%2C%22op%22%3A%22eq%22%7D%7D", None, 200)
        .await;
    assert_eq!(by_kv["totalItems"], 1);
    let paged = client
        .call(
            Method::GET,
            "/content?limit=1&offset=1&order=ASC",
            None,
            200,
        )
        .await;
    assert_eq!(paged["items"][0]["name"], "greeting.json");
    client
        .call(Method::GET, "/content?limit=0", None, 400)
        .await;
    client
        .call(Method::GET, "/content?status=gone", None, 400)
        .await;

    let got = client
        .call(Method::GET, &format!("/content/{id}"), None, 200)
        .await;
    assert_eq!(got["item"]["id"], id.as_str());
    let renamed = client
        .call(
            Method::PUT,
            &format!("/content/{id}"),
            Some(json!({"name": "Renamed"})),
            200,
        )
        .await;
    assert_eq!(renamed["item"]["name"], "Renamed");
    let meta = client
        .call(
            Method::PUT,
            &format!("/content/{id}/metadata"),
            Some(json!({"keyvalues": {"fresh": "1"}})),
            200,
        )
        .await;
    assert_eq!(
        meta["item"]["metadata"],
        json!({"keyvalues": {"fresh": "1"}}),
        "a complete overwrite"
    );
    let nested = client
        .call(
            Method::PUT,
            &format!("/content/{id}/metadata"),
            Some(json!({"keyvalues": {"a": {"b": 1}}})),
            400,
        )
        .await;
    assert!(
        nested["error"]["details"]
            .as_str()
            .unwrap()
            .contains("nested")
    );

    let deleted = client
        .call(Method::DELETE, &format!("/content/{id}"), None, 200)
        .await;
    assert_eq!(deleted["status"], 200);
    client
        .call(Method::GET, &format!("/content/{id}"), None, 404)
        .await;
    client
        .call(Method::DELETE, &format!("/content/{id}"), None, 404)
        .await;
    client.upload(vec![], &[("name", "nothing")], 400).await;
    client
        .upload(vec![("a.txt", b"a".to_vec())], &[("cidVersion", "2")], 400)
        .await;
}

#[tokio::test]
async fn folders_list_their_files() {
    let emulator = start().await;
    let client = Submarine::new(&emulator);
    let files = vec![
        ("site/index.html", b"<h1>home</h1>".to_vec()),
        ("site/css/site.css", b"body{}".to_vec()),
    ];
    let mut builder = DirectoryBuilder::new(CidVersion::V0);
    for (path, bytes) in &files {
        builder
            .add_file(
                path.strip_prefix("site/").unwrap(),
                hash_bytes(bytes, CidVersion::V0),
            )
            .unwrap();
    }
    let uploaded = client.upload(files, &[("pinToIPFS", "false")], 200).await;
    let item = &uploaded["items"][0];
    assert_eq!(item["cid"], builder.finish().cid.to_string());
    assert_eq!(item["originalname"], "site");
    let id = item["id"].as_str().unwrap();
    let listed = client
        .call(
            Method::GET,
            &format!("/content/{id}/list?includePaths=true"),
            None,
            200,
        )
        .await;
    assert_eq!(listed["totalItems"], 2);
    let names: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["originalname"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["css/site.css", "index.html"]);
}

#[tokio::test]
async fn tokens_open_exactly_their_content_until_they_expire() {
    let emulator = start().await;
    let client = Submarine::new(&emulator);
    let secret = b"top secret bytes".to_vec();
    let item = client
        .upload(vec![("secret.txt", secret.clone())], &[], 200)
        .await;
    let id = item["items"][0]["id"].as_str().unwrap().to_owned();
    let cid = item["items"][0]["cid"].as_str().unwrap().to_owned();
    let other = client
        .upload(vec![("other.txt", b"other".to_vec())], &[], 200)
        .await;
    let other_id = other["items"][0]["id"].as_str().unwrap().to_owned();

    let no_token = client.fetch(&cid, "", None).await;
    assert!(text(no_token, 401).await.contains("accessToken"));
    let token = client.token(&[&id], 60).await;
    let claims = decode_claims(&token);
    assert_eq!(claims["contentIds"], json!([id]));
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        60
    );
    let opened = client.fetch(&cid, "", Some(&token)).await;
    assert_eq!(opened.status(), 200);
    assert_eq!(
        opened.headers()["content-length"],
        secret.len().to_string().as_str()
    );
    assert_eq!(opened.bytes().await.unwrap().as_ref(), secret.as_slice());

    let wrong = client.token(&[&other_id], 60).await;
    assert!(
        text(client.fetch(&cid, "", Some(&wrong)).await, 403)
            .await
            .contains("does not cover")
    );
    let tampered = format!("{}x", token);
    text(client.fetch(&cid, "", Some(&tampered)).await, 401).await;
    emulator
        .advance_clock(Duration::from_secs(61))
        .expect("the clock moves");
    assert!(
        text(client.fetch(&cid, "", Some(&token)).await, 403)
            .await
            .contains("expired")
    );

    // Refusals before a token is made.
    for (body, needle) in [
        (
            json!({"timeoutSeconds": 0, "contentIds": [id]}),
            "at least 1",
        ),
        (
            json!({"timeoutSeconds": 1.5, "contentIds": [id]}),
            "whole number",
        ),
        (json!({"contentIds": [id]}), "timeoutSeconds is required"),
        (
            json!({"timeoutSeconds": 10, "contentIds": []}),
            "at least one",
        ),
        (
            json!({"timeoutSeconds": 10, "contentIds": ["not-a-uuid"]}),
            "not a content id",
        ),
        (
            json!({"timeoutSeconds": 10, "contentIds": ["95c904a0-4d61-4598-a4c8-fb5f0793c7ab"]}),
            "no content with these ids",
        ),
    ] {
        let refused = client
            .call(Method::POST, "/auth/content/jwt", Some(body), 400)
            .await;
        assert!(
            refused["error"]["details"]
                .as_str()
                .unwrap()
                .contains(needle),
            "{refused}"
        );
    }
}

fn decode_claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn a_folder_token_covers_its_files_and_public_content_is_open() {
    let emulator = start().await;
    let client = Submarine::new(&emulator);
    let uploaded = client
        .upload(
            vec![
                ("site/index.html", b"<h1>home</h1>".to_vec()),
                ("site/docs/a.txt", b"doc a".to_vec()),
            ],
            &[],
            200,
        )
        .await;
    let item = &uploaded["items"][0];
    let (id, cid) = (
        item["id"].as_str().unwrap().to_owned(),
        item["cid"].as_str().unwrap().to_owned(),
    );
    let token = client.token(&[&id], 600).await;
    let file = client.fetch(&cid, "docs/a.txt", Some(&token)).await;
    assert_eq!(file.headers()["content-type"], "text/plain");
    assert_eq!(text(file, 200).await, "doc a");
    let index = client.fetch(&cid, "", Some(&token)).await;
    assert_eq!(text(index, 200).await, "<h1>home</h1>");
    let listing = client.fetch(&cid, "docs", Some(&token)).await;
    assert!(text(listing, 200).await.contains("a.txt"));
    text(client.fetch(&cid, "missing.txt", Some(&token)).await, 404).await;
    text(client.fetch(&cid, "docs/a.txt", None).await, 401).await;

    // Publishing makes it public; unknown and malformed CIDs are refused.
    client
        .call(
            Method::PUT,
            &format!("/content/{id}"),
            Some(json!({"pinToIPFS": true})),
            200,
        )
        .await;
    assert_eq!(
        text(client.fetch(&cid, "docs/a.txt", None).await, 200).await,
        "doc a"
    );
    text(
        client
            .fetch("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "", None)
            .await,
        404,
    )
    .await;
    text(client.fetch("not-a-cid", "", None).await, 400).await;

    // Content pinned on Pinata is public on the gateway, also through the real host.
    let c = emulator.credentials();
    let form = Form::new().part(
        "file",
        Part::bytes(b"public bytes".to_vec()).file_name("p.txt"),
    );
    let pinned = json(
        http()
            .post(format!("{}/pinning/pinFileToIPFS", c.pinata.base_url))
            .bearer_auth(&c.pinata.jwt)
            .multipart(form)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let public_cid = pinned["IpfsHash"].as_str().unwrap();
    let via_host = http()
        .get(format!("{}/ipfs/{public_cid}", emulator.origin()))
        .header("host", "example.mypinata.cloud")
        .send()
        .await
        .unwrap();
    assert_eq!(text(via_host, 200).await, "public bytes");
}

/// `PUT /content/{id}/metadata` stores its body as the item's metadata: `name` becomes
/// `metadata.name` (the spec's example) and the item keeps its own name; flat metadata
/// (the SDK README's `{"new": "value"}`) is kept, not replaced by empty key-values.
#[tokio::test]
async fn metadata_updates_store_the_body_and_keep_the_item_name() {
    let emulator = start().await;
    let client = Api::submarine(&emulator);
    let item = client
        .call(
            Method::POST,
            "/content/json",
            Some(json!({"content": {"a": 1}, "name": "My File"})),
            200,
        )
        .await;
    let id = item["item"]["id"].as_str().unwrap().to_owned();
    let path = format!("/content/{id}/metadata");
    let example = json!({"name": "metadata name",
                         "keyvalues": {"newKey": "new value", "oldKey": "old value"}});
    let updated = client
        .call(Method::PUT, &path, Some(example.clone()), 200)
        .await;
    assert_eq!(updated["item"]["name"], "My File");
    assert_eq!(updated["item"]["metadata"], example);
    let flat = client
        .call(Method::PUT, &path, Some(json!({"new": "value"})), 200)
        .await;
    assert_eq!(flat["item"]["metadata"], json!({"new": "value"}));
    let stored = client
        .call(Method::GET, &format!("/content/{id}"), None, 200)
        .await;
    assert_eq!(stored["item"]["name"], "My File");
    assert_eq!(stored["item"]["metadata"], json!({"new": "value"}));
    client
        .call(Method::PUT, &path, Some(json!({"name": 7})), 400)
        .await;
    client
        .call(
            Method::PUT,
            &path,
            Some(json!(["not", "an", "object"])),
            400,
        )
        .await;
}
