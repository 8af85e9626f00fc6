//! Pinata v3 pins by CID (queue, list, cancel, wait until pinned or failed) and
//! groups (create, list with paging, get, update, add and remove files, delete)
//! through the library against the embedded emulator.

use std::time::Duration;

use futures::TryStreamExt;
use pinion::credentials::PinataCredentials;
use pinion::pinata_v3::{
    Client, FileFilter, GroupFilter, Network, PinByCidFilter, PinByCidOptions, PinByCidStatus,
};
use pinion::upload::UploadOptions;
use pinion::{Error, RateLimit};
use pinion_emulator::{AdminCredentials, Emulator};

fn v3_client(c: &AdminCredentials) -> Client {
    pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(&c.pinata.jwt))
        .rate_limit(RateLimit::unlimited())
        .build_v3()
        .unwrap()
}

/// CIDs the emulator has no content for.
const UNKNOWN: [&str; 2] = [
    "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
    "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
];

#[tokio::test]
async fn pins_by_cid_wait_until_pinned_and_stop_on_failure() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = v3_client(&c);
    // Content once published (a public file since deleted), pinned again by CID.
    let published = client
        .upload_json(
            Network::Public,
            &serde_json::json!({"known": true}),
            UploadOptions::default(),
        )
        .await
        .unwrap();
    client
        .delete_file(Network::Public, &published.id)
        .await
        .unwrap();
    let job = client
        .pin_by_cid(
            &published.cid,
            PinByCidOptions {
                name: Some("by cid".to_owned()),
                ..PinByCidOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(job.cid, published.cid);
    let file = tokio::time::timeout(
        Duration::from_secs(10),
        client.wait_until_pinned(&job, Duration::from_millis(10)),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(file.cid, published.cid);
    assert_eq!(
        client.pin_by_cid_status(&job.id, &job.cid).await.unwrap(),
        PinByCidStatus::Pinned
    );

    // Content nowhere: searching until a day passes, then expired, which ends the wait.
    let lost = client
        .pin_by_cid(UNKNOWN[0], PinByCidOptions::default())
        .await
        .unwrap();
    let status = client.pin_by_cid_status(&lost.id, &lost.cid).await.unwrap();
    assert!(matches!(status, PinByCidStatus::Working(_)), "{status:?}");
    emulator
        .advance_clock(Duration::from_secs(25 * 3600))
        .unwrap();
    let error = tokio::time::timeout(
        Duration::from_secs(10),
        client.wait_until_pinned(&lost, Duration::from_millis(10)),
    )
    .await
    .unwrap()
    .unwrap_err();
    assert!(
        matches!(&error, Error::PinJobFailed { status, .. } if status == "expired"),
        "{error}"
    );

    // A queued job can be cancelled.
    let cancelled = client
        .pin_by_cid(UNKNOWN[1], PinByCidOptions::default())
        .await
        .unwrap();
    let (jobs, _) = client
        .pin_by_cid_requests(&PinByCidFilter {
            cid: Some(UNKNOWN[1].to_owned()),
            ..PinByCidFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1);
    client.cancel_pin_by_cid(&cancelled.id).await.unwrap();
    let (jobs, _) = client
        .pin_by_cid_requests(&PinByCidFilter {
            cid: Some(UNKNOWN[1].to_owned()),
            ..PinByCidFilter::default()
        })
        .await
        .unwrap();
    assert!(jobs.is_empty(), "{jobs:?}");

    // Too many host nodes are refused before any request.
    let error = client
        .pin_by_cid(
            UNKNOWN[1],
            PinByCidOptions {
                host_nodes: vec!["/ip4/1.2.3.4/tcp/4001".to_owned(); 6],
                ..PinByCidOptions::default()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
}

#[tokio::test]
async fn groups_hold_files_of_their_network() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = v3_client(&c);
    let first = client
        .create_group(Network::Private, "first", None)
        .await
        .unwrap();
    let second = client
        .create_group(Network::Private, "second", Some(true))
        .await
        .unwrap();
    let all: Vec<_> = client
        .groups(
            Network::Private,
            GroupFilter {
                limit: Some(1),
                ..GroupFilter::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2, "two pages of one");
    let public_only: Vec<_> = client
        .groups(
            Network::Private,
            GroupFilter {
                public_only: true,
                ..GroupFilter::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(public_only.len(), 1);
    assert_eq!(public_only[0].id, second.id);
    let none: Vec<_> = client
        .groups(Network::Public, GroupFilter::default())
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty(), "groups live on their network");

    let renamed = client
        .update_group(Network::Private, &first.id, Some("renamed"), None)
        .await
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("renamed"));
    assert_eq!(
        client
            .group(Network::Private, &first.id)
            .await
            .unwrap()
            .name
            .as_deref(),
        Some("renamed")
    );

    let file = client
        .upload_json(
            Network::Private,
            &serde_json::json!({"in": "group"}),
            UploadOptions::default(),
        )
        .await
        .unwrap();
    client
        .add_to_group(Network::Private, &first.id, &file.id)
        .await
        .unwrap();
    let in_group: Vec<_> = client
        .files(Network::Private, FileFilter::default().group(&first.id))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(in_group.len(), 1);
    assert_eq!(in_group[0].id, file.id);
    client
        .remove_from_group(Network::Private, &first.id, &file.id)
        .await
        .unwrap();
    let in_group: Vec<_> = client
        .files(Network::Private, FileFilter::default().group(&first.id))
        .try_collect()
        .await
        .unwrap();
    assert!(in_group.is_empty());

    client
        .delete_group(Network::Private, &first.id)
        .await
        .unwrap();
    let gone = client.group(Network::Private, &first.id).await.unwrap_err();
    assert_eq!(gone.status(), Some(http::StatusCode::NOT_FOUND), "{gone}");
    // Deleting a group keeps its files.
    client.file(Network::Private, &file.id).await.unwrap();
}
