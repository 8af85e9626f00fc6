//! The TLS front (`--tls`), over real sockets on 127.0.0.1: `CONNECT` tunnels to the
//! emulated hosts through curl and reqwest, refused tunnels anywhere else, the direct
//! TLS port, and the CA's file, mode and reuse across restarts.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pinion_emulator::{AdminCredentials, Emulator, RunningEmulator};
use serde_json::{Value, json};

/// The answer of `GET /data/testAuthentication` with valid credentials.
const AUTHENTICATED: &str = "Congratulations! You are communicating with the Pinata API!";

async fn start_tls() -> RunningEmulator {
    Emulator::builder()
        .tls(true)
        .start()
        .await
        .expect("the emulator starts with its TLS front")
}

fn ca_certificate(emulator: &RunningEmulator) -> reqwest::Certificate {
    let pem = std::fs::read(&emulator.tls().expect("TLS front on").ca_pem).unwrap();
    reqwest::Certificate::from_pem(&pem).unwrap()
}

/// A client trusting only the emulator's CA, sending everything through `proxy`.
fn client_through(proxy: Option<&str>, ca: reqwest::Certificate) -> reqwest::Client {
    let mut builder = reqwest::Client::builder().tls_certs_only([ca]);
    builder = match proxy {
        Some(proxy) => builder.proxy(reqwest::Proxy::all(proxy).unwrap()),
        None => builder.no_proxy(),
    };
    builder.build().unwrap()
}

/// Sends `CONNECT target` on a raw socket and returns the status line and body (on a
/// blocking thread, so the emulator keeps running on the test's runtime).
async fn raw_connect(proxy: &str, target: &str) -> (String, String) {
    let (proxy, target) = (proxy.to_owned(), target.to_owned());
    tokio::task::spawn_blocking(move || raw_connect_blocking(&proxy, &target))
        .await
        .unwrap()
}

fn raw_connect_blocking(proxy: &str, target: &str) -> (String, String) {
    let addr = proxy.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n"
    )
    .unwrap();
    // Read the head, then as much body as Content-Length says.
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let body_start = loop {
        let read = stream.read(&mut buffer).expect("an answer to CONNECT");
        assert!(read > 0, "connection closed without an answer");
        answer.extend_from_slice(&buffer[..read]);
        if let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&answer[..body_start]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while answer.len() < body_start + length {
        let read = stream.read(&mut buffer).expect("the body");
        assert!(read > 0, "connection closed in the body");
        answer.extend_from_slice(&buffer[..read]);
    }
    let body = String::from_utf8_lossy(&answer[body_start..]).into_owned();
    (head.lines().next().unwrap_or("").to_owned(), body)
}

#[tokio::test]
async fn reqwest_reaches_the_real_host_names_through_connect() {
    let emulator = start_tls().await;
    let tls = emulator.tls().unwrap().clone();
    assert_eq!(tls.proxy_url, emulator.origin());
    let client = client_through(Some(&tls.proxy_url), ca_certificate(&emulator));
    let jwt = &emulator.credentials().pinata.jwt;

    let answer = client
        .get("https://api.pinata.cloud/data/testAuthentication")
        .bearer_auth(jwt)
        .send()
        .await
        .expect("the tunnel to api.pinata.cloud works");
    assert_eq!(answer.status(), 200);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["message"], AUTHENTICATED);

    // Keep-alive within a tunnel, and a W3IPFS host routed by its name.
    let again = client
        .get("https://api.pinata.cloud/data/testAuthentication")
        .send()
        .await
        .unwrap();
    assert!(again.status().is_client_error(), "no credentials: refused");
    let w3ipfs = client
        .get("https://api.w3ipfs.aioz.network/api/apiKeys/")
        .send()
        .await
        .unwrap();
    assert_eq!(w3ipfs.status(), 401, "W3IPFS asks for its own credentials");

    // The client still holds idle tunnels: shutting down closes them, not waits.
    tokio::time::timeout(Duration::from_secs(10), emulator.shutdown())
        .await
        .expect("shutdown closes idle tunnels");
    drop(client);
}

