//! Every operation of `spec/pinata.yaml` against the emulator over HTTP, with every
//! authentication and permission failure.

mod common;

use common::{Api, Auth, file_fixtures, http, json, start, text, xorshift_bytes};
use pinion_cid::{CidVersion, DirectoryBuilder, hash_bytes};
use pinion_emulator::RunningEmulator;
use pinion_scopes::pinata::{PinataFlag, PinataPermissions};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

type Pinata = Api;

/// Pinata's own calls.
impl Api {
    fn admin(emulator: &RunningEmulator) -> Self {
        Api::pinata(emulator)
    }

    async fn send_json(&self, method: Method, path: &str, body: Value, status: u16) -> Value {
        self.call(method, path, Some(body), status).await
    }

    async fn upload(
        &self,
        files: Vec<(&str, Vec<u8>)>,
        metadata: Option<Value>,
        options: Option<Value>,
        status: u16,
    ) -> Value {
        let mut form = Form::new();
        for (path, bytes) in files {
            form = form.part("file", Part::bytes(bytes).file_name(path.to_owned()));
        }
        if let Some(metadata) = metadata {
            form = form.text("pinataMetadata", metadata.to_string());
        }
        if let Some(options) = options {
            form = form.text("pinataOptions", options.to_string());
        }
        self.post_form("/pinning/pinFileToIPFS", form, status).await
    }

    /// A new key with these permissions; returns a client using its key pair.
    async fn key(&self, permissions: Value, max_uses: Option<u64>) -> (Pinata, Value) {
        let mut body = json!({ "keyName": "test key", "permissions": permissions });
        if let Some(max) = max_uses {
            body["maxUses"] = json!(max);
        }
        let created = self
            .send_json(Method::POST, "/users/generateApiKey", body, 200)
            .await;
        let client = self.with(Auth::Pair(
            created["pinata_api_key"].as_str().unwrap().to_owned(),
            created["pinata_api_secret"].as_str().unwrap().to_owned(),
        ));
        (client, created)
    }
}

