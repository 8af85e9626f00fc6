//! Pinata v3 presigned upload URLs through the library against the embedded emulator:
//! uploads to one need no credentials, take the grant's name and limits, carry a
//! directory only when the URL allows it, and stop once it expires.

use std::time::Duration;

use pinion::credentials::PinataCredentials;
use pinion::pinata_v3::{Client, Network, SignedUploadOptions, SignedUploadUrl};
use pinion::upload::{UploadOptions, UploadSource};
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

#[tokio::test]
async fn a_signed_url_uploads_without_credentials_within_its_grant() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = v3_client(&c);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("note.txt");
    std::fs::write(&path, "signed, sealed, delivered").unwrap();

    let url = client
        .create_signed_upload_url(
            Network::Public,
            Duration::from_secs(60),
            SignedUploadOptions {
                name: Some("from the browser".to_owned()),
                keyvalues: [("via".to_owned(), "signed".to_owned())].into(),
                ..SignedUploadOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(!format!("{url:?}").contains("X-Signature"));
    // Only the URL travels to the uploader: no client, no JWT.
    let uploader = SignedUploadUrl::new(url.expose_url());
    let file = uploader
        .upload(UploadSource::File(path.clone()), UploadOptions::default())
        .await
        .unwrap();
    assert!(file.verified);
    assert_eq!(file.network, Network::Public);
    assert_eq!(file.name.as_deref(), Some("from the browser"));
    assert_eq!(file.keyvalues["via"], "signed");
    assert_eq!(
        client.file(Network::Public, &file.id).await.unwrap().cid,
        file.cid
    );

    // Past its expiry the URL is refused.
    emulator.advance_clock(Duration::from_secs(61)).unwrap();
    let error = uploader
        .upload(UploadSource::File(path), UploadOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Forbidden { .. } | Error::Unauthorized { .. }),
        "{error}"
    );
    assert!(!error.to_string().contains("X-Signature"), "{error}");
}

#[tokio::test]
async fn mime_types_and_directories_follow_the_grant() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = v3_client(&c);
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("index.html"), "<p>hi</p>").unwrap();
    std::fs::write(site.join("notes.txt"), "plain").unwrap();
    let sign = |options: SignedUploadOptions| {
        let client = client.clone();
        async move {
            client
                .create_signed_upload_url(Network::Public, Duration::from_secs(60), options)
                .await
                .unwrap()
        }
    };

    let images_only = sign(SignedUploadOptions {
        allow_mime_types: vec!["image/*".to_owned()],
        ..SignedUploadOptions::default()
    })
    .await;
    let error = images_only
        .upload(
            UploadSource::File(site.join("notes.txt")),
            UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        error.status(),
        Some(http::StatusCode::BAD_REQUEST),
        "{error}"
    );

    let files_only = sign(SignedUploadOptions::default()).await;
    let error = files_only
        .upload(
            UploadSource::Directory(site.clone()),
            UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("directory"), "{error}");

    let directories = sign(SignedUploadOptions {
        for_directory: true,
        ..SignedUploadOptions::default()
    })
    .await;
    let options = UploadOptions::default();
    let expected =
        pinion::cid::hash_directory(&site, pinion::cid::CidVersion::V1, &options.walk_options())
            .unwrap();
    let uploaded = directories
        .upload(UploadSource::Directory(site), options)
        .await
        .unwrap();
    assert!(uploaded.verified);
    assert_eq!(uploaded.cid, expected.cid.to_string());

    let refused = client
        .create_signed_upload_url(
            Network::Private,
            Duration::from_secs(60),
            SignedUploadOptions {
                for_directory: true,
                ..SignedUploadOptions::default()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::InvalidInput { .. }), "{refused}");
}