#[tokio::test]
async fn connect_anywhere_else_is_refused_and_nothing_is_dialled() {
    let emulator = start_tls().await;
    let origin = emulator.origin().to_owned();

    let (status, body) = raw_connect(&origin, "example.com:443").await;
    assert!(status.contains(" 403 "), "{status}");
    assert!(
        body.contains("refusing CONNECT to example.com:443"),
        "{body}"
    );
    assert!(body.contains("never connects anywhere else"), "{body}");

    // A listener of ours: a CONNECT naming it must not reach it, by name or address.
    let bait = TcpListener::bind("127.0.0.1:0").unwrap();
    bait.set_nonblocking(true).unwrap();
    let port = bait.local_addr().unwrap().port();
    for target in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, _) = raw_connect(&origin, &target).await;
        assert!(status.contains(" 403 "), "{target}: {status}");
    }
    // An emulated host on another port is refused too (no tunnel, no dial).
    let (status, body) = raw_connect(&origin, "api.pinata.cloud:80").await;
    assert!(status.contains(" 403 "), "{status}");
    assert!(body.contains("port 443"), "{body}");
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        bait.accept().is_err(),
        "the emulator connected to the CONNECT target"
    );

    // reqwest sees the refusal as a failed tunnel.
    let client = client_through(Some(&origin), ca_certificate(&emulator));
    assert!(client.get("https://example.com/").send().await.is_err());
    emulator.shutdown().await;
}

