//! `GET /v3/files/{network}` with its filters and keyset paging, and get / update /
//! delete of one file, on both networks.

mod common;

use common::pinata::admin;
use common::start;
use common::v3::{V3, v3_error};
use reqwest::Method;
use serde_json::{Value, json};

fn ids(list: &Value) -> Vec<String> {
    list["data"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn upload(v3: &V3, network: &str, name: &str, keyvalues: Value) -> Value {
    let keyvalues = keyvalues.to_string();
    v3.upload(
        &format!("{name}.txt"),
        name.as_bytes().to_vec(),
        &[
            ("network", network),
            ("name", name),
            ("keyvalues", &keyvalues),
        ],
        200,
    )
    .await["data"]
        .clone()
}

#[tokio::test]
async fn every_filter_narrows_the_list() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let group = admin(&emulator)
        .call(Method::POST, "/groups", Some(json!({"name": "g"})), 200)
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let alpha = upload(&v3, "public", "alpha", json!({"env": "prod", "team": "a"})).await;
    let beta = upload(&v3, "public", "beta", json!({"env": "prod", "team": "b"})).await;
    let json_file = v3
        .upload(
            "data.json",
            b"{}".to_vec(),
            &[("network", "public"), ("group_id", &group)],
            200,
        )
        .await["data"]
        .clone();
    let id = |file: &Value| file["id"].as_str().unwrap().to_owned();
    let list = |query: String| {
        let v3 = v3.clone();
        async move { ids(&v3.api.get(&format!("/files/public?{query}"), 200).await) }
    };
    assert_eq!(list("name=alp".into()).await, [id(&alpha)]);
    assert_eq!(
        list(format!("cid={}", beta["cid"].as_str().unwrap())).await,
        [id(&beta)]
    );
    assert_eq!(list(format!("group={group}")).await, [id(&json_file)]);
    assert_eq!(
        list("group=null&order=ASC".into()).await,
        [id(&alpha), id(&beta)]
    );
    assert_eq!(
        list("mimeType=application/json".into()).await,
        [id(&json_file)]
    );
    assert_eq!(
        list("keyvalues[env]=prod&order=ASC".into()).await,
        [id(&alpha), id(&beta)]
    );
    // keyvalues and metadata spellings, ANDed with each other and with the rest.
    assert_eq!(
        list("keyvalues[env]=prod&metadata[team]=b".into()).await,
        [id(&beta)]
    );
    assert_eq!(
        list("metadata[team]=b&name=alpha".into()).await,
        Vec::<String>::new()
    );
    assert_eq!(list("cidPending=true".into()).await, Vec::<String>::new());
    assert_eq!(
        list("order=DESC".into()).await,
        [id(&json_file), id(&beta), id(&alpha)]
    );
    for bad in [
        "order=UP",
        "limit=0",
        "limit=x",
        "cidPending=maybe",
        "pageToken=bm9wZQ==",
    ] {
        let body = v3.api.get(&format!("/files/public?{bad}"), 400).await;
        assert_eq!(v3_error(&body).0, 400, "{bad}");
    }
}

#[tokio::test]
async fn pages_follow_next_page_token_to_an_empty_one() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let mut made = Vec::new();
    for n in 0..7 {
        made.push(upload(&v3, "private", &format!("file{n}"), json!({})).await["id"].clone());
    }
    for ascending in [true, false] {
        let order = if ascending { "ASC" } else { "DESC" };
        let pages = v3
            .pages(&format!("/files/private?limit=3&order={order}"))
            .await;
        let seen: Vec<_> = pages.iter().flat_map(ids).collect();
        let mut expected: Vec<String> = made
            .iter()
            .map(|id| id.as_str().unwrap().to_owned())
            .collect();
        if !ascending {
            expected.reverse();
        }
        assert_eq!(seen, expected, "{order}");
    }
    // A page token stays valid when its file is deleted in between.
    let first = v3.api.get("/files/private?limit=2&order=ASC", 200).await;
    let token = first["data"]["next_page_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let last = ids(&first)[1].clone();
    v3.api
        .call(Method::DELETE, &format!("/files/private/{last}"), None, 200)
        .await;
    let next = v3
        .api
        .get(
            &format!("/files/private?limit=2&order=ASC&pageToken={token}"),
            200,
        )
        .await;
    assert_eq!(ids(&next)[0], made[2].as_str().unwrap());
}

#[tokio::test]
async fn update_merges_keyvalues_and_renames() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    for network in ["public", "private"] {
        let file = upload(
            &v3,
            network,
            "doc",
            json!({"keep": "1", "drop": "2", "change": "3"}),
        )
        .await;
        let path = format!("/files/{network}/{}", file["id"].as_str().unwrap());
        let updated = v3
            .api
            .call(
                Method::PUT,
                &path,
                Some(json!({
                    "name": "renamed",
                    "keyvalues": {"drop": null, "change": "new", "add": "4"},
                    "expires_at": 4102444800u64
                })),
                200,
            )
            .await;
        assert_eq!(updated["data"]["name"], "renamed");
        assert_eq!(
            updated["data"]["keyvalues"],
            json!({"keep": "1", "change": "new", "add": "4"})
        );
        let got = v3.api.get(&path, 200).await;
        assert_eq!(got["data"], updated["data"]);
        let past = v3
            .api
            .call(Method::PUT, &path, Some(json!({"expires_at": 1})), 400)
            .await;
        assert_eq!(v3_error(&past).0, 400);
        let too_many: serde_json::Map<String, Value> =
            (0..10).map(|n| (format!("k{n}"), json!("v"))).collect();
        v3.api
            .call(
                Method::PUT,
                &path,
                Some(json!({"keyvalues": too_many})),
                400,
            )
            .await;
    }
    // The legacy view of a public file follows.
    let file = upload(&v3, "public", "seen", json!({})).await;
    v3.api
        .call(
            Method::PUT,
            &format!("/files/public/{}", file["id"].as_str().unwrap()),
            Some(json!({"name": "legacy sees this"})),
            200,
        )
        .await;
    let pins = admin(&emulator)
        .get(
            &format!("/data/pinList?cid={}", file["cid"].as_str().unwrap()),
            200,
        )
        .await;
    assert_eq!(pins["rows"][0]["metadata"]["name"], "legacy sees this");
}

