//! The seeds' example requests (`tests/fixtures/seeds/*.json`, copied verbatim from the
//! documents pinion started from) sent to the emulator with the host replaced and the
//! placeholder credentials replaced by the emulator's: each succeeds and answers what
//! the seed documents. Content ids in a seed name content of the seed author's account,
//! so the Submarine exchanges first upload content and use its id in their place.

mod common;

use common::{http, start};
use pinion_emulator::RunningEmulator;
use reqwest::Method;
use serde_json::Value;

fn seeds() -> Vec<Value> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/seeds");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("the seed fixtures")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 4, "four seeds");
    files
        .into_iter()
        .map(|path| serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap())
        .collect()
}

/// The emulator's value for a seed's placeholder header.
fn credential(emulator: &RunningEmulator, spec: &str, name: &str, value: &str) -> String {
    let c = emulator.credentials();
    match (spec, name.to_ascii_lowercase().as_str()) {
        ("pinata.yaml", "authorization") => format!("Bearer {}", c.pinata.jwt),
        ("pinata.yaml", "pinata_api_key") => c.pinata.api_key.clone(),
        ("pinata.yaml", "pinata_secret_api_key") => c.pinata.api_secret.clone(),
        ("pinata-submarine.yaml", "x-api-key") => c.submarine.api_key.clone(),
        ("w3ipfs.yaml", "authorization") => format!("Bearer {}", c.w3ipfs.jwt),
        ("w3ipfs.yaml", "pinning_api_key") => c.w3ipfs.api_key.clone(),
        ("w3ipfs.yaml", "pinning_secret_key") => c.w3ipfs.secret_key.clone(),
        _ => value.to_owned(),
    }
}

fn base_url(emulator: &RunningEmulator, spec: &str) -> String {
    let c = emulator.credentials();
    match spec {
        "pinata.yaml" => c.pinata.base_url.clone(),
        "pinata-submarine.yaml" => c.submarine.base_url.clone(),
        "w3ipfs.yaml" => c.w3ipfs.base_url.clone(),
        other => panic!("unknown spec {other}"),
    }
}

/// Uploads one Submarine item and returns its id.
async fn uploaded_content_id(emulator: &RunningEmulator) -> String {
    let c = emulator.credentials();
    let form = reqwest::multipart::Form::new()
        .part(
            "files",
            reqwest::multipart::Part::bytes(b"<svg/>".to_vec()).file_name("cat.svg"),
        )
        .text("pinToIPFS", "false");
    let answer: Value = http()
        .post(format!("{}/content", c.submarine.base_url))
        .header("x-api-key", &c.submarine.api_key)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["items"][0]["id"].as_str().unwrap().to_owned()
}

/// Whether `got` has everything `documented` shows, where the value is not a
/// placeholder the seed made up (`KEY`, `SECRET`, `TOKEN`, …): then only the type.
fn matches_documented(documented: &Value, got: &Value) -> bool {
    match (documented, got) {
        (Value::Object(want), Value::Object(have)) => want
            .iter()
            .all(|(key, value)| have.get(key).is_some_and(|h| matches_documented(value, h))),
        (Value::String(want), Value::String(have)) => {
            let placeholder = want
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == ' ' || c == '_');
            placeholder || want == have
        }
        (want, have) => want == have,
    }
}

#[tokio::test]
async fn every_seed_exchange_succeeds_as_documented() {
    let emulator = start().await;
    let client = http();
    let mut replayed = 0;
    for seed in seeds() {
        let spec = seed["spec"].as_str().unwrap();
        for exchange in seed["exchanges"].as_array().unwrap() {
            let name = format!("{} / {}", seed["seed"], exchange["name"]);
            let method: Method = exchange["method"].as_str().unwrap().parse().unwrap();
            let url = format!(
                "{}{}",
                base_url(&emulator, spec),
                exchange["path"].as_str().unwrap()
            );
            let mut request = client.request(method, url);
            for (header, value) in exchange["headers"].as_object().unwrap() {
                let value = value.as_str().unwrap();
                request =
                    request.header(header.as_str(), credential(&emulator, spec, header, value));
            }
            if let Some(body) = exchange.get("body") {
                let mut body = body.clone();
                if let Some(ids) = body.get_mut("contentIds") {
                    *ids = Value::Array(vec![Value::String(uploaded_content_id(&emulator).await)]);
                }
                request = request.body(body.to_string());
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            let expected = &exchange["response"];
            assert_eq!(
                status,
                expected["status"].as_u64().unwrap() as u16,
                "{name}: {text}"
            );
            if let Some(documented) = expected.get("body") {
                let got: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {text}"));
                assert!(
                    matches_documented(documented, &got),
                    "{name}: documented {documented}, got {got}"
                );
            }
            replayed += 1;
        }
    }
    assert_eq!(replayed, 6, "every exchange of the four seeds");
}
