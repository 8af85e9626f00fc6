//! W3IPFS and Submarine operations of the library against the emulator.

use futures::TryStreamExt;
use pinion::RateLimit;
use pinion::credentials::{SubmarineCredentials, W3ipfsCredentials};
use pinion::scopes::w3ipfs::W3ipfsScopes;
use pinion::upload::{UploadOptions, UploadSource};
use pinion_emulator::Emulator;
use serde_json::{Map, json};

#[tokio::test]
async fn w3ipfs_keys_pins_nfts_account_and_gateways() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let w3 = pinion::w3ipfs::Client::builder()
        .base_url(&c.w3ipfs.base_url)
        .credentials(W3ipfsCredentials::jwt(&c.w3ipfs.jwt))
        .rate_limit(RateLimit::unlimited())
        .build()
        .unwrap();

    let key = w3
        .create_api_key("lib key", W3ipfsScopes::admin())
        .await
        .unwrap();
    let keys: Vec<_> = w3.api_keys().try_collect().await.unwrap();
    assert_eq!(keys.len(), 2);
    let id = keys.iter().find(|k| k.name == "lib key").unwrap().id;
    drop(key);
    w3.delete_api_key(id).await.unwrap();
    assert!(
        w3.create_api_key("Default", W3ipfsScopes::admin())
            .await
            .is_err()
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(&file, "w3ipfs bytes").unwrap();
    let uploaded = w3
        .upload(
            UploadSource::File(file),
            UploadOptions::default().verify(true),
        )
        .await
        .unwrap();
    assert!(uploaded.verified);
    let pin_id: uuid::Uuid = uploaded.id.clone().unwrap().parse().unwrap();
    let pin = w3.get_pin(pin_id).await.unwrap();
    assert_eq!(pin.status, "DONE");
    w3.update_pin_metadata(pin_id, Some("renamed"), Map::new())
        .await
        .unwrap();
    assert_eq!(
        w3.get_pin(pin_id).await.unwrap().metadata.name.as_deref(),
        Some("renamed")
    );
    assert!(w3.find_pinned(&uploaded.cid).await.unwrap().is_some());
    let by_hash = w3
        .pin_by_hash(
            "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
            Some("remote"),
            Map::new(),
        )
        .await
        .unwrap();
    assert_eq!(by_hash.status, "RETRIEVAL");
    let pins: Vec<_> = w3.pins(Default::default()).try_collect().await.unwrap();
    assert_eq!(pins.len(), 2);
    w3.unpin(pin_id).await.unwrap();
    assert!(!w3.get_pin(pin_id).await.unwrap().pinned);

    let asset = dir.path().join("cat.png");
    std::fs::write(&asset, b"\x89PNG cat").unwrap();
    let metadata = json!({"name": "Cat"}).as_object().unwrap().clone();
    let nft = w3.create_nft(&asset, &metadata).await.unwrap();
    assert_eq!(
        w3.get_nft(nft.id).await.unwrap().metadata_cid,
        nft.metadata_cid
    );
    let nfts: Vec<_> = w3.nfts(Default::default()).try_collect().await.unwrap();
    assert_eq!(nfts.len(), 1);
    w3.unpin_nft(nft.id).await.unwrap();
    assert!(!w3.get_nft(nft.id).await.unwrap().pinned);

    assert_eq!(
        w3.current_user().await.unwrap().email,
        "emulator@pinion.local"
    );
    let gateways: Vec<_> = w3.gateways(None).try_collect().await.unwrap();
    assert_eq!(gateways.len(), 1);
}

#[tokio::test]
async fn submarine_content_lifecycle() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let sub = pinion::submarine::Client::builder()
        .base_url(&c.submarine.base_url)
        .credentials(SubmarineCredentials::new(&c.submarine.api_key))
        .gateway_url(&c.submarine.gateway_url)
        .build()
        .unwrap();
    let json_item = sub
        .upload_json(
            json!({"k": "v"}).as_object().unwrap().clone(),
            Some("k.json"),
            Map::new(),
            false,
        )
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("css")).unwrap();
    std::fs::write(site.join("index.html"), "<p>home</p>").unwrap();
    std::fs::write(site.join("css/a.css"), "p{}").unwrap();
    let folder = sub
        .upload(
            UploadSource::Directory(site),
            UploadOptions::default().verify(true),
            false,
        )
        .await
        .unwrap();
    assert!(folder.verified);
    let folder_id: uuid::Uuid = folder.id.clone().unwrap().parse().unwrap();
    let files: Vec<_> = sub.folder(folder_id, true).try_collect().await.unwrap();
    assert_eq!(files.len(), 2);
    let all: Vec<_> = sub.content(Default::default()).try_collect().await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(sub.find_by_cid(&folder.cid).await.unwrap().is_some());
    let renamed = sub
        .update_content(json_item.id, Some("renamed.json"), Some(true))
        .await
        .unwrap();
    assert!(renamed.pin_to_ipfs);
    let meta = sub
        .update_metadata(
            json_item.id,
            None,
            json!({"x": "1"}).as_object().unwrap().clone(),
        )
        .await
        .unwrap();
    assert_eq!(meta.metadata["keyvalues"]["x"], "1");
    assert_eq!(
        sub.get_content(json_item.id).await.unwrap().name,
        "renamed.json"
    );
    sub.delete_content(json_item.id).await.unwrap();
    assert!(sub.get_content(json_item.id).await.is_err());
}