#[tokio::test]
async fn delete_removes_the_file_on_its_network_only() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let public = upload(&v3, "public", "pub", json!({})).await;
    let private = upload(&v3, "private", "priv", json!({})).await;
    let public_id = public["id"].as_str().unwrap();
    let private_id = private["id"].as_str().unwrap();
    // The other network does not have them.
    v3.api
        .get(&format!("/files/private/{public_id}"), 404)
        .await;
    v3.api
        .call(
            Method::DELETE,
            &format!("/files/public/{private_id}"),
            None,
            404,
        )
        .await;
    let deleted = v3
        .api
        .call(
            Method::DELETE,
            &format!("/files/public/{public_id}"),
            None,
            200,
        )
        .await;
    assert_eq!(deleted, json!({"data": null}));
    v3.api.get(&format!("/files/public/{public_id}"), 404).await;
    assert!(ids(&v3.api.get("/files/public", 200).await).is_empty());
    let pins = admin(&emulator)
        .get(
            &format!(
                "/data/pinList?status=pinned&cid={}",
                public["cid"].as_str().unwrap()
            ),
            200,
        )
        .await;
    assert_eq!(pins["count"], 0);
    v3.api
        .call(
            Method::DELETE,
            &format!("/files/private/{private_id}"),
            None,
            200,
        )
        .await;
    assert!(ids(&v3.api.get("/files/private", 200).await).is_empty());
    // Uploading the same bytes again makes a new file.
    let again = upload(&v3, "private", "priv", json!({})).await;
    assert_eq!(again["is_duplicate"], false);
    assert_ne!(again["id"], private["id"]);
}

#[tokio::test]
async fn files_past_expires_at_are_deleted() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let now = chrono::Utc::now().timestamp();
    let soon = (now + 60).to_string();
    let later = (now + 3600).to_string();
    let mut made = Vec::new();
    for (network, at) in [("public", &soon), ("private", &soon), ("public", &later)] {
        let file = v3
            .upload(
                &format!("{network}{at}.txt"),
                format!("{network} {at}").into_bytes(),
                &[("network", network), ("expires_at", at)],
                200,
            )
            .await["data"]
            .clone();
        made.push(file);
    }
    let origin = emulator.origin();
    let advanced = common::http()
        .post(format!("{origin}/_emulator/clock/advance"))
        .json(&json!({"seconds": 120}))
        .send()
        .await
        .unwrap();
    assert!(advanced.status().is_success());
    // Gone from the legacy list first: pinList sweeps too.
    let pins = admin(&emulator)
        .get(
            &format!(
                "/data/pinList?status=pinned&cid={}",
                made[0]["cid"].as_str().unwrap()
            ),
            200,
        )
        .await;
    assert_eq!(pins["count"], 0);
    assert_eq!(
        ids(&v3.api.get("/files/public", 200).await),
        [made[2]["id"].as_str().unwrap()]
    );
    assert!(ids(&v3.api.get("/files/private", 200).await).is_empty());
    v3.api
        .get(
            &format!("/files/private/{}", made[1]["id"].as_str().unwrap()),
            404,
        )
        .await;
}

#[tokio::test]
async fn v3_state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let start_in = |dir: std::path::PathBuf| async move {
        pinion_emulator::Emulator::builder()
            .state_dir(&dir)
            .start()
            .await
            .unwrap()
    };
    let emulator = start_in(dir.path().to_owned()).await;
    let v3 = V3::admin(&emulator);
    let group = v3.group("private", "kept").await;
    let private = v3
        .upload(
            "p.txt",
            b"kept private".to_vec(),
            &[("network", "private"), ("group_id", &group)],
            200,
        )
        .await["data"]
        .clone();
    let public = v3.upload_public("q.txt", b"kept public".to_vec()).await;
    let cid = public["cid"].as_str().unwrap().to_owned();
    v3.api
        .call(
            Method::PUT,
            &format!("/files/public/swap/{cid}"),
            Some(json!({"swap_cid": cid})),
            200,
        )
        .await;
    v3.api
        .call(
            Method::POST,
            &format!("/files/public/signature/{cid}"),
            Some(json!({"signature": "0xabc", "address": "0xdef"})),
            200,
        )
        .await;
    emulator.shutdown().await;

    let emulator = start_in(dir.path().to_owned()).await;
    let v3 = V3::admin(&emulator);
    let got = v3
        .api
        .get(
            &format!("/files/private/{}", private["id"].as_str().unwrap()),
            200,
        )
        .await;
    assert_eq!(got["data"]["group_id"], group);
    v3.api.get(&format!("/groups/private/{group}"), 200).await;
    let history = v3
        .api
        .get(&format!("/files/public/swap/{cid}?domain=gw"), 200)
        .await;
    assert_eq!(history["data"].as_array().unwrap().len(), 1);
    v3.api
        .get(&format!("/files/public/signature/{cid}"), 200)
        .await;
    emulator.shutdown().await;
}
