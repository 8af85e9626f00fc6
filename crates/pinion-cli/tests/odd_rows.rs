//! A listing with a row pinion cannot read (issue 11): every CLI listing prints the
//! readable rows, keeps the odd one (raw, in place, in `--json`; a warning on stderr
//! otherwise) and succeeds; other failures still fail the command.
//!
//! The services are played by a small fake HTTP server on 127.0.0.1 that answers canned
//! JSON, so the odd rows are exactly the ones written here.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{Value, json};

mod common;

use common::Env;

/// One canned answer: for a GET of `path` whose query contains `query`.
struct Route {
    path: &'static str,
    query: &'static str,
    status: u16,
    body: Value,
}

impl Route {
    fn ok(path: &'static str, body: Value) -> Self {
        Self::on(path, "", 200, body)
    }

    fn on(path: &'static str, query: &'static str, status: u16, body: Value) -> Self {
        Self {
            path,
            query,
            status,
            body,
        }
    }
}

/// A fake service on 127.0.0.1: answers each request with the first matching route
/// (404 otherwise), one request per connection, and remembers what was asked.
struct FakeService {
    addr: SocketAddr,
    asked: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FakeService {
    fn start(routes: Vec<Route>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (asked, stop) = (asked.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        answer(stream, &routes, &asked);
                    }
                }
            })
        };
        Self {
            addr,
            asked,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The request targets (path and query) asked so far.
    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

impl Drop for FakeService {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn answer(mut stream: TcpStream, routes: &[Route], asked: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let Some(target) = head.lines().next().and_then(|l| l.split(' ').nth(1)) else {
        return;
    };
    asked.lock().unwrap().push(target.to_owned());
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let (status, body) = routes
        .iter()
        .find(|r| r.path == path && query.contains(r.query))
        .map(|r| (r.status, r.body.to_string()))
        .unwrap_or((404, json!({"error": "no such route"}).to_string()));
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// Runs `pinion` with fake credentials for every service, all pointed at `service`.
fn pinion(env: &Env, service: &FakeService, args: &[&str]) -> Output {
    let url = service.url();
    env.command()
        .env("PINATA_JWT", "fake-pinata-jwt")
        .env("PINATA_BASE_URL", &url)
        .env("PINATA_SUBMARINE_KEY", "fake-submarine-key")
        .env("PINATA_SUBMARINE_BASE_URL", &url)
        .env("W3IPFS_API_KEY", "fake-w3ipfs-key")
        .env("W3IPFS_SECRET_KEY", "fake-w3ipfs-secret")
        .env("W3IPFS_BASE_URL", &url)
        .args(["--timeout", "10s"])
        .args(args)
        .output()
        .unwrap()
}

/// Runs and expects success; returns stdout and stderr.
fn succeeds(env: &Env, service: &FakeService, args: &[&str]) -> (String, String) {
    let out = pinion(env, service, args);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "pinion {args:?}:\n{stdout}\n{stderr}"
    );
    (stdout, stderr)
}

fn json_of(stdout: &str) -> Vec<Value> {
    serde_json::from_str::<Value>(stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {stdout}"))
        .clone()
}

const USER: &str = "6f2c1c9a-0000-4000-8000-000000000001";

fn pinata_pin(n: u32, cid: &str) -> Value {
    json!({
        "id": format!("6f2c1c9a-0000-4000-8000-00000000010{n}"),
        "ipfs_pin_hash": cid,
        "size": 1000 + n,
        "user_id": USER,
        "date_pinned": "2024-05-01T00:00:00.000Z",
        "date_unpinned": null,
        "metadata": {"name": format!("file{n}.txt"), "keyvalues": null},
        "regions": [],
    })
}

fn w3ipfs_pin(n: u32, cid: &str) -> Value {
    json!({
        "id": format!("6f2c1c9a-0000-4000-8000-00000000020{n}"),
        "file_record_id": "00000000-0000-0000-0000-000000000000",
        "root_hash": "1220aa",
        "cid": cid,
        "size": 2000 + n,
        "user_id": USER,
        "date_pinned": "2024-05-01T00:00:00Z",
        "date_unpinned": "0001-01-01T00:00:00Z",
        "pinned": true,
        "is_pin_by_hash": false,
        "is_dir": false,
        "metadata": {"name": format!("w3-{n}.txt")},
        "status": "DONE",
    })
}

/// Checks the three outputs of a listing whose row 2 of 3 (`odd`) cannot be read:
/// `--json` has it raw in place, the table and `-q` leave it out and warn.
fn check_listing(
    env: &Env,
    service: &FakeService,
    args: &[&str],
    odd: &Value,
    good: [&str; 2],
    odd_marker: &str,
) {
    let mut json_args = vec!["--json"];
    json_args.extend_from_slice(args);
    let (stdout, stderr) = succeeds(env, service, &json_args);
    let rows = json_of(&stdout);
    assert_eq!(rows.len(), 3, "{stdout}");
    assert_eq!(&rows[1], odd, "the odd row comes back as sent, in place");
    assert!(
        stdout.contains(good[0]) && stdout.contains(good[1]),
        "{stdout}"
    );
    assert!(
        stderr.contains("warning: 1 of 3 rows could not be read (it is in the JSON"),
        "{stderr}"
    );
    assert!(stderr.contains("row 2: "), "{stderr}");

    let (stdout, stderr) = succeeds(env, service, args);
    assert!(
        stdout.contains(good[0]) && stdout.contains(good[1]),
        "{stdout}"
    );
    assert!(!stdout.contains(odd_marker), "{stdout}");
    assert!(
        stderr.contains("warning: 1 of 3 rows could not be read (it is left out of the table"),
        "{stderr}"
    );
    assert!(stderr.contains("cannot read"), "{stderr}");
    assert!(
        !stderr.contains(odd_marker),
        "the warning quotes no row value: {stderr}"
    );

    let mut quiet_args = vec!["-q"];
    quiet_args.extend_from_slice(args);
    let (stdout, stderr) = succeeds(env, service, &quiet_args);
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        good.to_vec(),
        "-q prints the readable rows' values: {stdout}"
    );
    assert!(stderr.contains("1 of 3 rows"), "{stderr}");
}

#[test]
fn pinata_pins_list_keeps_the_odd_row_page_and_all() {
    let odd = json!({"id": "x", "ipfs_pin_hash": "bafyodd", "size": "oddvalue"});
    let page = json!({
        "count": 3,
        "rows": [pinata_pin(1, "bafyone"), odd, pinata_pin(3, "bafythree")],
    });
    let service = FakeService::start(vec![Route::ok("/data/pinList", page)]);
    let env = Env::new();
    check_listing(
        &env,
        &service,
        &["pins", "list"],
        &odd,
        ["bafyone", "bafythree"],
        "oddvalue",
    );
    check_listing(
        &env,
        &service,
        &["pins", "list", "--all"],
        &odd,
        ["bafyone", "bafythree"],
        "oddvalue",
    );
    assert!(
        service.asked().iter().any(|t| t.contains("pageLimit=1000")),
        "--all asks for whole pages: {:?}",
        service.asked()
    );
}

#[test]
fn w3ipfs_pins_list_keeps_the_odd_row_page_and_all() {
    let odd = json!({"id": "y", "cid": "bafyodd", "pinned": "oddvalue"});
    let page = json!({
        "data": {
            "totals": {"files": 3, "size": 1},
            "pins": [w3ipfs_pin(1, "bafyone"), odd, w3ipfs_pin(3, "bafythree")],
        },
        "status": "success",
    });
    let service = FakeService::start(vec![Route::ok("/pinning/pins/", page)]);
    let env = Env::new();
    for args in [
        &["--service", "w3ipfs", "pins", "list"][..],
        &["--service", "w3ipfs", "pins", "list", "--all"][..],
    ] {
        check_listing(
            &env,
            &service,
            args,
            &odd,
            ["bafyone", "bafythree"],
            "oddvalue",
        );
    }
}

#[test]
fn jobs_nft_and_content_listings_keep_the_odd_row() {
    let job = |n: u32, cid: &str| {
        json!({
            "id": format!("6f2c1c9a-0000-4000-8000-00000000030{n}"),
            "ipfs_pin_hash": cid,
            "date_queued": "2024-05-01T00:00:00Z",
            "name": null,
            "status": "searching",
        })
    };
    let nft = |n: u32| {
        json!({
            "id": format!("6f2c1c9a-0000-4000-8000-00000000040{n}"),
            "asset_cid": format!("bafyasset{n}"),
            "metadata_cid": format!("bafymeta{n}"),
            "asset_pin_id": "00000000-0000-0000-0000-000000000000",
            "metadata_pin_id": "6f2c1c9a-0000-4000-8000-000000000499",
            "user_id": USER,
            "created_at": "2024-05-01T00:00:00Z",
            "updated_at": "2024-05-01T00:00:00Z",
            "pinned": true,
            "metadata_asset": {},
            "status": "DONE",
        })
    };
    let item = |n: u32| {
        json!({
            "id": format!("6f2c1c9a-0000-4000-8000-00000000050{n}"),
            "createdAt": "2024-05-01T00:00:00.000Z",
            "cid": format!("bafycontent{n}"),
            "name": format!("item{n}"),
            "originalname": format!("item{n}.txt"),
            "size": 10,
            "metadata": {},
            "pinToIPFS": false,
        })
    };
    let odd_job = json!({"ipfs_pin_hash": "bafyoddjob", "status": 7});
    let odd_nft = json!({"id": "6f2c1c9a-0000-4000-8000-000000000402", "pinned": "oddnft"});
    let odd_item = json!({"id": "not-a-uuid", "cid": "bafyoddcontent"});
    let service = FakeService::start(vec![
        Route::ok(
            "/pinning/pinJobs",
            json!({"count": 3, "rows": [job(1, "bafyjob1"), odd_job, job(3, "bafyjob3")]}),
        ),
        Route::ok(
            "/nft/nfts/",
            json!({
                "data": {"totals": {"files": 3, "size": 0}, "nfts": [nft(1), odd_nft, nft(3)]},
                "status": "success",
            }),
        ),
        Route::ok(
            "/content",
            json!({"status": 200, "totalItems": 3, "items": [item(1), odd_item, item(3)]}),
        ),
    ]);
    let env = Env::new();
    for all in [false, true] {
        let with = |args: &[&'static str]| {
            let mut args = args.to_vec();
            if all {
                args.push("--all");
            }
            args
        };
        check_listing(
            &env,
            &service,
            &with(&["jobs"]),
            &odd_job,
            ["bafyjob1", "bafyjob3"],
            "bafyoddjob",
        );
        check_listing(
            &env,
            &service,
            &with(&["nft", "list"]),
            &odd_nft,
            [
                "6f2c1c9a-0000-4000-8000-000000000401",
                "6f2c1c9a-0000-4000-8000-000000000403",
            ],
            "oddnft",
        );
        check_listing(
            &env,
            &service,
            &with(&["content", "list"]),
            &odd_item,
            [
                "6f2c1c9a-0000-4000-8000-000000000501",
                "6f2c1c9a-0000-4000-8000-000000000503",
            ],
            "bafyoddcontent",
        );
    }
}

#[test]
fn keys_list_keeps_odd_rows_on_every_page_without_their_secrets() {
    let key = |n: u32| {
        json!({
            "id": format!("6f2c1c9a-0000-4000-8000-00000000060{n}"),
            "name": format!("key{n}"),
            "key": format!("pubkey{n}"),
            "secret": format!("topsecret{n}"),
            "max_uses": null,
            "uses": 0,
            "user_id": USER,
            "scopes": {"admin": true},
            "revoked": false,
            "createdAt": "2024-05-01T00:00:00Z",
            "updatedAt": "2024-05-01T00:00:00Z",
        })
    };
    // Odd, but with what `keys list` shows: listed as a key all the same.
    let readable_odd =
        json!({"key": "pubkey2", "name": "key2", "revoked": true, "secret": "topsecret2"});
    // Odd and without a key: kept raw, its secret redacted.
    let odd = json!({"name": "broken", "secret": "topsecret3", "uses": "many"});
    let service = FakeService::start(vec![
        Route::on(
            "/users/apiKeys",
            "offset=0",
            200,
            json!({"count": 4, "keys": [key(1), readable_odd, odd]}),
        ),
        Route::on(
            "/users/apiKeys",
            "offset=3",
            200,
            json!({"count": 4, "keys": [key(4)]}),
        ),
    ]);
    let env = Env::new();

    let (stdout, stderr) = succeeds(&env, &service, &["--json", "keys", "list"]);
    let rows = json_of(&stdout);
    assert_eq!(
        rows,
        vec![
            json!({"key": "pubkey1", "name": "key1", "revoked": false}),
            json!({"key": "pubkey2", "name": "key2", "revoked": true}),
            json!({"name": "broken", "secret": "[redacted]", "uses": "many"}),
            json!({"key": "pubkey4", "name": "key4", "revoked": false}),
        ],
        "the page after the odd row is read too"
    );
    assert!(stderr.contains("1 of 4 rows could not be read"), "{stderr}");
    assert!(stderr.contains("row 3: "), "{stderr}");

    let (stdout, stderr) = succeeds(&env, &service, &["keys", "list"]);
    for key in ["pubkey1", "pubkey2", "pubkey4"] {
        assert!(stdout.contains(key), "{stdout}");
    }
    assert!(!stdout.contains("broken"), "{stdout}");
    assert!(stderr.contains("1 of 4 rows"), "{stderr}");
    for out in [&stdout, &stderr] {
        assert!(!out.contains("topsecret"), "no secret printed: {out}");
    }
    assert!(
        service.asked().iter().any(|t| t.contains("offset=3")),
        "{:?}",
        service.asked()
    );
}

#[test]
fn w3ipfs_keys_list_redacts_the_masked_secret_of_an_odd_row() {
    let odd = json!({"name": "broken", "api_key": "pub", "secret_key": "4t40...CXQ="});
    let service = FakeService::start(vec![Route::ok(
        "/apiKeys/list",
        json!({"data": {"total": 1, "api_keys": [odd]}, "status": "success"}),
    )]);
    let env = Env::new();
    let (stdout, stderr) = succeeds(
        &env,
        &service,
        &["--json", "--service", "w3ipfs", "keys", "list"],
    );
    assert_eq!(
        json_of(&stdout),
        vec![json!({"name": "broken", "api_key": "pub", "secret_key": "[redacted]"})]
    );
    assert!(stderr.contains("1 of 1 rows"), "{stderr}");
    assert!(!stdout.contains("CXQ") && !stderr.contains("CXQ"));
}

#[test]
fn other_failures_still_fail_the_listing() {
    let service = FakeService::start(vec![
        Route::on(
            "/data/pinList",
            "",
            401,
            json!({"error": {"reason": "INVALID_CREDENTIALS", "details": "Invalid/expired credentials"}}),
        ),
        Route::ok(
            "/pinning/pins/",
            json!({"data": {"pins": "not a list"}, "status": "success"}),
        ),
    ]);
    let env = Env::new();
    for args in [
        &["pins", "list"][..],
        &["pins", "list", "--all"][..],
        &["--json", "pins", "list"][..],
    ] {
        let out = pinion(&env, &service, args);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {out:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {out:?}");
    }
    for args in [
        &["--service", "w3ipfs", "pins", "list"][..],
        &["--service", "w3ipfs", "pins", "list", "--all"][..],
    ] {
        let out = pinion(&env, &service, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("not an array"),
            "{args:?}: {out:?}"
        );
    }
}
