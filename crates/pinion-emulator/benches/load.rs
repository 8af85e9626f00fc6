//! Benchmark: the emulator under load. A Rust load generator keeps 64 HTTP/1.1
//! keep-alive connections busy for 30 s with small authenticated requests (Pinata
//! `GET /data/testAuthentication`: JWT verified, key looked up, JSON answered) to the
//! `pinion-emulator` binary, and reports requests/s, latency percentiles and errors.
//! Goal on 2 cores: 0 errors and ≥ 20,000 requests/s.
//!
//! The same load then runs against an emulator keeping its state on disk
//! (`--state-dir`), reported next to the in-memory figure. Every authenticated request
//! counts a use of its key (`uses` in the key list), a change answered only once it is
//! committed durably: this row measures how many such commits the writer thread
//! batches per second, which the disk's `fsync` bounds.
//!
//! Baseline in the same run: the same generator against a bare hyper server (this
//! binary re-executed with `--bare-server`) answering the same JSON without any work,
//! which shows what the generator and the machine allow. Generator and server share
//! the machine's cores, as they would in a user's CI. Run with `cargo xtask bench`.

use std::convert::Infallible;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use pinion_testkit::process::EmulatorProcess;
use pinion_testkit::report::{self, Row};

const CONNECTIONS: usize = 64;
const DURATION: Duration = Duration::from_secs(30);
const BASELINE_DURATION: Duration = Duration::from_secs(10);
const WARM_UP: Duration = Duration::from_secs(2);
const TARGET_RPS: f64 = 20_000.0;
const GREETING: &str =
    r#"{"message":"Congratulations! You are communicating with the Pinata API!"}"#;

/// What one load run measured.
struct Load {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    /// Sorted latencies, microseconds.
    latencies: Vec<u32>,
}

impl Load {
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let index = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        f64::from(self.latencies[index]) / 1000.0
    }
}

