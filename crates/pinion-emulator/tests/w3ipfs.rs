//! Every operation of `spec/w3ipfs.yaml` against the emulator over HTTP, with every
//! authentication and scope failure.

mod common;

use std::time::Duration;

use common::{Api, Auth, file_fixtures, http, json, start};
use pinion_emulator::RunningEmulator;
use pinion_scopes::w3ipfs::{W3ipfsScope, W3ipfsScopes};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

type W3 = Api;

/// W3IPFS's own calls.
impl Api {
    fn session(emulator: &RunningEmulator) -> Self {
        Api::w3ipfs(emulator)
    }

    async fn upload(
        &self,
        files: Vec<(&str, Vec<u8>)>,
        metadata: Option<Value>,
        status: u16,
    ) -> Value {
        let mut form = Form::new();
        for (path, bytes) in files {
            form = form.part("file", Part::bytes(bytes).file_name(path.to_owned()));
        }
        if let Some(metadata) = metadata {
            form = form.text("metadata", metadata.to_string());
        }
        self.post_form("/pinning/", form, status).await
    }

    async fn key(&self, scopes: Value) -> (W3, Value) {
        let created = self
            .call(
                Method::POST,
                "/apiKeys/",
                Some(json!({"name": "test key", "scopes": scopes})),
                200,
            )
            .await;
        let data = &created["data"];
        let client = self.with(Auth::Pair(
            data["api_key"].as_str().unwrap().to_owned(),
            data["secret_key"].as_str().unwrap().to_owned(),
        ));
        (client, created)
    }
}

#[tokio::test]
async fn authentication_failures() {
    let emulator = start().await;
    let session = W3::session(&emulator);
    let none = session
        .with(Auth::None)
        .call(Method::GET, "/apiKeys/testAuthentication", None, 401)
        .await;
    assert_eq!(
        none,
        json!({"status": "fail", "message": "You are not logged in"})
    );
    let c = emulator.credentials();
    let wrong = session.with(Auth::Pair(c.w3ipfs.api_key.clone(), "x".repeat(44)));
    wrong
        .call(Method::GET, "/apiKeys/testAuthentication", None, 401)
        .await;
    let malformed = session.with(Auth::Jwt("abc".into()));
    let body = malformed
        .call(Method::GET, "/pinning/pins/", None, 401)
        .await;
    assert_eq!(
        body["message"],
        "validate: token contains an invalid number of segments"
    );
    let forged = session.with(Auth::Jwt(format!("{}x", c.w3ipfs.jwt)));
    forged.call(Method::GET, "/pinning/pins/", None, 401).await;
    emulator
        .advance_clock(Duration::from_secs(3651 * 24 * 3600))
        .expect("the clock moves");
    let expired = session.call(Method::GET, "/pinning/pins/", None, 401).await;
    assert_eq!(expired["message"], "validate: Token is expired");
    // The key pair does not expire.
    let pair = session.with(Auth::Pair(
        c.w3ipfs.api_key.clone(),
        c.w3ipfs.secret_key.clone(),
    ));
    pair.call(Method::GET, "/pinning/pins/", None, 200).await;
}

