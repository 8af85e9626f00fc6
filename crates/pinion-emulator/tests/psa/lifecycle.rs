//! A request's life on both services: content held publicly is retrieved and pinned
//! (and shows in the service's own pin list), content held only privately never is,
//! unknown content waits for the control route or `--psa-retrievable`, and deletes and
//! replaces end requests.

use reqwest::Method;
use serde_json::json;

use crate::client::{
    BOTH, Psa, Service, held_privately, held_publicly, in_own_pin_list, start, unknown_cid,
};

#[tokio::test]
async fn content_held_publicly_is_pinned_and_shows_in_the_services_own_list() {
    let emulator = start(false).await;
    for service in BOTH {
        let psa = Psa::new(&emulator, service);
        let cid = held_publicly(
            &emulator,
            service,
            format!("held by {service:?}").as_bytes(),
        )
        .await;
        assert!(!in_own_pin_list(&emulator, service, &cid).await);
        let created = psa
            .add(json!({"cid": cid, "name": "held", "meta": {"app": "t"}}))
            .await;
        assert_eq!(created["status"], "queued", "{created}");
        assert_eq!(created["pin"]["cid"], cid.as_str());
        assert_eq!(created["pin"]["name"], "held");
        assert_eq!(created["pin"]["meta"]["app"], "t");
        let id = created["requestid"].as_str().unwrap();
        // Each request moves the queue one step; within a few the content is found.
        let mut seen = Vec::new();
        for _ in 0..4 {
            let status = psa.status(id).await;
            if seen.last() != Some(&status) {
                seen.push(status);
            }
        }
        assert_eq!(seen.last().map(String::as_str), Some("pinned"), "{seen:?}");
        assert!(
            in_own_pin_list(&emulator, service, &cid).await,
            "{service:?}"
        );

        let deleted = psa.delete(id).await;
        assert_eq!(deleted.status, service.deleted(), "{}", deleted.text);
        assert_eq!(psa.get(id).await.status, 404);
        assert!(
            !in_own_pin_list(&emulator, service, &cid).await,
            "{service:?}"
        );
    }
}

#[tokio::test]
async fn unknown_content_stays_queued_until_the_control_route_drives_it() {
    let emulator = start(false).await;
    for service in BOTH {
        let psa = Psa::new(&emulator, service);
        let cid = unknown_cid(1);
        let id = psa.add_cid(&cid).await;
        for _ in 0..5 {
            assert_eq!(psa.status(&id).await, "queued");
        }
        assert_eq!(psa.drive(&id, "pinning").await, 200);
        // Pinata's `pinning` is the job status `retrieving`: the content was found, and
        // the next step completes it, as for any job. W3IPFS's waits.
        let after_pinning = match service {
            Service::Pinata => "pinned",
            Service::W3ipfs => "pinning",
        };
        assert_eq!(psa.status(&id).await, after_pinning);
        assert_eq!(psa.drive(&id, "pinned").await, 200);
        assert_eq!(psa.status(&id).await, "pinned");
        assert!(in_own_pin_list(&emulator, service, &cid).await);

        let failing = psa.add_cid(&unknown_cid(2)).await;
        assert_eq!(psa.drive(&failing, "failed").await, 200);
        let failed = psa.get(&failing).await.json();
        assert_eq!(failed["status"], "failed");
        let listed = psa.list("status=failed").await;
        assert_eq!(Psa::ids(&listed), vec![failing.clone()]);
        // The default list is pinned requests only.
        assert_eq!(Psa::ids(&psa.list("").await), vec![id.clone()]);
        // A failed request can be deleted like any other.
        assert_eq!(psa.delete(&failing).await.status, service.deleted());
        assert_eq!(psa.get(&failing).await.status, 404);
        // Bad control requests.
        assert_eq!(psa.drive(&failing, "pinned").await, 404);
        assert_eq!(psa.drive(&id, "done").await, 400);
    }
}

