//! Pinata v3 keys with typed `resources` scopes (a scope's limits are enforced and
//! explained, revoked keys are refused), hot swaps and signatures, through the library
//! against the embedded emulator.

use futures::TryStreamExt;
use pinion::credentials::PinataCredentials;
use pinion::pinata_v3::{Client, FileFilter, Network};
use pinion::scopes::Capability;
use pinion::scopes::pinata::PinataPermissions;
use pinion::scopes::pinata_v3::{ReportedScope, ResourceScope};
use pinion::upload::UploadOptions;
use pinion::{Error, KeyManagement, NewKey, RateLimit};
use pinion_emulator::{AdminCredentials, Emulator};
use secrecy::ExposeSecret;

fn v3_client(c: &AdminCredentials, jwt: &str) -> Client {
    pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(jwt))
        .rate_limit(RateLimit::unlimited())
        .build_v3()
        .unwrap()
}

#[tokio::test]
async fn scoped_keys_do_what_their_scopes_allow() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let admin = v3_client(&c, &c.pinata.jwt);
    let file = admin
        .upload_json(
            Network::Public,
            &serde_json::json!({"a": 1}),
            UploadOptions::default(),
        )
        .await
        .unwrap();

    let permissions = PinataPermissions::from_resources([ResourceScope::FILES_READ]).unwrap();
    let key = admin
        .create_api_key("reader", &permissions, None)
        .await
        .unwrap();
    assert!(!format!("{key:?}").contains(key.jwt().expose_secret()));
    let reader = v3_client(&c, key.jwt().expose_secret());
    let listed: Vec<_> = reader
        .files(Network::Public, FileFilter::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    let refused = reader
        .delete_file(Network::Public, &file.id)
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Forbidden { .. }), "{refused}");
    assert!(
        refused.to_string().contains("`org:files:write`"),
        "{refused}"
    );

    let keys: Vec<_> = admin.api_keys(None).try_collect().await.unwrap();
    let row = keys.iter().find(|k| k.key == key.api_key()).unwrap();
    assert_eq!(row.name.as_deref(), Some("reader"));
    assert_eq!(
        row.resources,
        vec![ReportedScope::Known(ResourceScope::FILES_READ)]
    );
    assert!(!row.revoked);

    admin.revoke_api_key(key.api_key()).await.unwrap();
    let error = reader
        .files_page(Network::Public, &FileFilter::default(), None)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Unauthorized { .. }), "{error}");

    // PinningService maps capabilities onto the least v3 scope.
    let created = KeyManagement::create_key(&admin, "lister", &[Capability::ListPins])
        .await
        .unwrap();
    let NewKey::Pinata(lister) = created else {
        panic!("a Pinata key")
    };
    let keys = KeyManagement::list_keys(&admin).await.unwrap();
    assert!(
        keys.iter()
            .any(|k| k.handle == lister.api_key() && !k.revoked)
    );
    let lister = v3_client(&c, lister.jwt().expose_secret());
    lister.file(Network::Public, &file.id).await.unwrap();
    let refused = lister
        .upload_json(
            Network::Public,
            &serde_json::json!({"b": 2}),
            UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Forbidden { .. }), "{refused}");
}

#[tokio::test]
async fn swaps_and_signatures_round_trip() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = v3_client(&c, &c.pinata.jwt);
    let upload = |n: u32| {
        let client = client.clone();
        async move {
            client
                .upload_json(
                    Network::Public,
                    &serde_json::json!({ "n": n }),
                    UploadOptions::default(),
                )
                .await
                .unwrap()
        }
    };
    let (old, new) = (upload(1).await, upload(2).await);

    let swap = client
        .add_swap(Network::Public, &old.cid, &new.cid)
        .await
        .unwrap();
    assert_eq!(swap.mapped_cid.as_deref(), Some(new.cid.as_str()));
    let domain = url::Url::parse(&c.pinata.gateway_url)
        .unwrap()
        .host_str()
        .unwrap()
        .to_owned();
    let history = client
        .swap_history(Network::Public, &old.cid, &domain)
        .await
        .unwrap();
    assert_eq!(
        history[0].mapped_cid.as_deref(),
        Some(new.cid.as_str()),
        "{history:?}"
    );
    client.remove_swap(Network::Public, &old.cid).await.unwrap();
    let history = client
        .swap_history(Network::Public, &old.cid, &domain)
        .await
        .unwrap();
    assert_eq!(history[0].mapped_cid, None, "{history:?}");

    let signature = format!("0x{}", "ab".repeat(65));
    let address = format!("0x{}", "12".repeat(20));
    let added = client
        .add_signature(Network::Public, &old.cid, &signature, &address)
        .await
        .unwrap();
    assert_eq!(added.signature.as_deref(), Some(signature.as_str()));
    let got = client.signature(Network::Public, &old.cid).await.unwrap();
    assert_eq!(got.signature.as_deref(), Some(signature.as_str()));
    client
        .remove_signature(Network::Public, &old.cid)
        .await
        .unwrap();
    let gone = client
        .signature(Network::Public, &old.cid)
        .await
        .unwrap_err();
    assert_eq!(gone.status(), Some(http::StatusCode::NOT_FOUND), "{gone}");
    let bad = client
        .add_signature(Network::Public, &old.cid, "not hex", &address)
        .await
        .unwrap_err();
    assert!(matches!(bad, Error::InvalidInput { .. }), "{bad}");
}
