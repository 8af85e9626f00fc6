//! What each endpoint answers: Pinata's recorded deviations from the standard (200 on
//! create, `info.pinata_pinjob_status`, `text/plain` `OK` on delete, its own error codes,
//! 429 with `Retry-After`), W3IPFS's standard answers, loopback delegates, routing by
//! host, and refusals of what the standard does not allow.

use reqwest::Method;
use serde_json::json;

use crate::client::{BOTH, Psa, Service, start, unknown_cid};

#[tokio::test]
async fn pinata_answers_as_recorded() {
    let emulator = start(false).await;
    let psa = Psa::new(&emulator, Service::Pinata);
    let created = psa
        .send(Method::POST, "/pins", Some(json!({"cid": unknown_cid(1)})))
        .await;
    assert_eq!(created.status, 200);
    let body = created.json();
    assert_eq!(body["status"], "queued");
    assert_eq!(body["info"]["pinata_pinjob_status"], "prechecking");
    assert_eq!(body["pin"]["origins"], json!([]));
    let id = body["requestid"].as_str().unwrap();

    let deleted = psa.delete(id).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.text, "OK");
    assert!(
        deleted.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let missing = psa.get(id).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.reason(), "OBJECT_NOT_FOUND");
    assert_eq!(
        missing.json()["error"]["details"],
        "Your account does not currently have any record associated with this ID"
    );
    assert_eq!(psa.delete(id).await.status, 404);
}

#[tokio::test]
async fn w3ipfs_answers_as_the_standard_says() {
    let emulator = start(false).await;
    let psa = Psa::new(&emulator, Service::W3ipfs);
    let created = psa
        .send(Method::POST, "/pins", Some(json!({"cid": unknown_cid(1)})))
        .await;
    assert_eq!(created.status, 202);
    let id = created.json()["requestid"].as_str().unwrap().to_owned();
    let deleted = psa.delete(&id).await;
    assert_eq!((deleted.status, deleted.text.as_str()), (202, ""));
    let missing = psa.get(&id).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.reason(), "NOT_FOUND");
    // A route the standard does not have: 404 in the same shape.
    let nowhere = psa.send(Method::GET, "/nowhere", None).await;
    assert_eq!(
        (nowhere.status, nowhere.reason()),
        (404, "NOT_FOUND".into())
    );
    // A Pinata request id is not a W3IPFS one.
    let pinata = Psa::new(&emulator, Service::Pinata);
    let pinata_id = pinata.add_cid(&unknown_cid(2)).await;
    assert_eq!(psa.get(&pinata_id).await.status, 404);
}

#[tokio::test]
async fn delegates_are_loopback_multiaddrs() {
    let emulator = start(false).await;
    for service in BOTH {
        let psa = Psa::new(&emulator, service);
        let created = psa.add(json!({"cid": unknown_cid(3)})).await;
        let delegates = created["delegates"].as_array().unwrap();
        assert_eq!(delegates.len(), 1);
        let delegate = delegates[0].as_str().unwrap();
        assert!(delegate.starts_with("/ip4/127.0.0.1/tcp/"), "{delegate}");
        assert_eq!(pinion_rules::psa::check_multiaddr(delegate), Ok(()));
    }
}

#[tokio::test]
async fn over_the_rate_limit_both_answer_429_with_retry_after() {
    let emulator = pinion_emulator::Emulator::builder()
        .rate_limit_per_minute(2)
        .start()
        .await
        .unwrap();
    for (service, reason) in [
        (Service::Pinata, "RATE_LIMITED"),
        (Service::W3ipfs, "RATE_LIMITED"),
    ] {
        let psa = Psa::new(&emulator, service);
        let mut last = None;
        for _ in 0..3 {
            last = Some(psa.send(Method::GET, "/pins", None).await);
        }
        let refused = last.unwrap();
        assert_eq!(refused.status, 429, "{service:?}");
        assert_eq!(refused.reason(), reason);
        assert!(refused.headers.contains_key("retry-after"), "{service:?}");
    }
}

#[tokio::test]
async fn the_real_hosts_route_to_the_psa() {
    let emulator = start(false).await;
    let c = emulator.credentials();
    for (host, path, token) in [
        ("api.pinata.cloud", "/psa/pins", &c.pinata.jwt),
        ("api.w3ipfs.aioz.network", "/api/psa/pins", &c.w3ipfs.jwt),
    ] {
        let answer = crate::common::http()
            .get(format!("{}{path}", emulator.origin()))
            .header("host", host)
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{host}");
        let body: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(body["count"], 0);
    }
}

#[tokio::test]
async fn what_the_standard_does_not_allow_is_refused_in_each_services_shape() {
    let emulator = start(false).await;
    let cid = unknown_cid(4);
    let bodies = [
        json!({"cid": "not a cid"}),
        json!({"name": "no cid"}),
        json!({"cid": cid, "name": "n".repeat(256)}),
        json!({"cid": cid, "origins": ["203.0.113.1:4001"]}),
        json!({"cid": cid, "origins": vec!["/ip4/203.0.113.1/tcp/4001"; 21]}),
        json!({"cid": cid, "meta": {"number": 1}}),
    ];
    for service in BOTH {
        let psa = Psa::new(&emulator, service);
        for body in &bodies {
            let refused = psa.send(Method::POST, "/pins", Some(body.clone())).await;
            assert_eq!(refused.status, 400, "{service:?} {body}: {}", refused.text);
            let reason = refused.reason();
            match service {
                Service::Pinata => assert!(
                    ["INVALID_CID", "INVALID_REQUEST"].contains(&reason.as_str()),
                    "{reason}"
                ),
                Service::W3ipfs => assert_eq!(reason, "BAD_REQUEST"),
            }
        }
        let not_json = psa.send(Method::POST, "/pins", None).await;
        assert_eq!(not_json.status, 400);
        assert_eq!(
            psa.list("status=queued,pinning,pinned,failed").await["count"],
            0,
            "nothing was created"
        );
    }
    // Pinata's meta is its keyvalues: at most 10.
    let eleven: serde_json::Map<String, serde_json::Value> =
        (0..11).map(|i| (format!("k{i}"), json!("v"))).collect();
    let pinata = Psa::new(&emulator, Service::Pinata);
    let refused = pinata
        .send(
            Method::POST,
            "/pins",
            Some(json!({"cid": cid, "meta": eleven})),
        )
        .await;
    assert_eq!(refused.status, 400);
    Psa::new(&emulator, Service::W3ipfs)
        .add(json!({"cid": cid, "meta": eleven}))
        .await;
}

#[tokio::test]
async fn w3ipfs_guard_refusals_are_failures_too() {
    let emulator = start(false).await;
    let psa = Psa::new(&emulator, Service::W3ipfs);
    // No token: refused before the body is read, in the standard's shape.
    let anonymous = psa
        .with_token(None)
        .send(Method::POST, "/pins", Some(json!({"cid": unknown_cid(5)})))
        .await;
    assert_eq!(
        (anonymous.status, anonymous.reason()),
        (401, "UNAUTHORIZED".into())
    );
    // A body over the JSON limit.
    let huge = json!({"cid": unknown_cid(5), "name": "x".repeat(10_000_001)});
    let refused = psa.send(Method::POST, "/pins", Some(huge)).await;
    assert_eq!(
        (refused.status, refused.reason()),
        (413, "PAYLOAD_TOO_LARGE".into())
    );
}