#[tokio::test]
async fn keys_are_created_listed_masked_and_deleted() {
    let emulator = start().await;
    let session = W3::session(&emulator);
    // Seed 003's body, verbatim.
    let seed = json!({
        "name": "test-api-key",
        "scopes": {
            "admin": true,
            "data": {"pin_list": true, "nft_list": true},
            "pinning": {"unpin": true, "pin_by_hash": true, "pin_file_to_ipfs": true},
            "pin_nft": {"unpin_nft": true, "pin_nft_to_ipfs": true}
        }
    });
    let created = session
        .call(Method::POST, "/apiKeys/", Some(seed), 200)
        .await;
    assert_eq!(created["status"], "success");
    assert_eq!(created["data"]["name"], "test-api-key");
    let secret = created["data"]["secret_key"].as_str().unwrap().to_owned();
    assert_eq!(created["data"]["api_key"].as_str().unwrap().len(), 24);
    assert_eq!(secret.len(), 44);

    let partial = session
        .call(
            Method::POST,
            "/apiKeys/",
            Some(json!({"name": "p", "scopes": {"admin": false, "data": {"pin_list": true, "nft_list": false}}})),
            400,
        )
        .await;
    assert!(
        partial["message"].as_str().unwrap().contains("pinning"),
        "{partial}"
    );
    let default = session
        .call(
            Method::POST,
            "/apiKeys",
            Some(json!({"name": "Default", "scopes": {"admin": true}})),
            400,
        )
        .await;
    assert_eq!(
        default["message"],
        "Cannot create an API key with the name 'Default'"
    );

    let listed = session.call(Method::GET, "/apiKeys/list", None, 200).await;
    assert_eq!(listed["data"]["total"], 2);
    let keys = listed["data"]["api_keys"].as_array().unwrap();
    assert!(!listed.to_string().contains(&secret), "secrets are masked");
    assert!(
        keys.iter()
            .all(|k| k["secret_key"].as_str().unwrap().contains("..."))
    );
    let default_id = keys.iter().find(|k| k["name"] == "Default").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = session
        .call(Method::DELETE, &format!("/apiKeys/{default_id}"), None, 400)
        .await;
    assert_eq!(refused["message"], "Cannot delete the default API key");

    let (client, made) = session.key(json!({"admin": true})).await;
    client
        .call(Method::GET, "/apiKeys/testAuthentication", None, 200)
        .await;
    let id = session
        .call(Method::GET, "/apiKeys/list?limit=1&offset=0", None, 200)
        .await["data"]["api_keys"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(made["data"]["name"], "test key");
    let deleted = session
        .call(Method::DELETE, &format!("/apiKeys/{id}"), None, 200)
        .await;
    assert_eq!(deleted["message"], "API key has been deleted");
    client
        .call(Method::GET, "/apiKeys/testAuthentication", None, 401)
        .await;
    session
        .call(Method::DELETE, &format!("/apiKeys/{id}"), None, 404)
        .await;
}

/// A request each scope opens, with its success status.
async fn try_scope(client: &W3, scope: W3ipfsScope) -> u16 {
    let request = match scope {
        W3ipfsScope::PinList => client.request(Method::GET, "/pinning/pins/"),
        W3ipfsScope::NftList => client.request(Method::GET, "/nft/nfts/"),
        W3ipfsScope::Unpin => client.request(
            Method::DELETE,
            "/pinning/unpin/00000000-0000-4000-8000-000000000000",
        ),
        W3ipfsScope::PinByHash => client
            .request(Method::POST, "/pinning/pinByHash")
            .json(&json!({"hash_to_pin": "not a cid at all"})),
        W3ipfsScope::PinFileToIpfs => client
            .request(Method::POST, "/pinning/")
            .multipart(Form::new().part("file", Part::bytes(b"x".to_vec()).file_name("x.txt"))),
        W3ipfsScope::PinNftToIpfs => client
            .request(Method::POST, "/nft/")
            .multipart(Form::new().part("file", Part::bytes(b"x".to_vec()).file_name("x.png"))),
        W3ipfsScope::UnpinNft => client.request(
            Method::DELETE,
            "/nft/unpin/00000000-0000-4000-8000-000000000000",
        ),
    };
    request.send().await.unwrap().status().as_u16()
}

fn success_of(scope: W3ipfsScope) -> u16 {
    match scope {
        W3ipfsScope::PinList | W3ipfsScope::NftList => 200,
        W3ipfsScope::Unpin | W3ipfsScope::UnpinNft => 404,
        W3ipfsScope::PinByHash | W3ipfsScope::PinNftToIpfs => 400,
        W3ipfsScope::PinFileToIpfs => 201,
    }
}

#[tokio::test]
async fn each_scope_opens_exactly_its_endpoints() {
    let emulator = start().await;
    let session = W3::session(&emulator);
    for scope in W3ipfsScope::ALL {
        let (client, _) = session
            .key(serde_json::to_value(W3ipfsScopes::from_scopes([scope])).unwrap())
            .await;
        assert_eq!(
            try_scope(&client, scope).await,
            success_of(scope),
            "{scope:?} must open its endpoint"
        );
        for other in W3ipfsScope::ALL.into_iter().filter(|o| *o != scope) {
            assert_eq!(
                try_scope(&client, other).await,
                403,
                "{scope:?} must not open {other:?}"
            );
        }
        // Key management and the account need an admin key; testAuthentication takes any.
        client.call(Method::GET, "/apiKeys/list", None, 403).await;
        client.call(Method::GET, "/users/me", None, 403).await;
        client
            .call(Method::GET, "/apiKeys/testAuthentication", None, 200)
            .await;
    }
}

#[tokio::test]
async fn uploads_get_ipfs_cids_and_settle_to_done() {
    let emulator = start().await;
    let session = W3::session(&emulator);
    for fixture in file_fixtures(1_048_577)
        .into_iter()
        .filter(|f| !f.bytes.is_empty())
    {
        let created = session
            .upload(
                vec![(&format!("{}.bin", fixture.name), fixture.bytes.clone())],
                None,
                201,
            )
            .await;
        let pin = &created["data"];
        assert_eq!(pin["cid"], fixture.v1.0, "{}", fixture.name);
        assert_eq!(pin["status"], "PENDING");
        assert_eq!(pin["pinned"], false);
        assert!(pin.get("size").is_none());
        assert_eq!(pin["date_unpinned"], "0001-01-01T00:00:00Z");
        let id = pin["id"].as_str().unwrap();
        let read = session
            .call(Method::GET, &format!("/pinning/{id}"), None, 200)
            .await;
        assert_eq!(read["data"]["status"], "DONE");
        assert_eq!(read["data"]["pinned"], true);
        assert_eq!(read["data"]["size"], fixture.bytes.len());
        assert!(
            read["data"]["root_hash"]
                .as_str()
                .unwrap()
                .starts_with("1220")
        );
    }
    let empty = session
        .upload(vec![("empty.txt", Vec::new())], None, 400)
        .await;
    assert_eq!(empty["message"], "Cannot pin empty file");
    let nothing = session
        .upload(vec![], Some(json!({"name": "x"})), 400)
        .await;
    assert_eq!(nothing["message"], "Failed to get uploaded files");
    let dir = session
        .upload(
            vec![
                ("photos/a.jpg", b"a".to_vec()),
                ("photos/b.jpg", b"b".to_vec()),
            ],
            Some(json!({"name": "album"})),
            201,
        )
        .await;
    assert!(dir["data"]["cid"].as_str().unwrap().starts_with("bafybei"));
    assert_eq!(dir["data"]["is_dir"], true);
    assert_eq!(dir["data"]["metadata"]["name"], "album");
}

#[tokio::test]
async fn pins_list_filter_sort_page_and_unpin() {
    let emulator = start().await;
    let session = W3::session(&emulator);
    let mut ids = Vec::new();
    for (name, size, kind) in [
        ("a.txt", 10, "doc"),
        ("b.txt", 30, "doc"),
        ("c.bin", 20, "blob"),
    ] {
        let created = session
            .upload(
                vec![(name, vec![1; size])],
                Some(json!({"name": name, "keyvalues": {"kind": kind}})),
                201,
            )
            .await;
        ids.push(created["data"]["id"].as_str().unwrap().to_owned());
    }
    let all = session.call(Method::GET, "/pinning/pins/", None, 200).await;
    assert_eq!(all["data"]["totals"], json!({"files": 3, "size": 60}));
    assert_eq!(
        all["data"]["pins"][0]["metadata"]["name"], "c.bin",
        "newest first by default"
    );
    let by_size = session
        .call(
            Method::GET,
            "/pinning/pins?sortBy=size&sortOrder=ASC&limit=2",
            None,
            200,
        )
        .await;
    let names: Vec<&str> = by_size["data"]["pins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a.txt", "c.bin"]);
    let docs = session
        .call(
            Method::GET,
            "/pinning/pins/?metadata=%7B%22kind%22%3A%22doc%22%7D",
            None,
            200,
        )
        .await;
    assert_eq!(docs["data"]["totals"], json!({"files": 2, "size": 40}));

    session
        .call(
            Method::DELETE,
            &format!("/pinning/unpin/{}", ids[0]),
            None,
            200,
        )
        .await;
    let pinned = session
        .call(Method::GET, "/pinning/pins/?pinned=true", None, 200)
        .await;
    assert_eq!(pinned["data"]["totals"]["files"], 2);
    let unpinned = session
        .call(Method::GET, "/pinning/pins/?pinned=false", None, 200)
        .await;
    assert_ne!(
        unpinned["data"]["pins"][0]["date_unpinned"],
        "0001-01-01T00:00:00Z"
    );
    session
        .call(
            Method::DELETE,
            "/pinning/unpin/00000000-0000-4000-8000-000000000000",
            None,
            404,
        )
        .await;
    for bad in [
        "pinned=maybe",
        "sortBy=colour",
        "sortOrder=UP",
        "limit=-1",
        "metadata=%7B",
    ] {
        session
            .call(Method::GET, &format!("/pinning/pins/?{bad}"), None, 400)
            .await;
    }

    let updated = session
        .call(
            Method::PUT,
            "/pinning/metadata/",
            Some(json!({"id": ids[1], "metadata": {"name": "renamed", "keyvalues": {"kind": "new"}}})),
            200,
        )
        .await;
    assert_eq!(updated["status"], "success");
    let read = session
        .call(Method::GET, &format!("/pinning/{}", ids[1]), None, 200)
        .await;
    assert_eq!(read["data"]["metadata"]["name"], "renamed");
    assert_eq!(
        read["data"]["metadata"]["keyvalues"],
        json!({"kind": "new"})
    );
    session
        .call(
            Method::PUT,
            "/pinning/metadata",
            Some(json!({"id": "nope", "metadata": {}})),
            404,
        )
        .await;
}