/// One connection's loop: requests back to back until `until`; reconnects after an
/// error. Returns (latencies, errors).
async fn connection(
    addr: String,
    path: String,
    authorization: Option<String>,
    until: Instant,
) -> (Vec<u32>, usize) {
    let mut latencies = Vec::with_capacity(1 << 16);
    let mut errors = 0;
    'connect: while Instant::now() < until {
        let stream = match tokio::net::TcpStream::connect(&addr).await {
            Ok(stream) => stream,
            Err(_) => {
                errors += 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        stream.set_nodelay(true).unwrap();
        let Ok((mut sender, conn)) =
            hyper::client::conn::http1::handshake::<_, Empty<Bytes>>(TokioIo::new(stream)).await
        else {
            errors += 1;
            continue;
        };
        tokio::spawn(conn);
        while Instant::now() < until {
            let mut request = hyper::Request::get(path.as_str()).header("host", addr.as_str());
            if let Some(value) = &authorization {
                request = request.header("authorization", value.as_str());
            }
            let request = request.body(Empty::new()).unwrap();
            let started = Instant::now();
            let answer = async {
                sender.ready().await?;
                let response = sender.send_request(request).await?;
                let status = response.status();
                let body = response.into_body().collect().await?.to_bytes();
                Ok::<_, hyper::Error>((status, body))
            }
            .await;
            match answer {
                Ok((status, body)) if status == 200 && body.len() == GREETING.len() => {
                    latencies.push(started.elapsed().as_micros().min(u32::MAX as u128) as u32);
                }
                Ok(_) => errors += 1,
                Err(_) => {
                    errors += 1;
                    continue 'connect;
                }
            }
        }
    }
    (latencies, errors)
}

/// Drives `CONNECTIONS` connections against `addr` for `duration`.
async fn drive(addr: &str, path: &str, authorization: Option<&str>, duration: Duration) -> Load {
    let run = |until: Instant| {
        (0..CONNECTIONS)
            .map(|_| {
                tokio::spawn(connection(
                    addr.to_owned(),
                    path.to_owned(),
                    authorization.map(str::to_owned),
                    until,
                ))
            })
            .collect::<Vec<_>>()
    };
    for task in run(Instant::now() + WARM_UP) {
        task.await.unwrap();
    }
    let started = Instant::now();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in run(started + duration) {
        let (mine, failed) = task.await.unwrap();
        latencies.extend(mine);
        errors += failed;
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    Load {
        requests: latencies.len(),
        errors,
        elapsed,
        latencies,
    }
}

/// Bare-server mode: answer every request with the greeting, print the port.
async fn bare_server() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("{}", listener.local_addr().unwrap().port());
    loop {
        let (stream, _) = listener.accept().await.unwrap();
        stream.set_nodelay(true).unwrap();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(|_request| async {
                Ok::<_, Infallible>(
                    hyper::Response::builder()
                        .header("content-type", "application/json")
                        .body(Full::new(Bytes::from_static(GREETING.as_bytes())))
                        .unwrap(),
                )
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn describe(name: &str, load: &Load) {
    println!(
        "  {name:<18} {:>9.0} req/s  p50 {:6.2} ms  p99 {:6.2} ms  max {:7.2} ms  errors {}  ({} requests in {:.1} s)",
        load.per_second(),
        load.percentile_ms(0.50),
        load.percentile_ms(0.99),
        load.percentile_ms(1.0),
        load.errors,
        load.requests,
        load.elapsed.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--bare-server") {
        bare_server().await;
        return;
    }
    if args.iter().skip(1).any(|a| a != "--bench") {
        return; // `cargo test --benches` passes test flags: nothing to measure.
    }
    let dir = tempfile::tempdir().unwrap();
    let load = run_emulator(&dir.path().join("memory.json"), None).await;
    let on_disk = run_emulator(
        &dir.path().join("disk.json"),
        Some(&dir.path().join("state")),
    )
    .await;

    let mut bare = Command::new(std::env::current_exe().unwrap())
        .arg("--bare-server")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut port = String::new();
    BufReader::new(bare.stdout.take().unwrap())
        .read_line(&mut port)
        .unwrap();
    let bare_addr = format!("127.0.0.1:{}", port.trim());
    let baseline = drive(&bare_addr, "/", None, BASELINE_DURATION).await;
    let _ = bare.kill();
    let _ = bare.wait();

    println!(
        "emulator under load: {CONNECTIONS} connections, small authenticated GETs, same machine"
    );
    describe("pinion-emulator", &load);
    describe("  with --state-dir", &on_disk);
    describe("bare hyper server", &baseline);
    println!("  goal               ≥ {TARGET_RPS} req/s, 0 errors");
    let row = Row::judged(
        "6",
        "emulator under load: 64 connections, 30 s of authenticated `testAuthentication`",
        format!(
            "{:.0} req/s, p99 {:.2} ms, {} errors",
            load.per_second(),
            load.percentile_ms(0.99),
            load.errors
        ),
        format!(
            "bare hyper server, same generator: {:.0} req/s, p99 {:.2} ms",
            baseline.per_second(),
            baseline.percentile_ms(0.99)
        ),
        "0 errors, ≥ 20,000 req/s on 2 cores",
        load.errors == 0 && load.per_second() >= TARGET_RPS,
    );
    report::record(&row);
    let disk_ratio = on_disk.per_second() / load.per_second();
    let disk_row = Row::judged(
        "6b",
        "emulator under load with `--state-dir`: 64 connections, 30 s of authenticated `testAuthentication`, each a durable commit (the key's use count)",
        format!(
            "{:.0} req/s ({disk_ratio:.2}× in memory), p99 {:.2} ms, {} errors",
            on_disk.per_second(),
            on_disk.percentile_ms(0.99),
            on_disk.errors
        ),
        format!(
            "in memory, same run: {:.0} req/s, p99 {:.2} ms",
            load.per_second(),
            load.percentile_ms(0.99)
        ),
        "0 errors (the rate is reported)",
        on_disk.errors == 0,
    );
    report::record(&disk_row);
    report::exit_on_missed(&[row, disk_row]);
}

/// Starts the emulator binary (state on disk in `state_dir` when given), drives the
/// load against it and stops it.
async fn run_emulator(creds: &std::path::Path, state_dir: Option<&std::path::Path>) -> Load {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pinion-emulator"));
    command
        .args(["--credentials-out", creds.to_str().unwrap()])
        .arg("--quiet-credentials")
        .stderr(Stdio::null());
    if let Some(dir) = state_dir {
        command.arg("--state-dir").arg(dir);
    }
    let emulator = EmulatorProcess::start(command, creds);
    let base_url = emulator.credential("pinata", "base_url");
    let jwt = emulator.credential("pinata", "jwt");
    let (addr, prefix) = base_url
        .strip_prefix("http://")
        .and_then(|rest| rest.split_once('/'))
        .expect("an http://host:port/prefix base URL");
    let path = format!("/{prefix}/data/testAuthentication");
    let bearer = format!("Bearer {jwt}");
    let load = drive(addr, &path, Some(&bearer), DURATION).await;
    drop(emulator);
    load
}