#[tokio::test]
async fn without_the_tls_front_connect_says_how_to_get_it() {
    let emulator = common::start().await;
    let (status, body) = raw_connect(emulator.origin(), "api.pinata.cloud:443").await;
    assert!(status.contains(" 405 "), "{status}");
    assert!(body.contains("--tls"), "{body}");
    assert!(emulator.tls().is_none());
    assert!(emulator.credentials().tls.is_none());
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_tunnel_serves_only_its_own_host() {
    let emulator = start_tls().await;
    let client = client_through(Some(emulator.origin()), ca_certificate(&emulator));
    let misdirected = client
        .get("https://api.pinata.cloud/data/testAuthentication")
        .header("Host", "managed.mypinata.cloud")
        .send()
        .await
        .unwrap();
    assert_eq!(misdirected.status(), 421);
    let text = misdirected.text().await.unwrap();
    assert!(
        text.contains("this tunnel is for api.pinata.cloud"),
        "{text}"
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn plain_http_and_absolute_form_proxying_work_as_before() {
    let emulator = start_tls().await;
    let jwt = emulator.credentials().pinata.jwt.clone();
    // What axios-based SDKs send with HTTPS_PROXY: plain HTTP, absolute-form target.
    let proxied = reqwest::Client::builder()
        .proxy(reqwest::Proxy::http(emulator.origin()).unwrap())
        .build()
        .unwrap()
        .get("http://api.pinata.cloud/data/testAuthentication")
        .bearer_auth(&jwt)
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), 200);
    let direct = common::http()
        .get(format!(
            "{}/data/testAuthentication",
            emulator.credentials().pinata.base_url
        ))
        .bearer_auth(&jwt)
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status(), 200);
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_direct_port_serves_the_gateway_with_an_ip_certificate() {
    let emulator = start_tls().await;
    let credentials = emulator.credentials().clone();
    let pinned: Value = common::http()
        .post(format!(
            "{}/pinning/pinJSONToIPFS",
            credentials.pinata.base_url
        ))
        .bearer_auth(&credentials.pinata.jwt)
        .json(&json!({"pinataContent": {"hello": "tls"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cid = pinned["IpfsHash"].as_str().expect("a CID").to_owned();

    let https = &emulator.tls().unwrap().https_origin;
    assert!(https.starts_with("https://127.0.0.1:"), "{https}");
    let client = client_through(None, ca_certificate(&emulator));
    let served = client
        .get(format!("{https}/gateway/ipfs/{cid}"))
        .send()
        .await
        .expect("the IP address validates against the certificate");
    assert_eq!(served.status(), 200);
    let body: Value = served.json().await.unwrap();
    assert_eq!(body, json!({"hello": "tls"}));

    // `localhost` is named too.
    let port = https.rsplit(':').next().unwrap();
    let by_name = client
        .get(format!("https://localhost:{port}/gateway/ipfs/{cid}"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_name.status(), 200);

    // A client that trusts only the usual roots refuses it.
    let untrusting = reqwest::Client::builder()
        .tls_certs_only([])
        .no_proxy()
        .build()
        .unwrap();
    assert!(
        untrusting
            .get(format!("{https}/gateway/ipfs/{cid}"))
            .send()
            .await
            .is_err()
    );
    emulator.shutdown().await;
}

/// The binary, started with `--tls`, and what it wrote.
struct Binary {
    child: Child,
    credentials: AdminCredentials,
    credentials_path: PathBuf,
}

impl Binary {
    fn start(out_dir: &Path, tmp: &Path, extra: &[&str]) -> Binary {
        let credentials_path = out_dir.join("creds.json");
        let _ = std::fs::remove_file(&credentials_path);
        let mut args = vec![
            "--tls",
            "--credentials-out",
            credentials_path.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let mut child = Command::new(env!("CARGO_BIN_EXE_pinion-emulator"))
            .args(&args)
            .env("TMPDIR", tmp)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        let credentials = loop {
            if let Ok(text) = std::fs::read_to_string(&credentials_path) {
                break serde_json::from_str(&text).expect("complete JSON");
            }
            if let Some(status) = child.try_wait().unwrap() {
                panic!("the emulator exited: {status}");
            }
            assert!(Instant::now() < deadline, "no credentials after 30 s");
            std::thread::sleep(Duration::from_millis(50));
        };
        Binary {
            child,
            credentials,
            credentials_path,
        }
    }

    fn tls(&self) -> &pinion_emulator::TlsAccess {
        self.credentials
            .tls
            .as_ref()
            .expect("tls in the credentials")
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `curl --proxy … --cacert ca.pem https://api.pinata.cloud/data/testAuthentication`:
/// the body and status. curl is required: without it the test fails.
fn curl_through(proxy: &str, ca: &Path, jwt: &str) -> (String, String) {
    let output = Command::new("curl")
        .args(["-sS", "--max-time", "30", "--noproxy", "", "--proxy", proxy])
        .arg("--cacert")
        .arg(ca)
        .args([
            "-H",
            &format!("Authorization: Bearer {jwt}"),
            "-w",
            "\n%{http_code}",
            "https://api.pinata.cloud/data/testAuthentication",
        ])
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .output()
        .expect("curl must be installed to test the TLS front");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let (body, status) = stdout.rsplit_once('\n').unwrap_or((&stdout, ""));
    assert!(
        output.status.success(),
        "curl failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (body.to_owned(), status.to_owned())
}

#[test]
fn curl_through_the_binary_with_the_ca_beside_the_credentials() {
    let out = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut running = Binary::start(out.path(), tmp.path(), &[]);
    let tls = running.tls().clone();

    // ca.pem beside the credentials file, named in it, an absolute path.
    assert_eq!(tls.ca_pem, out.path().join("ca.pem"));
    assert!(tls.ca_pem.is_absolute());
    let raw: Value =
        serde_json::from_str(&std::fs::read_to_string(&running.credentials_path).unwrap()).unwrap();
    assert_eq!(raw["tls"]["ca_pem"], json!(tls.ca_pem));
    assert!(raw["tls"]["https_origin"].is_string());

    let (body, status) = curl_through(&tls.proxy_url, &tls.ca_pem, &running.credentials.pinata.jwt);
    assert_eq!(status, "200", "{body}");
    assert!(body.contains(AUTHENTICATED), "{body}");

    // The summary names the HTTPS origin and the proxy.
    let stdout = running.child.stdout.take().unwrap();
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .take_while(|line| !line.starts_with("admin credentials"))
        .collect();
    assert!(
        lines.iter().any(|l| l.contains(&tls.https_origin)),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("HTTPS_PROXY={}", tls.proxy_url))),
        "{lines:?}"
    );
}

#[cfg(unix)]
#[test]
fn the_ca_is_private_and_reused_across_restarts_with_a_state_dir() {
    use std::os::unix::fs::PermissionsExt;

    let state = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let state_dir = state.path().join("state");
    let state_arg = ["--state-dir", state_dir.to_str().unwrap()];

    let first = Binary::start(out.path(), tmp.path(), &state_arg);
    let key = state_dir.join("tls").join("ca-key.pem");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the CA key must be private");
    let key_bytes = std::fs::read(&key).unwrap();
    let ca_bytes = std::fs::read(&first.tls().ca_pem).unwrap();
    assert!(String::from_utf8_lossy(&ca_bytes).starts_with("-----BEGIN CERTIFICATE-----"));
    let kept_ca = state.path().join("first-ca.pem");
    std::fs::copy(&first.tls().ca_pem, &kept_ca).unwrap();
    drop(first);

    let second = Binary::start(out.path(), tmp.path(), &state_arg);
    assert_eq!(std::fs::read(&key).unwrap(), key_bytes, "the key is reused");
    assert_eq!(
        std::fs::read(&second.tls().ca_pem).unwrap(),
        ca_bytes,
        "the certificate is reused"
    );
    // A client that trusted the first run's CA trusts the second run's leaves.
    let (body, status) = curl_through(
        &second.tls().proxy_url,
        &kept_ca,
        &second.credentials.pinata.jwt,
    );
    assert_eq!(status, "200", "{body}");
    drop(second);

    // A key others can read is refused, not used.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_pinion-emulator"))
        .args(["--tls"])
        .args(state_arg)
        .env("TMPDIR", tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(!status.status.success());
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(stderr.contains("chmod 600"), "{stderr}");
}

#[tokio::test]
async fn without_a_state_dir_the_ca_lives_and_dies_with_the_temp_dir() {
    let parent = tempfile::tempdir().unwrap();
    let emulator = Emulator::builder()
        .tls(true)
        .temp_dir(parent.path())
        .start()
        .await
        .unwrap();
    let ca = emulator.tls().unwrap().ca_pem.clone();
    assert!(ca.starts_with(parent.path()), "{}", ca.display());
    assert!(ca.exists());
    emulator.shutdown().await;
    assert!(
        !ca.exists(),
        "the CA is removed with the temporary directory"
    );
}

/// URLs the emulator builds back to itself over the TLS front say `https`: a TUS
/// `Location` made through a `CONNECT` tunnel to uploads.pinata.cloud is fetched as is
/// by the SDKs, so `http` there would send the next PATCH around the tunnel.
#[tokio::test]
async fn tus_locations_made_through_the_tunnel_are_https() {
    let emulator = start_tls().await;
    let tls = emulator.tls().unwrap().clone();
    let client = client_through(Some(&tls.proxy_url), ca_certificate(&emulator));
    let jwt = &emulator.credentials().pinata.jwt;
    let created = client
        .post("https://uploads.pinata.cloud/v3/files")
        .bearer_auth(jwt)
        .header("upload-length", "5")
        .header("upload-metadata", "filename aGVsbG8udHh0,network cHVibGlj")
        .header("x-forwarded-proto", "http")
        .send()
        .await
        .expect("the tunnel to uploads.pinata.cloud works");
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("https://uploads.pinata.cloud/v3/files/"),
        "{location}"
    );
    let patched = client
        .patch(&location)
        .bearer_auth(jwt)
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", "0")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 204);
    assert!(patched.headers().contains_key("upload-cid"));
    emulator.shutdown().await;
}
