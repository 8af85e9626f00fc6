//! Pinata uploads: `pinFileToIPFS` (files, directories, large files) and
//! `pinJSONToIPFS`, with the CIDs IPFS computes.

mod common;

use common::pinata::{Pinata, PinataCalls, admin, reason};
use common::{file_fixtures, json, start, xorshift_bytes};
use pinion_cid::{CidVersion, DirectoryBuilder, hash_bytes};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn files_get_the_cids_ipfs_computes() {
    let emulator = start().await;
    let admin = admin(&emulator);
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
}

#[tokio::test]
async fn the_same_bytes_again_are_a_duplicate() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let bytes = b"hello world\n".to_vec();
    let first = admin
        .upload(vec![("a.txt", bytes.clone())], None, None, 200)
        .await;
    assert_eq!(first["isDuplicate"], Value::Null);
    let again = admin
        .upload(vec![("again.txt", bytes)], None, None, 200)
        .await;
    assert_eq!(
        again["IpfsHash"],
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
    );
    assert_eq!(again["isDuplicate"], true);
}

#[tokio::test]
async fn wrap_with_directory_matches_the_importer() {
    let emulator = start().await;
    let admin = admin(&emulator);
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
    let admin = admin(&emulator);
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
}

#[tokio::test]
async fn files_without_a_common_directory_are_refused() {
    let emulator = start().await;
    let unrelated = admin(&emulator)
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
}

#[tokio::test]
async fn an_upload_without_files_is_no_files() {
    let emulator = start().await;
    let nothing = admin(&emulator)
        .upload(vec![], Some(json!({"name": "x"})), None, 400)
        .await;
    assert_eq!(reason(&nothing), "NO_FILES");
}

#[tokio::test]
async fn an_unknown_cid_version_is_refused() {
    let emulator = start().await;
    let bad_version = admin(&emulator)
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

async fn pin_json(admin: &Pinata, body: Value, status: u16) -> Value {
    admin
        .send_json(Method::POST, "/pinning/pinJSONToIPFS", body, status)
        .await
}

#[tokio::test]
async fn pin_json_takes_the_wrapped_form_with_metadata() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let content = json!({"hello": "world"});
    let expected = hash_bytes(
        serde_json::to_string(&content).unwrap().as_bytes(),
        CidVersion::V0,
    );
    let wrapped = pin_json(
        &admin,
        json!({"pinataContent": content, "pinataMetadata": {"name": "greeting", "keyvalues": {"lang": "en"}}}),
        200,
    )
    .await;
    assert_eq!(wrapped["IpfsHash"], expected.cid.to_string());
    let row = admin
        .get(&format!("/data/pinList?cid={}", expected.cid), 200)
        .await;
    assert_eq!(row["rows"][0]["metadata"]["name"], "greeting");
    assert_eq!(row["rows"][0]["metadata"]["keyvalues"]["lang"], "en");
}

#[tokio::test]
async fn pin_json_takes_a_bare_document() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let content = json!({"hello": "world"});
    let expected = hash_bytes(
        serde_json::to_string(&content).unwrap().as_bytes(),
        CidVersion::V0,
    );
    let bare = pin_json(&admin, content, 200).await;
    assert_eq!(bare["IpfsHash"], expected.cid.to_string());
}

#[tokio::test]
async fn pin_json_honours_cid_version_1() {
    let emulator = start().await;
    let v1 = pin_json(
        &admin(&emulator),
        json!({"pinataContent": {"hello": "world"}, "pinataOptions": {"cidVersion": 1}}),
        200,
    )
    .await;
    assert!(v1["IpfsHash"].as_str().unwrap().starts_with("bafkrei"));
}

#[tokio::test]
async fn pin_json_of_malformed_json_is_invalid_request() {
    let emulator = start().await;
    let broken = admin(&emulator)
        .request(Method::POST, "/pinning/pinJSONToIPFS")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(reason(&json(broken, 400).await), "INVALID_REQUEST");
}

#[tokio::test]
async fn more_than_ten_keyvalues_are_refused() {
    let emulator = start().await;
    let too_many: serde_json::Map<String, Value> =
        (0..11).map(|i| (format!("k{i}"), json!(i))).collect();
    let refused = pin_json(
        &admin(&emulator),
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

#[tokio::test]
async fn a_forty_mib_file_matches_the_importer() {
    let emulator = start().await;
    let admin = admin(&emulator);
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
}

#[tokio::test]
async fn a_nested_directory_matches_the_importer() {
    let emulator = start().await;
    let admin = admin(&emulator);
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
