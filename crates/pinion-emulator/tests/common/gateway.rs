//! Pinata v3 through the dedicated gateway, shared by `v3_download_links.rs` and
//! `v3_gateway.rs`: download links, plain fetches, the gateway's id and plugin.

use pinion_emulator::RunningEmulator;
use reqwest::Method;
use serde_json::{Value, json};

use super::v3::V3;
use super::{http, json as json_answer};

/// Now in unix seconds (wall clock: the emulator's clock starts at it; tests advance it).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The emulator's gateway base URL (`…/gateway`).
pub fn gateway(emulator: &RunningEmulator) -> String {
    emulator.credentials().pinata.gateway_url.clone()
}

/// Uploads `bytes` privately; returns the CID.
pub async fn private_file(v3: &V3, name: &str, bytes: &[u8]) -> String {
    let made = v3
        .upload(name, bytes.to_vec(), &[("network", "private")], 200)
        .await;
    made["data"]["cid"].as_str().unwrap().to_owned()
}

/// A download link for `url` made at `path` (one of the three routes), `expires` seconds.
pub async fn link_at(v3: &V3, path: &str, url: &str, date: i64, expires: i64) -> String {
    let body = json!({ "url": url, "date": date, "expires": expires, "method": "GET" });
    let made = v3.api.call(Method::POST, path, Some(body), 200).await;
    made["data"].as_str().expect("the link is data").to_owned()
}

/// A download link to the gateway's `/files/<cid>`, valid for `expires` seconds from now.
pub async fn link(v3: &V3, emulator: &RunningEmulator, cid: &str, expires: i64) -> String {
    let url = format!("{}/files/{cid}", gateway(emulator));
    link_at(
        v3,
        "/files/private/download_link",
        &url,
        unix_now(),
        expires,
    )
    .await
}

/// GETs `url` without credentials; returns the status, content type and body.
pub async fn fetch(url: &str) -> (u16, String, String) {
    let response = http().get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

/// `url` with query parameter `name` set to `value`.
pub fn with_param(url: &str, name: &str, value: &str) -> String {
    let mut parsed = reqwest::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(n, v)| {
            let v = if n == name {
                value.to_owned()
            } else {
                v.into_owned()
            };
            (n.into_owned(), v)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(&pairs);
    parsed.into()
}

/// The account's gateway id, from `GET /gateways`.
pub async fn gateway_id(v3: &V3) -> String {
    let listed = v3.api.get("/gateways", 200).await;
    assert_eq!(listed["data"]["count"], 1, "{listed}");
    let row = &listed["data"]["rows"][0];
    assert!(
        row["domain"].as_str().is_some_and(|d| !d.is_empty()),
        "{row}"
    );
    row["id"].as_str().unwrap().to_owned()
}

/// Turns the gateway's Hot Swaps plugin on or off (the emulator's control route).
pub async fn hot_swaps(emulator: &RunningEmulator, installed: bool) -> Value {
    let response = http()
        .put(format!(
            "{}/_emulator/gateway/plugins/hot-swaps",
            emulator.origin()
        ))
        .json(&json!({ "installed": installed }))
        .send()
        .await
        .unwrap();
    json_answer(response, 200).await
}
