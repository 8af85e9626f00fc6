//! Pinata v3 files through the library against the embedded emulator: uploads (file,
//! JSON, reader of declared length; public and private), get, list with every filter
//! and `pageToken` paging, update with a key-value merge, delete, directories, errors,
//! and `PinningService` over v3.

use futures::TryStreamExt;
use pinion::credentials::PinataCredentials;
use pinion::pinata_v3::{Client, FileFilter, FileUpdate, Network, PinataApi};
use pinion::upload::{UploadOptions, UploadSource};
use pinion::{Error, FileUpload, PinningService, RateLimit};
use pinion_emulator::{AdminCredentials, Emulator};

fn v3_client(c: &AdminCredentials, jwt: &str) -> Client {
    pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(jwt))
        .rate_limit(RateLimit::unlimited())
        .build_v3()
        .unwrap()
}

#[tokio::test]
async fn uploads_are_verified_and_files_are_read_updated_and_deleted() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = v3_client(&c, &c.pinata.jwt);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.txt");
    std::fs::write(&path, "quarterly numbers").unwrap();
    let expected = pinion::cid::hash_bytes(b"quarterly numbers", pinion::cid::CidVersion::V1);

    let private = client
        .upload_file(
            Network::Private,
            &path,
            UploadOptions::default()
                .keyvalue("team", "ops")
                .keyvalue("n", 3),
        )
        .await
        .unwrap();
    assert!(private.verified);
    assert_eq!(private.cid, expected.cid.to_string());
    assert_eq!(private.network, Network::Private);
    assert_eq!(private.name.as_deref(), Some("report.txt"));
    assert_eq!(private.keyvalues["team"], "ops");
    assert_eq!(private.keyvalues["n"], "3");
    assert_eq!(private.resumed_from, 0);

    let got = client.file(Network::Private, &private.id).await.unwrap();
    assert_eq!(got.cid, private.cid);
    // Networks are separate namespaces.
    let error = client.file(Network::Public, &private.id).await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND), "{error}");

    let updated = client
        .update_file(
            Network::Private,
            &private.id,
            FileUpdate::default()
                .name("renamed.txt")
                .keyvalue("stage", "final")
                .remove_keyvalue("n"),
        )
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("renamed.txt"));
    let keyvalues = updated.keyvalues.unwrap();
    assert_eq!(keyvalues.get("team").and_then(|v| v.as_str()), Some("ops"));
    assert_eq!(
        keyvalues.get("stage").and_then(|v| v.as_str()),
        Some("final")
    );
    assert!(!keyvalues.contains_key("n"));
    let nothing = client
        .update_file(Network::Private, &private.id, FileUpdate::default())
        .await
        .unwrap_err();
    assert!(matches!(nothing, Error::InvalidInput { .. }), "{nothing}");

    client
        .delete_file(Network::Private, &private.id)
        .await
        .unwrap();
    let gone = client
        .file(Network::Private, &private.id)
        .await
        .unwrap_err();
    assert_eq!(gone.status(), Some(http::StatusCode::NOT_FOUND));
    // The v3 code that repeats the status is not repeated in the text.
    assert!(!gone.to_string().contains(": 404"), "{gone}");
}

#[tokio::test]
async fn json_and_readers_of_declared_length_upload_with_their_cid() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = v3_client(&c, &c.pinata.jwt);
    let document = serde_json::json!({"hello": "v3"});
    let json = client
        .upload_json(Network::Public, &document, UploadOptions::default())
        .await
        .unwrap();
    assert!(json.verified);
    assert_eq!(json.name.as_deref(), Some("data.json"));
    let bytes = serde_json::to_vec(&document).unwrap();
    assert_eq!(
        json.cid,
        pinion::cid::hash_bytes(&bytes, pinion::cid::CidVersion::V1)
            .cid
            .to_string()
    );

    let content = vec![7u8; 300_000];
    let source = UploadSource::Reader {
        name: "blob.bin".to_owned(),
        reader: Box::new(std::io::Cursor::new(content.clone())),
        len: Some(content.len() as u64),
    };
    let blob = client
        .upload(
            Network::Private,
            source,
            UploadOptions::default().name("the blob"),
        )
        .await
        .unwrap();
    assert!(blob.verified);
    // The service reports the DAG's size: the bytes and their nodes.
    assert!(blob.size.is_some_and(|size| size >= 300_000), "{blob:?}");
    assert_eq!(blob.name.as_deref(), Some("the blob"));
    assert_eq!(
        blob.cid,
        pinion::cid::hash_bytes(&content, pinion::cid::CidVersion::V1)
            .cid
            .to_string()
    );
    // The same bytes again: the service says it already had them.
    let again = client
        .upload_json(Network::Public, &document, UploadOptions::default())
        .await
        .unwrap();
    assert_eq!(again.duplicate, Some(true));
}

