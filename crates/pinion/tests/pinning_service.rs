//! The `PinningService` trait on both services through `AnyPinningClient`, and an
//! access link that stops working once its token expires.

use std::time::Duration;

use pinion::credentials::{PinataCredentials, SubmarineCredentials, W3ipfsCredentials};
use pinion::scopes::Capability;
use pinion::token::ContentTokenRequest;
use pinion::upload::{UploadOptions, UploadSource};
use pinion::{AnyPinningClient, FileUpload, KeyManagement, PinningService, RateLimit};
use pinion_emulator::Emulator;

#[tokio::test]
async fn both_services_behind_one_value() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let clients = [
        AnyPinningClient::Pinata(
            pinion::pinata::Client::builder()
                .base_url(&c.pinata.base_url)
                .credentials(PinataCredentials::jwt(&c.pinata.jwt))
                .rate_limit(RateLimit::unlimited())
                .build()
                .unwrap(),
        ),
        AnyPinningClient::W3ipfs(
            pinion::w3ipfs::Client::builder()
                .base_url(&c.w3ipfs.base_url)
                .credentials(W3ipfsCredentials::jwt(&c.w3ipfs.jwt))
                .rate_limit(RateLimit::unlimited())
                .build()
                .unwrap(),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.txt");
    std::fs::write(&file, "one value, two services").unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("index.html"), "<p>hi</p>").unwrap();

    for client in &clients {
        let service = client.service();
        client.test_authentication().await.unwrap();
        let key = client
            .create_key("trait key", &[Capability::PinFile, Capability::ListPins])
            .await
            .unwrap_or_else(|e| panic!("{service}: {e}"));
        let keys = client.list_keys().await.unwrap();
        assert!(keys.len() >= 2, "{service}: {keys:?}");
        drop(key);

        let uploaded = client
            .pin_file(file.clone(), UploadOptions::default().verify(true))
            .await
            .unwrap_or_else(|e| panic!("{service}: {e}"));
        assert!(uploaded.verified, "{service}: the CID is checked locally");
        let pinned_dir = client
            .pin_directory(site.clone(), UploadOptions::default())
            .await
            .unwrap();
        let pins = client.list_pins().await.unwrap();
        assert!(
            pins.iter().any(|p| p.cid == uploaded.cid),
            "{service}: {pins:?}"
        );
        assert!(
            pins.iter().any(|p| p.cid == pinned_dir.cid),
            "{service}: {pins:?}"
        );
        let handle = pins
            .iter()
            .find(|p| p.cid == uploaded.cid)
            .unwrap()
            .handle
            .clone();
        let got = client.get_pin(&handle).await.unwrap();
        assert_eq!(got.cid, uploaded.cid);
        client.unpin(&handle).await.unwrap();
        let after = client.list_pins().await.unwrap();
        assert!(
            after
                .iter()
                .filter(|p| p.cid == uploaded.cid)
                .all(|p| !p.pinned),
            "{service}: unpinned"
        );
        client
            .pin_cid(
                "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
                Some("remote"),
            )
            .await
            .unwrap();
        // Refused before any request.
        let refused = client.pin_cid("not a cid", None).await.unwrap_err();
        assert!(
            matches!(refused, pinion::Error::InvalidInput { .. }),
            "{service}: {refused:?}"
        );
    }
}

#[tokio::test]
async fn an_access_link_opens_content_until_its_token_expires() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let submarine = pinion::submarine::Client::builder()
        .base_url(&c.submarine.base_url)
        .credentials(SubmarineCredentials::new(&c.submarine.api_key))
        .gateway_url(&c.submarine.gateway_url)
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("private.txt");
    std::fs::write(&file, "members only").unwrap();
    let uploaded = submarine
        .upload(UploadSource::File(file), UploadOptions::default(), false)
        .await
        .unwrap();
    let id = uploaded.id.clone().unwrap();
    let request = ContentTokenRequest::from_strings(60, [id.as_str()]).unwrap();
    let token = submarine.create_access_token(&request).await.unwrap();
    assert!(
        token.expires_at().is_some(),
        "the emulator's tokens are JWTs"
    );
    let link = submarine.access_link(&uploaded.cid, None, &token).unwrap();

    let http = reqwest::Client::new();
    let open = http.get(link.clone()).send().await.unwrap();
    assert_eq!(open.status(), 200);
    assert_eq!(open.text().await.unwrap(), "members only");
    emulator
        .advance_clock(Duration::from_secs(61))
        .expect("the clock moves");
    let expired = http.get(link).send().await.unwrap();
    assert_eq!(expired.status(), 403);

    // Lifetimes and ids are checked before any request.
    assert!(ContentTokenRequest::from_strings(0, [id.as_str()]).is_err());
    assert!(ContentTokenRequest::from_strings(60, ["QmNotAnId"]).is_err());
}
