//! `/v3/files/public/pin_by_cid`: requests on the legacy job queue, listed with the
//! SDK's and the spec's parameters, driven to completion by the control route, where
//! they become public files.

mod common;

use common::pinata::admin;
use common::v3::{V3, v3_error};
use common::{file_fixtures, http, start};
use reqwest::Method;
use serde_json::{Value, json};

const CID: &str = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

fn job_ids(list: &Value) -> Vec<String> {
    list["data"]["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|job| job["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn drive(emulator: &pinion_emulator::RunningEmulator, id: &str, status: &str) {
    let origin = emulator
        .credentials()
        .pinata
        .base_url
        .trim_end_matches("/pinata")
        .to_owned();
    let response = http()
        .post(format!("{origin}/_emulator/pinata/jobs/{id}"))
        .json(&json!({ "status": status }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_request_is_queued_and_becomes_a_public_file() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let made = v3
        .api
        .call(
            Method::POST,
            "/files/public/pin_by_cid",
            Some(json!({"cid": CID, "keyvalues": {"k": "v"}})),
            200,
        )
        .await["data"]
        .clone();
    assert_eq!(made["status"], "prechecking");
    assert_eq!(made["name"], CID);
    assert_eq!(made["keyvalues"], json!({"k": "v"}));
    // The legacy queue holds it too.
    let legacy = admin(&emulator).get("/pinning/pinJobs", 200).await;
    assert_eq!(legacy["rows"][0]["id"], made["id"]);
    drive(&emulator, made["id"].as_str().unwrap(), "pinned").await;
    let queue = v3.api.get("/files/public/pin_by_cid", 200).await;
    assert!(job_ids(&queue).is_empty());
    let files = v3.api.get(&format!("/files/public?cid={CID}"), 200).await;
    assert_eq!(files["data"]["files"][0]["name"], CID);
    assert_eq!(files["data"]["files"][0]["keyvalues"], json!({"k": "v"}));
}

#[tokio::test]
async fn the_queue_lists_with_the_sdk_and_spec_parameters() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let mut ids = Vec::new();
    // CIDs of content the emulator does not have: every job keeps searching.
    let cids: Vec<String> = file_fixtures(300_000)
        .into_iter()
        .map(|fixture| fixture.v1.0)
        .take(5)
        .collect();
    assert_eq!(cids.len(), 5);
    for (n, cid) in cids.iter().enumerate() {
        let made = v3
            .api
            .call(
                Method::POST,
                "/files/public/pin_by_cid",
                Some(json!({"cid": cid, "name": format!("job {n}")})),
                200,
            )
            .await;
        ids.push(made["data"]["id"].as_str().unwrap().to_owned());
    }
    let ascending = v3
        .api
        .get("/files/public/pin_by_cid?sort=ASC&includesCount=false", 200)
        .await;
    assert_eq!(job_ids(&ascending), ids);
    let mut descending = ids.clone();
    descending.reverse();
    assert_eq!(
        job_ids(&v3.api.get("/files/public/pin_by_cid?sort=DSC", 200).await),
        descending
    );
    assert_eq!(
        job_ids(&v3.api.get("/files/public/pin_by_cid?order=DESC", 200).await),
        descending
    );
    // Paging.
    let pages = v3.pages("/files/public/pin_by_cid?order=ASC&limit=2").await;
    let seen: Vec<_> = pages.iter().flat_map(job_ids).collect();
    assert_eq!(seen, ids);
    // Filters: the first read moved every job to `searching` (no content here).
    drive(&emulator, &ids[0], "expired").await;
    let expired = v3
        .api
        .get("/files/public/pin_by_cid?status=expired", 200)
        .await;
    assert_eq!(job_ids(&expired), [ids[0].clone()]);
    let by_cid = v3
        .api
        .get(&format!("/files/public/pin_by_cid?cid={}", cids[3]), 200)
        .await;
    assert_eq!(job_ids(&by_cid), [ids[3].clone()]);
    for bad in ["limit=251", "limit=0", "sort=UP", "status=done"] {
        let body = v3
            .api
            .get(&format!("/files/public/pin_by_cid?{bad}"), 400)
            .await;
        assert_eq!(v3_error(&body).0, 400, "{bad}");
    }
}

#[tokio::test]
async fn requests_are_cancelled_and_bad_ones_refused() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let made = v3
        .api
        .call(
            Method::POST,
            "/files/public/pin_by_cid",
            Some(json!({"cid": CID})),
            200,
        )
        .await;
    let path = format!(
        "/files/public/pin_by_cid/{}",
        made["data"]["id"].as_str().unwrap()
    );
    assert_eq!(
        v3.api.call(Method::DELETE, &path, None, 200).await,
        json!({"data": null})
    );
    v3.api.call(Method::DELETE, &path, None, 404).await;
    for body in [
        json!({"cid": "not a cid"}),
        json!({"name": "no cid"}),
        json!({"cid": CID, "host_nodes": ["not a multiaddr"]}),
        json!({"cid": CID, "group_id": "no-such-group"}),
    ] {
        let refused = v3
            .api
            .call(
                Method::POST,
                "/files/public/pin_by_cid",
                Some(body.clone()),
                400,
            )
            .await;
        assert_eq!(v3_error(&refused).0, 400, "{body}");
    }
    // Reading the queue needs files:read, creating files:write.
    let reader = v3.key(json!({"resources": ["org:files:read"]}), None).await;
    reader.api.get("/files/public/pin_by_cid", 200).await;
    reader
        .api
        .call(
            Method::POST,
            "/files/public/pin_by_cid",
            Some(json!({"cid": CID})),
            403,
        )
        .await;
}