#[tokio::test]
async fn pin_by_hash_retrieves_known_content_and_refuses_duplicates() {
    let emulator = start().await;
    let session = W3::session(&emulator);
    let uploaded = session
        .upload(vec![("k.txt", b"known".to_vec())], None, 201)
        .await;
    let cid = uploaded["data"]["cid"].as_str().unwrap().to_owned();
    let id = uploaded["data"]["id"].as_str().unwrap().to_owned();
    session
        .call(Method::DELETE, &format!("/pinning/unpin/{id}"), None, 200)
        .await;
    let job = session
        .call(
            Method::POST,
            "/pinning/pinByHash",
            Some(json!({"hash_to_pin": cid})),
            200,
        )
        .await;
    assert_eq!(job["data"]["status"], "RETRIEVAL");
    assert_eq!(job["data"]["is_pin_by_hash"], true);
    let job_id = job["data"]["id"].as_str().unwrap();
    let read = session
        .call(Method::GET, &format!("/pinning/{job_id}"), None, 200)
        .await;
    assert_eq!(read["data"]["status"], "DONE");
    let duplicate = session
        .call(
            Method::POST,
            "/pinning/pinByHash",
            Some(json!({"hash_to_pin": cid})),
            400,
        )
        .await;
    assert_eq!(duplicate["message"], "Pin with that hash already exists");
    let unknown = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
    let waiting = session
        .call(
            Method::POST,
            "/pinning/pinByHash",
            Some(json!({"hash_to_pin": unknown})),
            200,
        )
        .await;
    let waiting_id = waiting["data"]["id"].as_str().unwrap();
    let read = session
        .call(Method::GET, &format!("/pinning/{waiting_id}"), None, 200)
        .await;
    assert_eq!(read["data"]["status"], "RETRIEVAL");
    assert_eq!(
        read["data"]["cid"], unknown,
        "the caller's CID form is kept"
    );
    let short = session
        .call(
            Method::POST,
            "/pinning/pinByHash",
            Some(json!({"hash_to_pin": "Qm"})),
            400,
        )
        .await;
    assert_eq!(short["message"], "invalid cid: cid too short");
}