#[tokio::test]
async fn pinata_failed_requests_mirror_their_job_status() {
    let emulator = start(false).await;
    let psa = Psa::new(&emulator, Service::Pinata);
    let created = psa.add(json!({"cid": unknown_cid(3)})).await;
    assert_eq!(created["info"]["pinata_pinjob_status"], "prechecking");
    let id = created["requestid"].as_str().unwrap();
    // The request is a pin-by-CID job: it shows in pinJobs under the same id, and the
    // job control route drives it too.
    let jobs = crate::common::Api::pinata(&emulator)
        .get("/pinning/pinJobs", 200)
        .await;
    assert_eq!(jobs["rows"][0]["id"], id);
    let driven = crate::common::http()
        .post(format!("{}/_emulator/pinata/jobs/{id}", emulator.origin()))
        .body(json!({"status": "expired"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(driven.status(), 200);
    let failed = psa.get(id).await.json();
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["info"]["pinata_pinjob_status"], "expired");
}

#[tokio::test]
async fn content_held_only_privately_is_never_pinned() {
    for retrievable in [false, true] {
        let emulator = start(retrievable).await;
        let cid = held_privately(&emulator, b"a private file").await;
        for service in BOTH {
            let psa = Psa::new(&emulator, service);
            let id = psa.add_cid(&cid).await;
            for _ in 0..4 {
                assert_eq!(psa.status(&id).await, "queued", "{service:?}");
            }
            assert_eq!(psa.drive(&id, "pinned").await, 409, "{service:?}");
            assert_eq!(psa.status(&id).await, "queued");
            assert!(!in_own_pin_list(&emulator, service, &cid).await);
        }
    }
}

#[tokio::test]
async fn psa_retrievable_pins_unknown_content_at_its_next_step() {
    let emulator = start(true).await;
    for service in BOTH {
        let psa = Psa::new(&emulator, service);
        let cid = unknown_cid(4);
        let id = psa.add_cid(&cid).await;
        let mut status = String::new();
        for _ in 0..3 {
            status = psa.status(&id).await;
        }
        assert_eq!(status, "pinned", "{service:?}");
        assert!(in_own_pin_list(&emulator, service, &cid).await);
    }
    // Without the flag the same request stays queued (the test above).
}

#[tokio::test]
async fn replace_makes_a_new_request_and_removes_the_old() {
    let emulator = start(true).await;
    for service in BOTH {
        let psa = Psa::new(&emulator, service);
        let (old_cid, new_cid) = (unknown_cid(10), unknown_cid(11));
        let old = psa.add_cid(&old_cid).await;
        for _ in 0..3 {
            psa.status(&old).await;
        }
        assert!(in_own_pin_list(&emulator, service, &old_cid).await);
        let answer = psa
            .send(
                Method::POST,
                &format!("/pins/{old}"),
                Some(json!({"cid": new_cid, "name": "new"})),
            )
            .await;
        assert_eq!(answer.status, service.created(), "{}", answer.text);
        let replaced = answer.json();
        let new = replaced["requestid"].as_str().unwrap();
        assert_ne!(new, old);
        assert_eq!(replaced["pin"]["cid"], new_cid.as_str());
        assert_eq!(psa.get(&old).await.status, 404);
        assert_eq!(psa.get(new).await.status, 200);
        assert!(!in_own_pin_list(&emulator, service, &old_cid).await);
        // Replacing what is gone is 404, and creates nothing.
        let before = psa.list("status=queued,pinning,pinned,failed").await["count"].clone();
        let gone = psa
            .send(
                Method::POST,
                &format!("/pins/{old}"),
                Some(json!({"cid": new_cid})),
            )
            .await;
        assert_eq!(gone.status, 404);
        assert_eq!(
            psa.list("status=queued,pinning,pinned,failed").await["count"],
            before
        );
    }
}

#[tokio::test]
async fn created_is_strictly_increasing_even_within_a_millisecond() {
    let emulator = start(false).await;
    for service in BOTH {
        let psa = Psa::new(&emulator, service);
        let mut last = None;
        for n in 0..40 {
            let created = psa.add(json!({"cid": unknown_cid(100 + n)})).await;
            let time: chrono::DateTime<chrono::Utc> =
                created["created"].as_str().unwrap().parse().unwrap();
            if let Some(last) = last {
                assert!(time > last, "{time} after {last}");
            }
            last = Some(time);
        }
        // Concurrent requests too.
        let adds = (0..20).map(|n| {
            let psa = psa.clone();
            async move { psa.add(json!({"cid": unknown_cid(200 + n)})).await }
        });
        let created: std::collections::BTreeSet<String> = futures::future::join_all(adds)
            .await
            .iter()
            .map(|pin| pin["created"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(created.len(), 20);
    }
}

#[tokio::test]
async fn requests_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut ids = Vec::new();
    let last_created;
    {
        let emulator = pinion_emulator::Emulator::builder()
            .state_dir(dir.path())
            .start()
            .await
            .unwrap();
        for service in BOTH {
            let psa = Psa::new(&emulator, service);
            ids.push((service, psa.add_cid(&unknown_cid(300)).await));
        }
        let psa = Psa::new(&emulator, Service::W3ipfs);
        let created = psa.add(json!({"cid": unknown_cid(301)})).await;
        last_created = created["created"].as_str().unwrap().to_owned();
        emulator.shutdown().await;
    }
    let emulator = pinion_emulator::Emulator::builder()
        .state_dir(dir.path())
        .start()
        .await
        .unwrap();
    for (service, id) in &ids {
        let psa = Psa::new(&emulator, *service);
        assert_eq!(psa.status(id).await, "queued", "{service:?}");
        assert_eq!(psa.drive(id, "pinned").await, 200);
    }
    let psa = Psa::new(&emulator, Service::W3ipfs);
    let created = psa.add(json!({"cid": unknown_cid(302)})).await;
    assert!(created["created"].as_str().unwrap() > last_created.as_str());
}
