//! `/v3/groups/{network}`: CRUD, list filters and paging, files in and out, one set
//! with the legacy `/groups`.

mod common;

use common::pinata::admin;
use common::start;
use common::v3::{V3, v3_error};
use reqwest::Method;
use serde_json::{Value, json};

async fn create(v3: &V3, network: &str, body: Value) -> Value {
    v3.api
        .call(Method::POST, &format!("/groups/{network}"), Some(body), 200)
        .await["data"]
        .clone()
}

fn names(list: &Value) -> Vec<String> {
    list["data"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn groups_are_created_listed_updated_and_deleted() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let made = create(&v3, "public", json!({"name": "Photos"})).await;
    assert_eq!(made["is_public"], false);
    assert!(made["created_at"].is_string());
    let path = format!("/groups/public/{}", made["id"].as_str().unwrap());
    assert_eq!(v3.api.get(&path, 200).await["data"], made);
    let updated = v3
        .api
        .call(
            Method::PUT,
            &path,
            Some(json!({"name": "Pictures", "is_public": true})),
            200,
        )
        .await;
    assert_eq!(updated["data"]["name"], "Pictures");
    assert_eq!(updated["data"]["is_public"], true);
    // Not on the other network.
    v3.api
        .get(
            &format!("/groups/private/{}", made["id"].as_str().unwrap()),
            404,
        )
        .await;
    let deleted = v3.api.call(Method::DELETE, &path, None, 200).await;
    assert_eq!(deleted, json!({"data": null}));
    let body = v3.api.get(&path, 404).await;
    assert_eq!(v3_error(&body).0, 404);
    v3.api
        .call(
            Method::POST,
            "/groups/public",
            Some(json!({"name": ""})),
            400,
        )
        .await;
    v3.api
        .call(
            Method::POST,
            "/groups/public",
            Some(json!({"nom": "x"})),
            400,
        )
        .await;
}

#[tokio::test]
async fn the_list_filters_and_pages() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    for n in 0..5 {
        create(
            &v3,
            "private",
            json!({"name": format!("set {n}"), "is_public": n % 2 == 0}),
        )
        .await;
    }
    create(&v3, "public", json!({"name": "elsewhere"})).await;
    let all = v3.api.get("/groups/private", 200).await;
    assert_eq!(names(&all), ["set 4", "set 3", "set 2", "set 1", "set 0"]);
    assert_eq!(all["data"]["next_page_token"], "");
    assert_eq!(
        names(&v3.api.get("/groups/private?isPublic=true", 200).await),
        ["set 4", "set 2", "set 0"]
    );
    assert_eq!(
        names(&v3.api.get("/groups/private?name=SET%203", 200).await),
        ["set 3"]
    );
    let pages = v3.pages("/groups/private?limit=2").await;
    let seen: Vec<_> = pages.iter().flat_map(names).collect();
    assert_eq!(seen, names(&all));
    v3.api.get("/groups/private?limit=0", 400).await;
    v3.api.get("/groups/private?isPublic=yes", 400).await;
}

#[tokio::test]
async fn files_join_and_leave_groups_of_their_network() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let group = create(&v3, "private", json!({"name": "docs"})).await;
    let group_id = group["id"].as_str().unwrap();
    let private = v3
        .upload("a.txt", b"a".to_vec(), &[("network", "private")], 200)
        .await["data"]
        .clone();
    let public = v3.upload_public("b.txt", b"b".to_vec()).await;
    let member = |file: &Value| {
        format!(
            "/groups/private/{group_id}/ids/{}",
            file["id"].as_str().unwrap()
        )
    };
    let added = v3.api.call(Method::PUT, &member(&private), None, 200).await;
    assert_eq!(added, json!({"data": null}));
    let listed = v3
        .api
        .get(&format!("/files/private?group={group_id}"), 200)
        .await;
    assert_eq!(listed["data"]["files"][0]["id"], private["id"]);
    // A public file is not on the private network.
    v3.api.call(Method::PUT, &member(&public), None, 404).await;
    // Uploads may name the group, on its network only.
    let uploaded = v3
        .upload(
            "c.txt",
            b"c".to_vec(),
            &[("network", "private"), ("group_id", group_id)],
            200,
        )
        .await;
    assert_eq!(uploaded["data"]["group_id"], group_id);
    v3.upload(
        "d.txt",
        b"d".to_vec(),
        &[("network", "public"), ("group_id", group_id)],
        400,
    )
    .await;
    v3.api
        .call(Method::DELETE, &member(&private), None, 200)
        .await;
    v3.api
        .call(Method::DELETE, &member(&private), None, 404)
        .await;
    // Deleting the group keeps its files, outside any group.
    v3.api
        .call(
            Method::DELETE,
            &format!("/groups/private/{group_id}"),
            None,
            200,
        )
        .await;
    let file = v3
        .api
        .get(
            &format!(
                "/files/private/{}",
                uploaded["data"]["id"].as_str().unwrap()
            ),
            200,
        )
        .await;
    assert!(file["data"]["group_id"].is_null());
}

#[tokio::test]
async fn v3_and_legacy_groups_are_one_set() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let legacy = admin(&emulator);
    let public = create(&v3, "public", json!({"name": "shared"})).await;
    let private = create(&v3, "private", json!({"name": "hidden"})).await;
    let legacy_list = legacy.get("/groups", 200).await;
    let legacy_ids: Vec<&Value> = legacy_list
        .as_array()
        .unwrap()
        .iter()
        .map(|g| &g["id"])
        .collect();
    assert_eq!(legacy_ids, [&public["id"]]);
    legacy
        .get(&format!("/groups/{}", private["id"].as_str().unwrap()), 404)
        .await;
    let made = legacy
        .call(
            Method::POST,
            "/groups",
            Some(json!({"name": "from legacy"})),
            200,
        )
        .await;
    let got = v3
        .api
        .get(
            &format!("/groups/public/{}", made["id"].as_str().unwrap()),
            200,
        )
        .await;
    assert_eq!(got["data"]["name"], "from legacy");
}

#[tokio::test]
async fn group_routes_need_group_scopes() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let files_only = v3
        .key(json!({"resources": ["org:files:write"]}), None)
        .await;
    let body = files_only.api.get("/groups/public", 403).await;
    assert!(v3_error(&body).1.contains("org:groups:read"), "{body}");
    let reader = v3
        .key(json!({"resources": ["org:groups:read"]}), None)
        .await;
    reader.api.get("/groups/public", 200).await;
    let body = reader
        .api
        .call(
            Method::POST,
            "/groups/public",
            Some(json!({"name": "x"})),
            403,
        )
        .await;
    assert!(v3_error(&body).1.contains("org:groups:write"), "{body}");
}