#[tokio::test]
async fn nfts_pin_asset_and_metadata() {
    let emulator = start().await;
    let session = W3::session(&emulator);
    let metadata = json!({"name": "Cat #1", "description": "a cat", "properties": [{"trait_type": "eyes", "value": "green"}]});
    let form = Form::new()
        .part(
            "file",
            Part::bytes(b"\x89PNG fake".to_vec()).file_name("cat.png"),
        )
        .part(
            "metadata",
            Part::bytes(metadata.to_string().into_bytes()).file_name("sample.json"),
        );
    let created = json(
        session
            .request(Method::POST, "/nft/")
            .multipart(form)
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let nft = &created["data"];
    assert_eq!(nft["metadata_asset"]["name"], "Cat #1");
    let id = nft["id"].as_str().unwrap().to_owned();
    let pins = session.call(Method::GET, "/pinning/pins/", None, 200).await;
    assert_eq!(
        pins["data"]["totals"]["files"], 2,
        "asset and metadata are two pins"
    );
    let read = session
        .call(Method::GET, &format!("/nft/{id}"), None, 200)
        .await;
    assert_eq!(read["data"]["pinned"], true);
    assert_eq!(read["data"]["asset_cid"], nft["asset_cid"]);
    let listed = session.call(Method::GET, "/nft/nfts/", None, 200).await;
    assert_eq!(listed["data"]["totals"]["files"], 1);

    // The metadata pinned points at the asset.
    let metadata_cid = nft["metadata_cid"].as_str().unwrap();
    let gateway = format!(
        "{}/ipfs/{metadata_cid}",
        emulator.credentials().submarine.gateway_url
    );
    let pinned_json: Value = http()
        .get(gateway)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        pinned_json["image"],
        format!("ipfs://{}", nft["asset_cid"].as_str().unwrap())
    );

    session
        .call(Method::DELETE, &format!("/nft/unpin/{id}"), None, 200)
        .await;
    assert_eq!(
        session
            .call(Method::GET, &format!("/nft/{id}"), None, 200)
            .await["data"]["pinned"],
        false
    );
    assert_eq!(
        session
            .call(Method::GET, "/pinning/pins/?pinned=true", None, 200)
            .await["data"]["totals"]["files"],
        0
    );
    session
        .call(
            Method::GET,
            "/nft/00000000-0000-4000-8000-000000000000",
            None,
            404,
        )
        .await;
    let no_metadata = Form::new().part("file", Part::bytes(b"x".to_vec()).file_name("x.png"));
    let refused = json(
        session
            .request(Method::POST, "/nft")
            .multipart(no_metadata)
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    assert!(refused["message"].as_str().unwrap().contains("metadata"));
}

#[tokio::test]
async fn account_and_gateways() {
    let emulator = start().await;
    let session = W3::session(&emulator);
    let me = session.call(Method::GET, "/users/me", None, 200).await;
    assert_eq!(me["data"]["user"]["email"], "emulator@pinion.local");
    let gateways = session.call(Method::GET, "/gateways/", None, 200).await;
    assert_eq!(gateways["data"]["totals"], 1);
    let dedicated = session
        .call(Method::GET, "/gateways?type=Dedicated", None, 200)
        .await;
    assert_eq!(dedicated["data"]["totals"], 0);
    session
        .call(Method::GET, "/gateways?type=Private", None, 400)
        .await;
}
