//! A private v3 file through the library against the embedded emulator: unreachable
//! on the gateway without a link, reachable with one, unreachable once the link
//! expires (the emulator's clock advanced); the link stays out of `Debug`.

use std::time::Duration;

use pinion::credentials::PinataCredentials;
use pinion::pinata_v3::{Client, Network};
use pinion::upload::UploadOptions;
use pinion::{Error, RateLimit};
use pinion_emulator::{AdminCredentials, Emulator};

fn v3_client(c: &AdminCredentials, gateway: bool) -> Client {
    let mut builder = pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(&c.pinata.jwt))
        .rate_limit(RateLimit::unlimited());
    if gateway {
        builder = builder.gateway_url(&c.pinata.gateway_url);
    }
    builder.build_v3().unwrap()
}

async fn status_of(url: &str) -> (u16, Vec<u8>) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_private_file_opens_only_with_a_link_until_it_expires() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = v3_client(&c, true);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.txt");
    std::fs::write(&path, "for your eyes only").unwrap();
    let file = client
        .upload_file(Network::Private, &path, UploadOptions::default())
        .await
        .unwrap();
    let gateway = &c.pinata.gateway_url;

    // Without a link: neither the public route nor the private one serves it.
    let (status, _) = status_of(&format!("{gateway}/ipfs/{}", file.cid)).await;
    assert!(status >= 400, "public route answered {status}");
    let (status, _) = status_of(&format!("{gateway}/files/{}", file.cid)).await;
    assert!(
        status == 401 || status == 403,
        "unsigned /files answered {status}"
    );

    let link = client
        .download_link(&file.cid, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(link.cid(), file.cid);
    let shown = format!("{link:?}");
    assert!(!shown.contains("X-Signature"), "{shown}");
    let (status, body) = status_of(link.expose_url()).await;
    assert_eq!(status, 200);
    assert_eq!(body, b"for your eyes only");

    emulator.advance_clock(Duration::from_secs(61)).unwrap();
    let (status, _) = status_of(link.expose_url()).await;
    assert!(
        status == 401 || status == 403,
        "expired link answered {status}"
    );
}

#[tokio::test]
async fn links_need_a_gateway_and_a_positive_expiry() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    let error = v3_client(&c, false)
        .download_link(cid, Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    assert!(error.to_string().contains("PINATA_GATEWAY_URL"), "{error}");
    let error = v3_client(&c, true)
        .download_link(cid, Duration::ZERO)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("positive"), "{error}");
    // An explicit gateway works without one configured.
    let link = v3_client(&c, false)
        .download_link_on(&c.pinata.gateway_url, cid, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(link.expose_url().contains("X-Signature="));
}
