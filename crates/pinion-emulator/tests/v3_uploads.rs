//! `POST uploads/v3/files` (multipart): fields, the CIDs `pinion cid` computes, one
//! account with the legacy API, private files kept private.

mod common;

use common::pinata::admin;
use common::v3::{V3, v3_error};
use common::{file_fixtures, http, start};
use serde_json::json;

#[tokio::test]
async fn cids_match_pinion_cid_for_both_versions() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    for fixture in file_fixtures(300_000) {
        let v1 = v3
            .upload(
                &fixture.name,
                fixture.bytes.clone(),
                &[("network", "public")],
                200,
            )
            .await;
        assert_eq!(
            v1["data"]["cid"],
            fixture.v1.0.as_str(),
            "{} v1",
            fixture.name
        );
        let v0 = v3
            .upload(
                &fixture.name,
                fixture.bytes.clone(),
                &[("network", "private"), ("cid_version", "v0")],
                200,
            )
            .await;
        assert_eq!(
            v0["data"]["cid"],
            fixture.v0.0.as_str(),
            "{} v0",
            fixture.name
        );
    }
}

#[tokio::test]
async fn the_form_fields_are_recorded() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let made = v3
        .upload(
            "notes.txt",
            b"hello".to_vec(),
            &[
                ("network", "public"),
                ("name", "My notes"),
                ("keyvalues", r#"{"env":"prod","team":"a"}"#),
                ("expires_at", "4102444800"),
                ("streamable", "true"),
            ],
            200,
        )
        .await["data"]
        .clone();
    assert_eq!(made["name"], "My notes");
    assert_eq!(made["keyvalues"], json!({"env": "prod", "team": "a"}));
    assert_eq!(made["mime_type"], "text/plain");
    assert_eq!(made["number_of_files"], 1);
    assert_eq!(made["is_duplicate"], false);
    assert_eq!(made["network"], "public");
    let got = v3
        .api
        .get(
            &format!("/files/public/{}", made["id"].as_str().unwrap()),
            200,
        )
        .await;
    assert_eq!(got["data"]["expires_at"], 4102444800u64);
    // The docs' wrapped form of keyvalues.
    let wrapped = v3
        .upload(
            "w.txt",
            b"wrapped".to_vec(),
            &[
                ("network", "public"),
                ("keyvalues", r#"{"keyvalues":{"k":"v"}}"#),
            ],
            200,
        )
        .await;
    assert_eq!(wrapped["data"]["keyvalues"], json!({"k": "v"}));
}

#[tokio::test]
async fn bad_fields_are_refused() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let eleven: serde_json::Map<String, serde_json::Value> =
        (0..11).map(|n| (format!("k{n}"), json!("v"))).collect();
    let eleven = serde_json::Value::Object(eleven).to_string();
    for fields in [
        vec![("network", "shared")],
        vec![("cid_version", "v2")],
        vec![("expires_at", "1")],
        vec![("keyvalues", "not json")],
        vec![("keyvalues", eleven.as_str())],
        vec![("group_id", "no-such-group")],
        vec![("car", "true")],
    ] {
        let body = v3.upload("a.txt", b"x".to_vec(), &fields, 400).await;
        assert_eq!(v3_error(&body).0, 400, "{fields:?}");
    }
    let form = reqwest::multipart::Form::new().text("network", "public");
    let body = v3.uploads.post_form("/files", form, 400).await;
    assert_eq!(v3_error(&body).0, 400);
}

#[tokio::test]
async fn network_defaults_to_private() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let made = v3
        .upload("p.txt", b"private by default".to_vec(), &[], 200)
        .await;
    assert_eq!(made["data"]["network"], "private");
}

#[tokio::test]
async fn duplicates_return_the_existing_record_per_network() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let first = v3
        .upload(
            "a.txt",
            b"same".to_vec(),
            &[("network", "public"), ("name", "first")],
            200,
        )
        .await["data"]
        .clone();
    let again = v3
        .upload(
            "b.txt",
            b"same".to_vec(),
            &[("network", "public"), ("name", "second")],
            200,
        )
        .await["data"]
        .clone();
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["name"], "first");
    assert_eq!(again["is_duplicate"], true);
    let private = v3
        .upload("c.txt", b"same".to_vec(), &[("network", "private")], 200)
        .await["data"]
        .clone();
    assert_ne!(private["id"], first["id"]);
    assert_eq!(private["is_duplicate"], false);
}

#[tokio::test]
async fn public_files_are_pins_and_private_files_stay_private() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let legacy = admin(&emulator);
    let public = v3.upload_public("pub.txt", b"public bytes".to_vec()).await;
    let private = v3
        .upload(
            "priv.txt",
            b"private bytes".to_vec(),
            &[("network", "private")],
            200,
        )
        .await["data"]
        .clone();
    let cid = |file: &serde_json::Value| file["cid"].as_str().unwrap().to_owned();
    // v3 public upload -> legacy pinList.
    let listed = legacy
        .get(
            &format!("/data/pinList?status=pinned&cid={}", cid(&public)),
            200,
        )
        .await;
    assert_eq!(listed["rows"][0]["id"], public["id"]);
    let listed = legacy
        .get(&format!("/data/pinList?cid={}", cid(&private)), 200)
        .await;
    assert_eq!(listed["rows"].as_array().unwrap().len(), 0);
    // The gateway serves the public file only.
    let gateway = &emulator.credentials().pinata.gateway_url;
    let got = http()
        .get(format!("{gateway}/ipfs/{}", cid(&public)))
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().as_ref(), b"public bytes");
    let got = http()
        .get(format!("{gateway}/ipfs/{}", cid(&private)))
        .send()
        .await
        .unwrap();
    assert_ne!(got.status(), 200);
    // Each network lists its own.
    let public_list = v3.api.get("/files/public", 200).await;
    let private_list = v3.api.get("/files/private", 200).await;
    assert_eq!(public_list["data"]["files"][0]["id"], public["id"]);
    assert_eq!(private_list["data"]["files"][0]["id"], private["id"]);
    assert_eq!(public_list["data"]["files"].as_array().unwrap().len(), 1);
    assert_eq!(private_list["data"]["files"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn legacy_pins_are_public_files() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let legacy = admin(&emulator);
    let pinned = legacy
        .call(
            reqwest::Method::POST,
            "/pinning/pinJSONToIPFS",
            Some(json!({"pinataContent": {"a": 1}, "pinataMetadata": {"name": "legacy", "keyvalues": {"k": "v"}}})),
            200,
        )
        .await;
    let cid = pinned["IpfsHash"].as_str().unwrap();
    let listed = v3.api.get(&format!("/files/public?cid={cid}"), 200).await;
    let file = &listed["data"]["files"][0];
    assert_eq!(file["name"], "legacy");
    assert_eq!(file["keyvalues"], json!({"k": "v"}));
    assert_eq!(pinned["ID"], file["id"]);
}
