//! Pinata operations of the library against the emulator: pin JSON and by CID, jobs
//! (driven to completion), metadata, pin policies, usage, v3 keys and groups.

use futures::TryStreamExt;
use pinion::api::pinata::types;
use pinion::pinata::{KeyFilter, PinJobsFilter, PinListFilter, PinOptions};
use pinion::scopes::pinata::PinataPermissions;
use pinion_emulator::Emulator;
use serde_json::json;

mod common;

#[tokio::test]
async fn jobs_metadata_policies_usage_keys_and_groups() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let pinata = common::pinata_client(&c, &c.pinata.jwt);

    // pinJSONToIPFS, then metadata merged (null removes a key).
    let pinned = pinata
        .pin_json(
            json!({"doc": 1}).as_object().unwrap().clone(),
            PinOptions {
                name: Some("doc".into()),
                keyvalues: json!({"a": "1", "b": "2"}).as_object().unwrap().clone(),
                ..PinOptions::default()
            },
        )
        .await
        .unwrap();
    let cid = pinned.ipfs_hash.clone();
    pinata
        .update_metadata(
            &cid,
            Some("renamed"),
            json!({"b": null, "c": 3}).as_object().unwrap().clone(),
        )
        .await
        .unwrap();
    let rows: Vec<_> = pinata
        .pins(PinListFilter {
            cid: Some(cid.clone()),
            ..PinListFilter::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rows[0].metadata.name.as_deref(), Some("renamed"));
    assert_eq!(
        rows[0].metadata.keyvalues.clone().unwrap(),
        *json!({"a": "1", "c": 3}).as_object().unwrap()
    );

    // Deprecated pin policies.
    let policy = types::PinPolicy {
        regions: vec![types::PinPolicyRegion {
            id: "FRA1".into(),
            desired_replication_count: 2,
        }],
        version: Some(1),
    };
    pinata
        .update_hash_pin_policy(&cid, policy.clone())
        .await
        .unwrap();
    pinata.update_user_pin_policy(policy).await.unwrap();
    let usage = pinata.usage().await.unwrap();
    assert_eq!(usage.pin_count, 1);

    // Pin by CID: a queued job, driven to completion through the emulator's control route.
    let unknown = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    let job = pinata
        .pin_by_hash(
            unknown,
            PinOptions {
                name: Some("remote".into()),
                ..PinOptions::default()
            },
        )
        .await
        .unwrap();
    let jobs: Vec<_> = pinata
        .pin_jobs(PinJobsFilter::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].ipfs_pin_hash, unknown);
    let driven = reqwest::Client::new()
        .post(format!(
            "{}/_emulator/pinata/jobs/{}",
            emulator.origin(),
            job.id
        ))
        .body(r#"{"status":"pinned"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(driven.status(), 200);
    assert!(pinata.is_pinned(unknown).await.unwrap());
    pinata.unpin(unknown).await.unwrap();
    assert!(!pinata.is_pinned(unknown).await.unwrap());

    // v3 keys: create, filter, revoke.
    let key = pinata
        .create_key_v3("v3 key", PinataPermissions::admin(), Some(5))
        .await
        .unwrap();
    let limited: Vec<_> = pinata
        .keys_v3(KeyFilter {
            limited_use: Some(true),
            ..KeyFilter::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(limited.len(), 1);
    pinata.revoke_key_v3(key.api_key()).await.unwrap();
    let revoked: Vec<_> = pinata
        .keys_v3(KeyFilter {
            revoked: Some(true),
            ..KeyFilter::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(revoked[0].key, key.api_key());
    let legacy: Vec<_> = pinata.api_keys().try_collect().await.unwrap();
    assert_eq!(legacy.len(), 2);

    // Groups.
    let group = pinata.create_group("Docs").await.unwrap();
    let id = group.id.to_string();
    pinata.update_group(&id, "Documents").await.unwrap();
    assert_eq!(pinata.get_group(&id).await.unwrap().name, "Documents");
    pinata
        .add_cids_to_group(&id, &[cid.as_str()])
        .await
        .unwrap();
    let members: Vec<_> = pinata
        .pins(PinListFilter {
            group_id: Some(id.clone()),
            ..PinListFilter::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(members.len(), 1);
    pinata
        .remove_cids_from_group(&id, &[cid.as_str()])
        .await
        .unwrap();
    let groups: Vec<_> = pinata
        .groups(Default::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(groups.len(), 1);
    pinata.delete_group(&id).await.unwrap();
    assert!(pinata.get_group(&id).await.is_err());
}
