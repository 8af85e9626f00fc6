//! `pinJSONToIPFS` pins the bytes Node.js's `JSON.stringify(JSON.parse(…))` gives, as
//! Pinata (a Node.js service) does: array-index keys first in ascending order, then the
//! other keys in the order sent; numbers in JavaScript's shortest form; strings escaped
//! as `JSON.stringify` escapes them. Checked against fixed strings and against `node`
//! itself (it is on every machine that runs these tests, CI included).

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::pinata::{Pinata, admin};
use common::{json, start};
use pinion_cid::{CidVersion, hash_bytes};
use reqwest::Method;
use serde_json::Value;

/// Raw bodies (sent byte for byte) and the content `JSON.stringify` writes for them.
const CASES: &[(&str, &str)] = &[
    // The issue's example: the index key first, `1.0` as `1`.
    (r#"{"b":1,"2":0,"a":1.0}"#, r#"{"2":0,"b":1,"a":1}"#),
    // Wrapped: only `pinataContent` is pinned, the same way.
    (
        r#"{"pinataContent":{"b":1,"2":0,"a":1.0},"pinataMetadata":{"name":"ordered"}}"#,
        r#"{"2":0,"b":1,"a":1}"#,
    ),
    // Array indices go up to 2^32 - 2; "4294967295", "01" and "-1" are ordinary keys.
    (
        r#"{"4294967295":1,"b":1,"4294967294":2,"01":3,"10":4,"1":5,"-1":6,"1.5":7}"#,
        r#"{"1":5,"10":4,"4294967294":2,"4294967295":1,"b":1,"01":3,"-1":6,"1.5":7}"#,
    ),
    // Numbers: shortest round-trip digits, JavaScript's exponent rules, -0 and overflow.
    (
        "[1e21,1e20,1e-7,123e-9,-0,0.1,1.5e300,1e400,5e-324,123456789012345678901234,0.000001,-1.0E+2,2.50]",
        "[1e+21,100000000000000000000,1e-7,1.23e-7,0,0.1,1.5e+300,null,5e-324,1.2345678901234569e+23,0.000001,-100,2.5]",
    ),
    // Strings: `/`, non-ASCII, U+2028 and DEL written as they are; control characters
    // and lone surrogates as lowercase `\u` escapes; a surrogate pair as its character.
    (
        r#"{"s":"\ud800 \u2028 \/ é \u001F \u007f \ud83d\ude00 \"q\" \\ \b\f\n\r\t"}"#,
        "{\"s\":\"\\ud800 \u{2028} / é \\u001f \u{7f} 😀 \\\"q\\\" \\\\ \\b\\f\\n\\r\\t\"}",
    ),
    // A repeated key keeps its first place and its last value.
    (r#"{"a":1,"b":2,"a":3}"#, r#"{"a":3,"b":2}"#),
    // Whitespace anywhere; nested objects ordered the same way.
    (
        " { \"z\" : [ { \"y\":1 , \"x\":2, \"0\": null } ] , \"a\" : true }\n",
        r#"{"z":[{"0":null,"y":1,"x":2}],"a":true}"#,
    ),
    // Wrapped content that is not an object.
    (r#"{"pinataContent":"hi/there"}"#, r#""hi/there""#),
    (
        r#"{"__proto__":{"x":1},"pinataContent":[1.10,{}]}"#,
        "[1.1,{}]",
    ),
];

/// Pins `body` as it is; returns the CID answered.
async fn pin_raw(admin: &Pinata, body: &str) -> String {
    let response = admin
        .request(Method::POST, "/pinning/pinJSONToIPFS")
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let answer: Value = json(response, 200).await;
    answer["IpfsHash"].as_str().unwrap().to_owned()
}

fn cid_of(bytes: &[u8]) -> String {
    hash_bytes(bytes, CidVersion::V0).cid.to_string()
}

/// What Node.js writes for each body: `JSON.stringify` of the parsed body, or of its
/// `pinataContent` when it has one (one `node` run for all of them).
fn node_stringify(bodies: &[String]) -> Vec<String> {
    const SCRIPT: &str = r#"
        const bodies = JSON.parse(require("fs").readFileSync(0, "utf8"));
        const out = bodies.map((body) => {
            const value = JSON.parse(body);
            const wrapped = value !== null && typeof value === "object"
                && !Array.isArray(value) && Object.hasOwn(value, "pinataContent");
            return JSON.stringify(wrapped ? value.pinataContent : value);
        });
        process.stdout.write(JSON.stringify(out));
    "#;
    let mut node = Command::new("node")
        .args(["-e", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs (it is needed by these tests: install Node.js 20 or newer)");
    node.stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(bodies).unwrap().as_bytes())
        .unwrap();
    let output = node.wait_with_output().unwrap();
    assert!(output.status.success(), "node failed");
    serde_json::from_slice(&output.stdout).expect("node wrote a JSON array of strings")
}

#[tokio::test]
async fn pinned_json_is_what_json_stringify_writes() {
    let emulator = start().await;
    let admin = admin(&emulator);
    for (body, expected) in CASES {
        assert_eq!(
            pin_raw(&admin, body).await,
            cid_of(expected.as_bytes()),
            "{body} should be pinned as {expected}"
        );
    }
}

#[tokio::test]
async fn the_fixed_expectations_are_what_node_writes() {
    let bodies: Vec<String> = CASES.iter().map(|(body, _)| (*body).to_owned()).collect();
    let written = node_stringify(&bodies);
    for ((body, expected), node) in CASES.iter().zip(&written) {
        assert_eq!(node, expected, "node's JSON.stringify of {body}");
    }
}

/// Deterministic pseudo-random documents: shuffled keys (some of them indices), numbers
/// of every magnitude written several ways, strings with escapes.
fn generated_documents(count: usize) -> Vec<String> {
    let mut state: u32 = 0x9e37_79b9;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    let mut documents = Vec::new();
    for _ in 0..count {
        let mut members = Vec::new();
        for _ in 0..(next() % 8) {
            let key = match next() % 5 {
                0 => format!("{}", next() % 20),
                1 => format!("{}", next()),
                2 => format!("0{}", next() % 10),
                3 => "k\\u00e9\\/".to_owned() + &(next() % 4).to_string(),
                _ => format!("key{}", next() % 9),
            };
            let mantissa = next() % 100_000;
            let exponent = (next() % 700) as i32 - 350;
            let value = match next() % 6 {
                0 => format!("{mantissa}.{:03}e{exponent}", next() % 1000),
                1 => format!("-{mantissa}E+{}", next() % 30),
                2 => format!("{}.0", next()),
                3 => format!("0.{:09}", next() % 1_000_000),
                4 => format!("\"\\u{:04x}x\\t\"", 0xd7f0 + next() % 0x40),
                _ => format!("[{mantissa}e-{}, null, false]", next() % 12),
            };
            members.push(format!("\"{key}\":{value}"));
        }
        documents.push(format!("{{{}}}", members.join(",")));
    }
    documents
}

#[tokio::test]
async fn generated_documents_pin_as_node_writes_them() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let documents = generated_documents(150);
    let written = node_stringify(&documents);
    for (document, node) in documents.iter().zip(&written) {
        assert_eq!(
            pin_raw(&admin, document).await,
            cid_of(node.as_bytes()),
            "{document} should be pinned as node writes it: {node}"
        );
    }
}