fn reason(body: &Value) -> &str {
    body["error"]["reason"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn authentication_failures_in_pinatas_shapes() {
    let emulator = start().await;
    let admin = Pinata::admin(&emulator);

    let none = admin
        .with(Auth::None)
        .get("/data/testAuthentication", 400)
        .await;
    assert_eq!(reason(&none), "KEYS_MUST_BE_STRINGS");
    let only_key = admin
        .with(Auth::None)
        .request(Method::GET, "/data/testAuthentication")
        .header("pinata_api_key", "abc")
        .send()
        .await
        .unwrap();
    assert_eq!(reason(&json(only_key, 400).await), "KEYS_MUST_BE_STRINGS");

    let c = emulator.credentials();
    let wrong_secret = admin.with(Auth::Pair(c.pinata.api_key.clone(), "0".repeat(64)));
    assert_eq!(
        reason(&wrong_secret.get("/data/testAuthentication", 401).await),
        "INVALID_CREDENTIALS"
    );
    let forged = admin.with(Auth::Jwt(format!("{}x", c.pinata.jwt)));
    assert_eq!(
        reason(&forged.get("/data/testAuthentication", 401).await),
        "INVALID_CREDENTIALS"
    );
    let pair = admin.with(Auth::Pair(
        c.pinata.api_key.clone(),
        c.pinata.api_secret.clone(),
    ));
    pair.get("/data/testAuthentication", 200).await;
    // The v3 SDK asks under `/v3` when its endpointUrl ends in `/v3`.
    admin.get("/v3/data/testAuthentication", 200).await;
    let usage = admin.get("/v3/data/userPinnedDataTotal", 200).await;
    assert!(usage["pin_count"].is_number(), "{usage}");
}

#[tokio::test]
async fn revoked_keys_stop_at_once_and_max_uses_are_counted() {
    let emulator = start().await;
    let admin = Pinata::admin(&emulator);
    let (scoped, created) = admin.key(json!({"admin": true}), None).await;
    scoped.get("/data/testAuthentication", 200).await;
    let jwt_client = admin.with(Auth::Jwt(created["JWT"].as_str().unwrap().to_owned()));
    jwt_client.get("/data/testAuthentication", 200).await;
    let revoked = admin
        .send_json(
            Method::PUT,
            "/users/revokeApiKey",
            json!({"apiKey": created["pinata_api_key"]}),
            200,
        )
        .await;
    assert_eq!(revoked, json!("Revoked"));
    assert_eq!(
        reason(&scoped.get("/data/testAuthentication", 401).await),
        "INVALID_CREDENTIALS"
    );
    assert_eq!(
        reason(&jwt_client.get("/data/testAuthentication", 401).await),
        "INVALID_CREDENTIALS"
    );

    let (limited, _) = admin
        .key(
            serde_json::to_value(PinataPermissions::from_flags([PinataFlag::PinList])).unwrap(),
            Some(2),
        )
        .await;
    limited.get("/data/pinList", 200).await;
    limited.get("/data/pinList", 200).await;
    let exhausted = limited.get("/data/pinList", 403).await;
    assert_eq!(reason(&exhausted), "NO_PERMISSIONS");
    assert!(
        exhausted["error"]["details"]
            .as_str()
            .unwrap()
            .contains("maxUses")
    );

    let listed = admin.get("/v3/pinata/keys?exhausted=true", 200).await;
    assert_eq!(listed["count"], 1);
    assert_eq!(listed["keys"][0]["uses"], 2);
    assert_eq!(listed["keys"][0]["max_uses"], 2);
}

/// For each permission flag: an endpoint it opens, as (method, path, body, success status).
fn endpoint_of(flag: PinataFlag) -> (Method, &'static str, Option<Value>, u16) {
    let policy = json!({"regions": [{"id": "FRA1", "desiredReplicationCount": 1}]});
    match flag {
        PinataFlag::PinList => (Method::GET, "/data/pinList", None, 200),
        PinataFlag::UserPinnedDataTotal => (Method::GET, "/data/userPinnedDataTotal", None, 200),
        PinataFlag::HashMetadata => (
            Method::PUT,
            "/pinning/hashMetadata",
            Some(
                json!({"ipfsPinHash": "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "name": "x"}),
            ),
            404,
        ),
        PinataFlag::HashPinPolicy => (
            Method::PUT,
            "/pinning/hashPinPolicy",
            Some(
                json!({"ipfsPinHash": "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "newPinPolicy": policy}),
            ),
            404,
        ),
        PinataFlag::PinByHash => (
            Method::POST,
            "/pinning/pinByHash",
            Some(json!({"hashToPin": "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"})),
            200,
        ),
        PinataFlag::PinFileToIpfs => (Method::POST, "/pinning/pinFileToIPFS", None, 200),
        PinataFlag::PinJsonToIpfs => (
            Method::POST,
            "/pinning/pinJSONToIPFS",
            Some(json!({"a": 1})),
            200,
        ),
        PinataFlag::PinJobs => (Method::GET, "/pinning/pinJobs", None, 200),
        PinataFlag::Unpin => (
            Method::DELETE,
            // Not the CID the PinByHash case queues: unpinning a queued CID cancels its job.
            "/pinning/unpin/QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
            None,
            404,
        ),
        PinataFlag::UserPinPolicy => (
            Method::PUT,
            "/pinning/userPinPolicy",
            Some(json!({"newPinPolicy": policy})),
            200,
        ),
    }
}

async fn call(client: &Pinata, flag: PinataFlag) -> u16 {
    let (method, path, body, _) = endpoint_of(flag);
    let mut request = client.request(method, path);
    if flag == PinataFlag::PinFileToIpfs {
        request = request
            .multipart(Form::new().part("file", Part::bytes(b"x".to_vec()).file_name("x.txt")));
    } else if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn each_permission_flag_opens_exactly_its_endpoint() {
    let emulator = start().await;
    let admin = Pinata::admin(&emulator);
    for flag in PinataFlag::ALL {
        let (scoped, _) = admin
            .key(
                serde_json::to_value(PinataPermissions::from_flags([flag])).unwrap(),
                None,
            )
            .await;
        let (_, _, _, success) = endpoint_of(flag);
        assert_eq!(
            call(&scoped, flag).await,
            success,
            "{flag:?} must open its own endpoint"
        );
        for other in PinataFlag::ALL.into_iter().filter(|other| *other != flag) {
            assert_eq!(
                call(&scoped, other).await,
                403,
                "{flag:?} must not open {other:?}"
            );
        }
        // Admin-only routes stay closed to scoped keys.
        let refused = scoped.get("/data/testAuthentication", 403).await;
        assert!(
            refused["error"]["details"]
                .as_str()
                .unwrap()
                .contains("admin"),
            "{refused}"
        );
        scoped.get("/users/apiKeys", 403).await;
        scoped.get("/groups", 403).await;
    }
}

#[tokio::test]
async fn uploads_get_the_cids_ipfs_computes() {
    let emulator = start().await;
    let admin = Pinata::admin(&emulator);
    let fixtures = file_fixtures(1_048_577);
    assert!(
        fixtures.len() >= 6,
        "fixtures: 0 B, 1 B, 256 KiB ± 1, 1 MiB + 1"
    );
    for fixture in &fixtures {
        for (version, (cid, pin_size)) in [(0, &fixture.v0), (1, &fixture.v1)] {
            let answer = admin
                .upload(
                    vec![(&format!("{}.bin", fixture.name), fixture.bytes.clone())],
                    None,
                    Some(json!({"cidVersion": version})),
                    200,
                )
                .await;
            assert_eq!(answer["IpfsHash"], *cid, "{} v{version}", fixture.name);
            assert_eq!(answer["PinSize"], *pin_size, "{} v{version}", fixture.name);
            assert!(answer["Timestamp"].as_str().unwrap().ends_with('Z'));
        }
    }
    // The same bytes again: a duplicate.
    let again = admin
        .upload(
            vec![("again.txt", b"hello world\n".to_vec())],
            None,
            None,
            200,
        )
        .await;
    assert_eq!(
        again["IpfsHash"],
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
    );
    assert_eq!(again["isDuplicate"], true);

    // wrapWithDirectory, as the fixture generator did it.
    let all = common::fixtures_json();
    let wrapped = all["directories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|case| case["name"] == "wrapped-file")
        .unwrap();
    let bytes = xorshift_bytes("wrapped-file/hello.txt", 1000);
    for (version, key) in [(0, "v0"), (1, "v1")] {
        let answer = admin
            .upload(
                vec![("hello.txt", bytes.clone())],
                None,
                Some(json!({"cidVersion": version, "wrapWithDirectory": true})),
                200,
            )
            .await;
        assert_eq!(answer["IpfsHash"], wrapped[key]["cid"]);
        assert_eq!(answer["PinSize"], wrapped[key]["pinSize"]);
    }
}

#[tokio::test]
async fn directories_upload_as_their_top_directory() {
    let emulator = start().await;
    let admin = Pinata::admin(&emulator);
    let files = vec![
        ("site/index.html", b"<h1>hi</h1>".to_vec()),
        ("site/css/main.css", b"body{}".to_vec()),
        ("site/img/a.bin", xorshift_bytes("a", 300_000)),
    ];
    let mut builder = DirectoryBuilder::new(CidVersion::V1);
    for (path, bytes) in &files {
        builder
            .add_file(
                path.strip_prefix("site/").unwrap(),
                hash_bytes(bytes, CidVersion::V1),
            )
            .unwrap();
    }
    let expected = builder.finish();
    let answer = admin
        .upload(
            files.clone(),
            Some(json!({"name": "my site"})),
            Some(json!({"cidVersion": 1})),
            200,
        )
        .await;
    assert_eq!(answer["IpfsHash"], expected.cid.to_string());
    assert_eq!(answer["PinSize"], expected.pin_size);
    let listed = admin
        .get(&format!("/data/pinList?cid={}", expected.cid), 200)
        .await;
    assert_eq!(listed["rows"][0]["metadata"]["name"], "my site");
    assert_eq!(listed["rows"][0]["number_of_files"], 3);
    // The fields the v3 SDK's folder upload reads from this answer.
    assert_eq!(answer["ID"], listed["rows"][0]["id"]);
    assert_eq!(answer["Name"], "my site");
    assert_eq!(answer["NumberOfFiles"], 3);

    let unrelated = admin
        .upload(
            vec![("a.txt", b"a".to_vec()), ("b.txt", b"b".to_vec())],
            None,
            None,
            400,
        )
        .await;
    assert!(
        unrelated["error"]["details"]
            .as_str()
            .unwrap()
            .contains("wrapWithDirectory")
    );
    let nothing = admin
        .upload(vec![], Some(json!({"name": "x"})), None, 400)
        .await;
    assert_eq!(reason(&nothing), "NO_FILES");
    let bad_version = admin
        .upload(
            vec![("a.txt", b"a".to_vec())],
            None,
            Some(json!({"cidVersion": 2})),
            400,
        )
        .await;
    assert!(
        bad_version["error"]["details"]
            .as_str()
            .unwrap()
            .contains("cidVersion")
    );
}

#[tokio::test]
async fn pin_json_accepts_wrapped_and_bare_bodies() {
    let emulator = start().await;
    let admin = Pinata::admin(&emulator);
    let content = json!({"hello": "world"});
    let expected = hash_bytes(
        serde_json::to_string(&content).unwrap().as_bytes(),
        CidVersion::V0,
    );
    let wrapped = admin
        .send_json(
            Method::POST,
            "/pinning/pinJSONToIPFS",
            json!({"pinataContent": content, "pinataMetadata": {"name": "greeting", "keyvalues": {"lang": "en"}}}),
            200,
        )
        .await;
    assert_eq!(wrapped["IpfsHash"], expected.cid.to_string());
    let bare = admin
        .send_json(Method::POST, "/pinning/pinJSONToIPFS", content.clone(), 200)
        .await;
    assert_eq!(bare["IpfsHash"], expected.cid.to_string());
    assert_eq!(bare["isDuplicate"], true);
    let row = admin
        .get(&format!("/data/pinList?cid={}", expected.cid), 200)
        .await;
    assert_eq!(row["rows"][0]["metadata"]["name"], "greeting");
    assert_eq!(row["rows"][0]["metadata"]["keyvalues"]["lang"], "en");
    let v1 = admin
        .send_json(
            Method::POST,
            "/pinning/pinJSONToIPFS",
            json!({"pinataContent": content, "pinataOptions": {"cidVersion": 1}}),
            200,
        )
        .await;
    assert!(v1["IpfsHash"].as_str().unwrap().starts_with("bafkrei"));
    let broken = admin
        .request(Method::POST, "/pinning/pinJSONToIPFS")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(reason(&json(broken, 400).await), "INVALID_REQUEST");
    let too_many: serde_json::Map<String, Value> =
        (0..11).map(|i| (format!("k{i}"), json!(i))).collect();
    let refused = admin
        .send_json(
            Method::POST,
            "/pinning/pinJSONToIPFS",
            json!({"pinataContent": {"a": 2}, "pinataMetadata": {"keyvalues": too_many}}),
            400,
        )
        .await;
    assert!(
        refused["error"]["details"]
            .as_str()
            .unwrap()
            .contains("at most 10")
    );
}

async fn pin_named(admin: &Pinata, name: &str, bytes: Vec<u8>, keyvalues: Value) -> String {
    let answer = admin
        .upload(
            vec![(name, bytes)],
            Some(json!({"name": name, "keyvalues": keyvalues})),
            None,
            200,
        )
        .await;
    answer["IpfsHash"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn pin_list_filters_pages_and_counts() {
    let emulator = start().await;
    let admin = Pinata::admin(&emulator);
    let a = pin_named(
        &admin,
        "alpha.txt",
        b"a".to_vec(),
        json!({"kind": "doc", "n": 1}),
    )
    .await;
    let b = pin_named(
        &admin,
        "beta.txt",
        b"bb".to_vec(),
        json!({"kind": "doc", "n": 5}),
    )
    .await;
    let c = pin_named(
        &admin,
        "gamma.bin",
        vec![7; 1000],
        json!({"kind": "blob", "n": 9}),
    )
    .await;

    let all = admin.get("/data/pinList", 200).await;
    assert_eq!(all["count"], 3);
    assert_eq!(all["rows"][0]["ipfs_pin_hash"], c, "newest first");
    let page = admin
        .get("/data/pinList?pageLimit=2&pageOffset=2", 200)
        .await;
    assert_eq!(page["rows"].as_array().unwrap().len(), 1);
    assert_eq!(page["rows"][0]["ipfs_pin_hash"], a);
    let no_count = admin.get("/data/pinList?includeCount=false", 200).await;
    assert!(no_count.get("count").is_none());

    let by_name = admin.get("/data/pinList?metadata[name]=ALPHA", 200).await;
    assert_eq!(by_name["count"], 1);
    let kv = urlencode(r#"{"kind":{"value":"doc","op":"eq"},"n":{"value":2,"op":"gt"}}"#);
    let by_kv = admin
        .get(&format!("/data/pinList?metadata[keyvalues]={kv}"), 200)
        .await;
    assert_eq!(by_kv["count"], 1);
    assert_eq!(by_kv["rows"][0]["ipfs_pin_hash"], b);
    let between = urlencode(r#"{"value":1,"op":"between","secondValue":5}"#);
    let by_single = admin
        .get(
            &format!("/data/pinList?metadata[keyvalues][n]={between}"),
            200,
        )
        .await;
    assert_eq!(by_single["count"], 2);
    let sized = admin.get("/data/pinList?pinSizeMin=100", 200).await;
    assert_eq!(sized["count"], 1);
    assert_eq!(
        admin
            .get(&format!("/data/pinList?hashContains={}", &c[2..10]), 200)
            .await["count"],
        1
    );
    assert_eq!(
        admin
            .get(
                "/data/pinList?pinStart=2000-01-01T00:00:00Z&unknownParam=1",
                200
            )
            .await["count"],
        3
    );
    assert_eq!(
        admin
            .get("/data/pinList?pinEnd=2000-01-01T00:00:00Z", 200)
            .await["count"],
        0
    );

    // Unpin keeps the row with date_unpinned.
    assert_eq!(
        admin
            .call_text(Method::DELETE, &format!("/pinning/unpin/{a}"), None, 200)
            .await,
        "OK"
    );
    let pinned = admin.get("/data/pinList?status=pinned", 200).await;
    assert_eq!(pinned["count"], 2);
    let unpinned = admin.get("/data/pinList?status=unpinned", 200).await;
    assert_eq!(unpinned["rows"][0]["ipfs_pin_hash"], a);
    assert!(unpinned["rows"][0]["date_unpinned"].is_string());
    assert_eq!(
        admin.get("/data/pinList?unpinStart=2000-01-01", 200).await["count"],
        1
    );
    let again = admin
        .call_text(Method::DELETE, &format!("/pinning/unpin/{a}"), None, 404)
        .await;
    assert!(again.contains("OBJECT_NOT_FOUND"));

    for bad in [
        "pageLimit=0",
        "pageLimit=1001",
        "status=gone",
        "pinStart=yesterday",
        "metadata[keyvalues]=%7B",
    ] {
        let refused = admin.get(&format!("/data/pinList?{bad}"), 400).await;
        assert_eq!(reason(&refused), "INVALID_QUERY", "{bad}");
    }

    let totals = admin.get("/data/userPinnedDataTotal", 200).await;
    assert_eq!(totals["pin_count"], 2);
    let size = totals["pin_size_total"].as_i64().unwrap();
    assert_eq!(totals["pin_size_with_replications_total"], size * 2);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn hash_metadata_merges_and_null_removes() {
    let emulator = start().await;
    let admin = Pinata::admin(&emulator);
    let cid = pin_named(
        &admin,
        "doc.txt",
        b"doc".to_vec(),
        json!({"a": "1", "b": "2"}),
    )
    .await;
    let ok = admin
        .call_text(
            Method::PUT,
            "/pinning/hashMetadata",
            Some(json!({"ipfsPinHash": cid, "name": "renamed", "keyvalues": {"b": null, "c": 3}})),
            200,
        )
        .await;
    assert_eq!(ok, "OK");
    let row = &admin.get(&format!("/data/pinList?cid={cid}"), 200).await["rows"][0];
    assert_eq!(row["metadata"]["name"], "renamed");
    assert_eq!(row["metadata"]["keyvalues"], json!({"a": "1", "c": 3}));
    admin
        .call_text(
            Method::PUT,
            "/pinning/hashMetadata",
            Some(json!({"ipfsPinHash": "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "name": "x"})),
            404,
        )
        .await;
    let nested = admin
        .call_text(
            Method::PUT,
            "/pinning/hashMetadata",
            Some(json!({"ipfsPinHash": cid, "keyvalues": {"d": {"nested": true}}})),
            400,
        )
        .await;
    assert!(nested.contains("INVALID_METADATA"));

    // Deprecated pin policies: validated and applied.
    let policy = json!({"regions": [{"id": "FRA1", "desiredReplicationCount": 2}], "version": 1});
    admin
        .call_text(
            Method::PUT,
            "/pinning/hashPinPolicy",
            Some(json!({"ipfsPinHash": cid, "newPinPolicy": policy})),
            200,
        )
        .await;
    let row = &admin.get(&format!("/data/pinList?cid={cid}"), 200).await["rows"][0];
    assert_eq!(row["regions"][0]["desiredReplicationCount"], 2);
    let bad = json!({"regions": [{"id": "MARS1", "desiredReplicationCount": 1}]});
    let refused = admin
        .call_text(
            Method::PUT,
            "/pinning/userPinPolicy",
            Some(json!({"newPinPolicy": bad})),
            400,
        )
        .await;
    assert!(refused.contains("MARS1"));
    let good = json!({"regions": [{"id": "NYC1", "desiredReplicationCount": 1}]});
    admin
        .call_text(
            Method::PUT,
            "/pinning/userPinPolicy",
            Some(json!({"newPinPolicy": good})),
            200,
        )
        .await;
}

#[tokio::test]
async fn pin_by_hash_jobs_move_deterministically() {
    let emulator = start().await;
    let admin = Pinata::admin(&emulator);
    // Content the emulator has (uploaded, then unpinned): retrieved and pinned.
    let known = pin_named(&admin, "k.txt", b"known".to_vec(), json!({})).await;
    admin
        .call_text(
            Method::DELETE,
            &format!("/pinning/unpin/{known}"),
            None,
            200,
        )
        .await;
    let job = admin
        .send_json(
            Method::POST,
            "/pinning/pinByHash",
            json!({"hashToPin": known, "pinataMetadata": {"name": "again"}}),
            200,
        )
        .await;
    assert_eq!(job["status"], "prechecking");
    assert_eq!(job["ipfsHash"], known);
    let listed = admin.get("/pinning/pinJobs", 200).await;
    assert_eq!(listed["rows"][0]["status"], "retrieving");
    let listed = admin.get("/pinning/pinJobs", 200).await;
    assert_eq!(listed["count"], 0);
    let pinned = admin
        .get(&format!("/data/pinList?cid={known}&status=pinned"), 200)
        .await;
    assert_eq!(pinned["rows"][0]["metadata"]["name"], "again");

    // Unknown content: searching until driven.
    let unknown = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    let job = admin
        .send_json(
            Method::POST,
            "/pinning/pinByHash",
            json!({"hashToPin": unknown}),
            200,
        )
        .await;
    let id = job["id"].as_str().unwrap().to_owned();
    admin.get("/pinning/pinJobs", 200).await;
    let searching = admin.get("/pinning/pinJobs?status=searching", 200).await;
    assert_eq!(searching["rows"][0]["id"], id.as_str());
    let control = format!("{}/_emulator/pinata/jobs/{id}", emulator.origin());
    let driven = http()
        .post(&control)
        .body(r#"{"status":"expired"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(text(driven, 200).await, "expired");
    assert_eq!(
        admin.get("/pinning/pinJobs?status=expired", 200).await["count"],
        1
    );
    let bad = http()
        .post(&control)
        .body(r#"{"status":"lost"}"#)
        .send()
        .await
        .unwrap();
    text(bad, 400).await;
    let done = http()
        .post(&control)
        .body(r#"{"status":"pinned"}"#)
        .send()
        .await
        .unwrap();
    text(done, 200).await;
    assert_eq!(
        admin
            .get(&format!("/data/pinList?cid={unknown}"), 200)
            .await["count"],
        1
    );

    // Filters, sort, paging, and refusals.
    for cid in [
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
        "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
    ] {
        admin
            .send_json(
                Method::POST,
                "/pinning/pinByHash",
                json!({"hashToPin": cid}),
                200,
            )
            .await;
    }
    let desc = admin.get("/pinning/pinJobs?sort=DESC&limit=1", 200).await;
    assert_eq!(desc["rows"].as_array().unwrap().len(), 1);
    assert_eq!(desc["count"], 2);
    let by_cid = admin
        .get(
            "/pinning/pinJobs?ipfs_pin_hash=QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
            200,
        )
        .await;
    assert_eq!(by_cid["count"], 1);
    let bad_cid = admin
        .send_json(
            Method::POST,
            "/pinning/pinByHash",
            json!({"hashToPin": "Qmnope"}),
            400,
        )
        .await;
    assert_eq!(reason(&bad_cid), "INVALID_CID");
    let nodes: Vec<String> = (0..6)
        .map(|i| format!("/ip4/10.0.0.{i}/tcp/4001"))
        .collect();
    let too_many = admin
        .send_json(
            Method::POST,
            "/pinning/pinByHash",
            json!({"hashToPin": unknown, "pinataOptions": {"hostNodes": nodes}}),
            400,
        )
        .await;
    assert_eq!(reason(&too_many), "bad_host_node");
    admin.get("/pinning/pinJobs?sort=sideways", 400).await;
    admin.get("/pinning/pinJobs?status=lost", 400).await;
    // Unpinning a queued CID cancels its job.
    admin
        .call_text(
            Method::DELETE,
            "/pinning/unpin/QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
            None,
            200,
        )
        .await;
    assert_eq!(admin.get("/pinning/pinJobs", 200).await["count"], 1);
}

#[tokio::test]
async fn key_management_legacy_and_v3() {
    let emulator = start().await;
    let admin = Pinata::admin(&emulator);
    let both = admin
        .send_json(
            Method::POST,
            "/users/generateApiKey",
            json!({"keyName": "x", "permissions": {"admin": true, "endpoints": {"data": {"pinList": true}}}}),
            400,
        )
        .await;
    assert_eq!(reason(&both), "INVALID_PERMISSIONS");
    let partial = admin
        .send_json(
            Method::POST,
            "/users/generateApiKey",
            json!({"keyName": "x", "permissions": {"endpoints": {"data": {"pinList": true}}}}),
            400,
        )
        .await;
    assert_eq!(reason(&partial), "INVALID_PERMISSIONS");
    let unnamed = admin
        .send_json(
            Method::POST,
            "/users/generateApiKey",
            json!({"keyName": " ", "permissions": {"admin": true}}),
            400,
        )
        .await;
    assert!(
        unnamed["error"]["details"]
            .as_str()
            .unwrap()
            .contains("keyName")
    );
    let zero = admin
        .send_json(
            Method::POST,
            "/users/generateApiKey",
            json!({"keyName": "x", "permissions": {"admin": true}, "maxUses": 0}),
            400,
        )
        .await;
    assert!(
        zero["error"]["details"]
            .as_str()
            .unwrap()
            .contains("maxUses")
    );

    let (_, created) = admin.key(json!({"admin": true}), Some(100)).await;
    let key = created["pinata_api_key"].as_str().unwrap();
    assert_eq!(key.len(), 20);
    assert_eq!(created["pinata_api_secret"].as_str().unwrap().len(), 64);
    assert_eq!(created["JWT"].as_str().unwrap().split('.').count(), 3);

    let listed = admin.get("/users/apiKeys", 200).await;
    assert_eq!(listed["count"], 2);
    let text = listed.to_string();
    assert!(
        !text.contains(created["pinata_api_secret"].as_str().unwrap()),
        "secrets are never listed"
    );
    assert!(!text.contains(created["JWT"].as_str().unwrap()));

    // v3: JWT only.
    let c = emulator.credentials();
    let pair = admin.with(Auth::Pair(
        c.pinata.api_key.clone(),
        c.pinata.api_secret.clone(),
    ));
    assert_eq!(
        reason(&pair.get("/v3/pinata/keys", 401).await),
        "INVALID_CREDENTIALS"
    );
    let made = admin
        .send_json(
            Method::POST,
            "/v3/pinata/keys",
            json!({"keyName": "v3 key", "permissions": {"admin": true}}),
            200,
        )
        .await;
    let limited = admin.get("/v3/pinata/keys?limitedUse=true", 200).await;
    assert_eq!(limited["count"], 1);
    assert_eq!(admin.get("/v3/pinata/keys?name=V3", 200).await["count"], 1);
    let revoked = admin
        .send_json(
            Method::PUT,
            &format!(
                "/v3/pinata/keys/{}",
                made["pinata_api_key"].as_str().unwrap()
            ),
            json!({}),
            200,
        )
        .await;
    assert_eq!(revoked, json!("Revoked"));
    assert_eq!(
        admin.get("/v3/pinata/keys?revoked=true", 200).await["count"],
        1
    );
    admin
        .send_json(Method::PUT, "/v3/pinata/keys/nope", json!({}), 404)
        .await;
    admin.get("/v3/pinata/keys?revoked=maybe", 400).await;
    admin
        .send_json(
            Method::PUT,
            "/users/revokeApiKey",
            json!({"apiKey": "nope"}),
            404,
        )
        .await;

    // Paging of the legacy list, 10 per page.
    for _ in 0..10 {
        admin.key(json!({"admin": true}), None).await;
    }
    let first = admin.get("/users/apiKeys", 200).await;
    assert_eq!(first["keys"].as_array().unwrap().len(), 10);
    let second = admin.get("/users/apiKeys?offset=10", 200).await;
    assert_eq!(second["keys"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn groups_hold_pins() {
    let emulator = start().await;
    let admin = Pinata::admin(&emulator);
    let cid = pin_named(&admin, "g.txt", b"grouped".to_vec(), json!({})).await;
    let group = admin
        .send_json(Method::POST, "/groups", json!({"name": "Photos"}), 200)
        .await;
    let id = group["id"].as_str().unwrap().to_owned();
    assert_eq!(
        admin.get(&format!("/groups/{id}"), 200).await["name"],
        "Photos"
    );
    let renamed = admin
        .send_json(
            Method::PUT,
            &format!("/groups/{id}"),
            json!({"name": "Pictures"}),
            200,
        )
        .await;
    assert_eq!(renamed["name"], "Pictures");
    assert_eq!(
        admin
            .get("/groups?nameContains=pict", 200)
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        admin
            .call_text(
                Method::PUT,
                &format!("/groups/{id}/cids"),
                Some(json!({"cids": [cid]})),
                200
            )
            .await,
        "OK"
    );
    assert_eq!(
        admin.get(&format!("/data/pinList?groupId={id}"), 200).await["count"],
        1
    );
    admin
        .call_text(
            Method::PUT,
            &format!("/groups/{id}/cids"),
            Some(json!({"cids": ["QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"]})),
            404,
        )
        .await;
    admin
        .call_text(
            Method::DELETE,
            &format!("/groups/{id}/cids"),
            Some(json!({"cids": [cid]})),
            200,
        )
        .await;
    assert_eq!(
        admin.get(&format!("/data/pinList?groupId={id}"), 200).await["count"],
        0
    );
    // Uploading straight into the group.
    let answer = admin
        .upload(
            vec![("in.txt", b"in group".to_vec())],
            None,
            Some(json!({"groupId": id})),
            200,
        )
        .await;
    assert_eq!(
        admin.get(&format!("/data/pinList?groupId={id}"), 200).await["count"],
        1
    );
    assert!(answer["IpfsHash"].is_string());
    admin
        .upload(
            vec![("x.txt", b"x".to_vec())],
            None,
            Some(json!({"groupId": "00000000-0000-4000-8000-000000000000"})),
            400,
        )
        .await;
    assert_eq!(
        admin
            .call_text(Method::DELETE, &format!("/groups/{id}"), None, 200)
            .await,
        "OK"
    );
    admin.get(&format!("/groups/{id}"), 404).await;
    admin
        .send_json(Method::POST, "/groups", json!({"name": ""}), 400)
        .await;
    admin.get("/groups?limit=0", 400).await;
}

#[tokio::test]
async fn large_files_and_nested_directories_match_the_importer() {
    let emulator = start().await;
    let admin = Pinata::admin(&emulator);
    // 40 MiB: many chunks, a two-level DAG.
    let forty = file_fixtures(u64::MAX)
        .into_iter()
        .find(|f| f.name == "forty-mib")
        .expect("the 40 MiB fixture");
    for (version, (cid, pin_size)) in [(0, &forty.v0), (1, &forty.v1)] {
        let answer = admin
            .upload(
                vec![("forty.bin", forty.bytes.clone())],
                None,
                Some(json!({"cidVersion": version})),
                200,
            )
            .await;
        assert_eq!(answer["IpfsHash"], *cid, "40 MiB v{version}");
        assert_eq!(answer["PinSize"], *pin_size, "40 MiB v{version}");
    }

    // The `nested` fixture's alpha/beta sub-tree, uploaded as a directory `beta`.
    let all = common::fixtures_json();
    let nested = all["directories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|case| case["name"] == "nested")
        .unwrap();
    let files: Vec<(String, Vec<u8>)> = nested["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|file| {
            let path = file["path"].as_str().unwrap();
            let inside = path.strip_prefix("alpha/beta/")?;
            let bytes = xorshift_bytes(
                &format!("nested/{path}"),
                file["len"].as_u64().unwrap() as usize,
            );
            Some((format!("beta/{inside}"), bytes))
        })
        .collect();
    assert_eq!(files.len(), 4);
    for (version, key) in [(0, "v0"), (1, "v1")] {
        let expected = &nested[key]["subdirs"]["alpha/beta"];
        let answer = admin
            .upload(
                files.iter().map(|(p, b)| (p.as_str(), b.clone())).collect(),
                None,
                Some(json!({"cidVersion": version})),
                200,
            )
            .await;
        assert_eq!(answer["IpfsHash"], expected["cid"], "alpha/beta {key}");
        assert_eq!(answer["PinSize"], expected["pinSize"], "alpha/beta {key}");
    }
}