#[tokio::test]
async fn listings_take_every_filter_and_page_with_tokens() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = v3_client(&c, &c.pinata.jwt);
    let group = client
        .create_group(Network::Public, "reports", None)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (i, team) in ["ops", "ops", "dev"].iter().enumerate() {
        let mut options = UploadOptions::default()
            .name(format!("file-{i}"))
            .keyvalue("team", *team);
        if i == 0 {
            options = options.group(&group.id);
        }
        let document = serde_json::json!({ "i": i });
        ids.push(
            client
                .upload_json(Network::Public, &document, options)
                .await
                .unwrap(),
        );
    }
    let all: Vec<_> = client
        .files(Network::Public, FileFilter::default().limit(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3, "one file per page, three pages");
    let page = client
        .files_page(Network::Public, &FileFilter::default().limit(2), None)
        .await
        .unwrap();
    assert_eq!(page.files.rows.len(), 2);
    let token = page.next_page_token.expect("a second page");
    let rest = client
        .files_page(
            Network::Public,
            &FileFilter::default().limit(2),
            Some(&token),
        )
        .await
        .unwrap();
    assert_eq!(rest.files.rows.len(), 1);
    assert_eq!(rest.next_page_token, None);

    let count = |filter: FileFilter| {
        let client = client.clone();
        async move {
            client
                .files(Network::Public, filter)
                .try_collect::<Vec<_>>()
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!(
        count(FileFilter::default().keyvalue("team", "ops")).await,
        2
    );
    assert_eq!(
        count(FileFilter::default().keyvalue("team", "ops").name("file-1")).await,
        1
    );
    assert_eq!(count(FileFilter::default().cid(&ids[2].cid)).await, 1);
    assert_eq!(count(FileFilter::default().group(&group.id)).await, 1);
    let ungrouped = FileFilter {
        no_group: true,
        ..FileFilter::default()
    };
    assert_eq!(count(ungrouped).await, 2);
    let by_type = FileFilter {
        mime_type: ids[0].mime_type.clone(),
        ..FileFilter::default()
    };
    assert_eq!(count(by_type).await, 3);
    let pending = FileFilter {
        cid_pending: true,
        ..FileFilter::default()
    };
    assert_eq!(count(pending).await, 0);
    let oldest_first = FileFilter {
        order: Some(pinion::pinata_v3::types::SortOrder::Asc),
        ..FileFilter::default()
    };
    let ordered: Vec<_> = client
        .files(Network::Public, oldest_first)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ordered[0].id, ids[0].id);
    assert_eq!(count(FileFilter::default().name("nothing")).await, 0);
    // Private files are not listed with the public ones.
    let none: Vec<_> = client
        .files(Network::Private, FileFilter::default())
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn directories_go_public_only() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = v3_client(&c, &c.pinata.jwt);
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("css")).unwrap();
    std::fs::write(site.join("index.html"), "<p>hi</p>").unwrap();
    std::fs::write(site.join("css/a.css"), "p{}").unwrap();
    let options = UploadOptions::default().cid_version(pinion::cid::CidVersion::V1);
    let expected =
        pinion::cid::hash_directory(&site, pinion::cid::CidVersion::V1, &options.walk_options())
            .unwrap();

    let public = client
        .upload(
            Network::Public,
            UploadSource::Directory(site.clone()),
            options,
        )
        .await
        .unwrap();
    assert!(public.verified);
    assert_eq!(public.cid, expected.cid.to_string());
    let record = client.file(Network::Public, &public.id).await.unwrap();
    assert_eq!(record.cid, public.cid);

    // Refused before any request: this client's host does not even listen.
    let nowhere = Client::builder()
        .base_url("http://127.0.0.1:9/pinata")
        .credentials(PinataCredentials::jwt("a.b.c"))
        .build_v3()
        .unwrap();
    let refused = nowhere
        .upload(
            Network::Private,
            UploadSource::Directory(site),
            UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::InvalidInput { .. }), "{refused}");
    assert!(refused.to_string().contains("public network"), "{refused}");
}

#[tokio::test]
async fn refused_credentials_say_what_v3_takes() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = v3_client(&c, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");
    let error = client
        .files_page(Network::Public, &FileFilter::default(), None)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Unauthorized { .. }), "{error}");
    assert!(error.to_string().contains("`resources` scopes"), "{error}");
    let key_pair = Client::builder()
        .credentials(PinataCredentials::key_pair("k", "s"))
        .build_v3()
        .unwrap_err();
    assert!(key_pair.to_string().contains("only a JWT"), "{key_pair}");
}

#[tokio::test]
async fn pinning_service_works_over_v3() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(&c.pinata.jwt))
        .rate_limit(RateLimit::unlimited())
        .api(PinataApi::V3)
        .build_pinning()
        .unwrap();
    assert!(matches!(client, pinion::AnyPinningClient::PinataV3(_)));
    client.test_authentication().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("note.txt");
    std::fs::write(&path, "over v3").unwrap();
    let pinned = client
        .pin_file(path, UploadOptions::default())
        .await
        .unwrap();
    assert!(pinned.verified);
    let id = pinned.id.clone().unwrap();
    let pins = client.list_pins().await.unwrap();
    assert_eq!(pins.len(), 1);
    assert_eq!(pins[0].handle, id);
    assert_eq!(client.get_pin(&pinned.cid).await.unwrap().handle, id);
    client.unpin(&id).await.unwrap();
    assert!(client.list_pins().await.unwrap().is_empty());
}
