//! `pinion groups`, `pinion swap` and v3 `keys create` through the built binary.

use serde_json::Value;

mod common;

use common::{Env, Served, last_line};

#[test]
fn groups_are_created_filled_updated_emptied_and_deleted() {
    let env = Env::new();
    let file = env.file("member.txt", b"a file in a group\n");
    let file_id = env.json(&["--local", "files", "upload", &file])["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let quiet = env.ok(&["--local", "-q", "groups", "create", "team"]);
    let group = last_line(&quiet).to_owned();
    assert_eq!(quiet.trim(), group, "-q prints only the id: {quiet}");
    let listed = env.json(&["--local", "groups", "list", "--all"]);
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["name"], "team");
    assert_eq!(listed[0]["is_public"], false);
    assert!(
        env.json(&["--local", "groups", "list", "--private"])
            .as_array()
            .unwrap()
            .is_empty(),
        "groups belong to a network"
    );

    env.ok(&["--local", "groups", "add", &group, &file_id]);
    let members = env.json(&["--local", "files", "list", "--group", &group]);
    assert_eq!(members.as_array().unwrap().len(), 1, "{members}");
    assert_eq!(members[0]["id"], file_id.as_str());

    let updated = env.json(&[
        "--local",
        "groups",
        "update",
        &group,
        "--name",
        "team2",
        "--is-public",
        "true",
    ]);
    assert_eq!(updated["name"], "team2");
    assert_eq!(updated["is_public"], true);
    assert_eq!(
        env.json(&["--local", "groups", "get", &group])["name"],
        "team2"
    );
    let (code, text) = env.fails(&["--local", "groups", "update", &group]);
    assert_eq!(code, 2, "{text}");

    env.ok(&["--local", "groups", "remove", &group, &file_id]);
    let members = env.json(&["--local", "files", "list", "--group", &group]);
    assert!(members.as_array().unwrap().is_empty(), "{members}");

    env.ok(&["--local", "groups", "delete", &group]);
    let (code, text) = env.fails(&["--local", "groups", "get", &group]);
    assert_eq!(code, 4, "{text}");
}

#[test]
fn a_swap_is_added_listed_and_removed() {
    let env = Env::new();
    let old = env.file("old.txt", b"the old content\n");
    let new = env.file("new.txt", b"the new content\n");
    let old_cid = last_line(&env.ok(&["--local", "-q", "files", "upload", &old])).to_owned();
    let new_cid = last_line(&env.ok(&["--local", "-q", "files", "upload", &new])).to_owned();

    let added = env.ok(&["--local", "-q", "swap", "add", &old_cid, &new_cid]);
    assert_eq!(added.trim(), new_cid, "-q prints the CID served: {added}");
    let history = env.json(&[
        "--local",
        "swap",
        "history",
        &old_cid,
        "--domain",
        "example.mypinata.cloud",
    ]);
    assert_eq!(history[0]["mapped_cid"], new_cid.as_str(), "{history}");
    let (code, text) = env.fails(&["--local", "swap", "history", &old_cid]);
    assert_eq!(code, 2, "--domain is required: {text}");

    env.ok(&["--local", "swap", "remove", &old_cid]);
    let (code, text) = env.fails(&["--local", "swap", "add", "not-a-cid", &new_cid]);
    assert_eq!(code, 2, "{text}");
}

#[test]
fn v3_keys_get_the_least_resources_scope_and_work_only_within_it() {
    let env = Env::new();
    let served = Served::start(&env);
    let base = served.admin["pinata"]["base_url"].as_str().unwrap();
    let admin_jwt = served.admin["pinata"]["jwt"].as_str().unwrap();
    let pinion = |jwt: &str, args: &[&str]| {
        env.command()
            .env("PINATA_JWT", jwt)
            .env("PINATA_BASE_URL", base)
            .args(args)
            .output()
            .unwrap()
    };

    let out = pinion(
        admin_jwt,
        &[
            "--json",
            "keys",
            "create",
            "reader",
            "--resource",
            "org:files:read",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(key["api"], "v3");
    assert_eq!(key["resources"], serde_json::json!(["org:files:read"]));
    let reader = key["jwt"].as_str().unwrap().to_owned();

    let listed = pinion(&reader, &["files", "list"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let file = env.file("f.txt", b"not for readers\n");
    let refused = pinion(&reader, &["files", "upload", &file]);
    assert_eq!(
        refused.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    // A capability maps onto the least scope; read under write is not repeated.
    let out = pinion(
        admin_jwt,
        &[
            "--json",
            "keys",
            "create",
            "ci",
            "--v3",
            "--capability",
            "pin-file",
            "--capability",
            "list-pins",
            "--resource",
            "org:files:read",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(key["resources"], serde_json::json!(["org:files:write"]));
    let writer = key["jwt"].as_str().unwrap().to_owned();
    let uploaded = pinion(&writer, &["-q", "files", "upload", &file]);
    assert!(
        uploaded.status.success(),
        "{}",
        String::from_utf8_lossy(&uploaded.stderr)
    );

    // The legacy spelling is unchanged: --capability alone makes a legacy key.
    let out = pinion(
        admin_jwt,
        &[
            "--json",
            "keys",
            "create",
            "legacy",
            "--capability",
            "pin-file",
        ],
    );
    let key: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(key.get("api").is_none(), "{key}");
}

#[test]
fn bad_v3_key_requests_are_usage_errors() {
    let env = Env::new();
    let (code, text) = env.fails(&[
        "--local",
        "keys",
        "create",
        "k",
        "--resource",
        "org:files:wrte",
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("org:files:write"),
        "the valid scopes are listed: {text}"
    );
    let (code, text) = env.fails(&[
        "--local",
        "--service",
        "w3ipfs",
        "keys",
        "create",
        "k",
        "--resource",
        "org:files:read",
    ]);
    assert_eq!(code, 2, "{text}");
    let (code, text) = env.fails(&[
        "--local",
        "keys",
        "create",
        "k",
        "--resource",
        "org:files:read",
        "--scope",
        "pinList",
    ]);
    assert_eq!(code, 2, "{text}");
}
