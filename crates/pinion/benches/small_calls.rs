//! Benchmark: 10,000 authenticated small calls (Pinata `GET /data/testAuthentication`)
//! through the library next to bare reqwest making the same requests (same header,
//! JSON decoded into a struct) against the same emulator in the same run: one at a
//! time, then 64 in flight. Goal: the library's wall time ≤ 1.2× reqwest's. Prints
//! the figures; exits non-zero when a goal is missed. Run with `cargo xtask bench`.
//!
//! The client-side plan limiter is off (`RateLimit::unlimited()`): with a real plan's
//! limits the library would pace the calls on purpose, which is not overhead. Retries
//! stay on as by default (none happen). Each measurement is the median of three
//! alternating rounds, after a warm-up.

use std::time::{Duration, Instant};

use futures::StreamExt;
use pinion::RateLimit;
use pinion::credentials::PinataCredentials;
use pinion_testkit::report::{self, Row};

const CALLS: usize = 10_000;
const IN_FLIGHT: usize = 64;
const ROUNDS: usize = 3;
const TARGET_RATIO: f64 = 1.2;

#[derive(serde::Deserialize)]
struct Greeting {
    message: String,
}

/// Runs `calls` calls of `call`, `in_flight` at a time; returns the wall time.
async fn run<F, Fut>(calls: usize, in_flight: usize, call: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: Future<Output = String>,
{
    let started = Instant::now();
    let mut answers = futures::stream::iter(0..calls)
        .map(|_| call())
        .buffer_unordered(in_flight);
    let mut count = 0;
    while let Some(message) = answers.next().await {
        assert!(!message.is_empty());
        count += 1;
    }
    assert_eq!(count, calls);
    started.elapsed()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main]
async fn main() {
    if std::env::args().skip(1).any(|a| a != "--bench") {
        return; // `cargo test --benches` passes test flags: nothing to measure.
    }
    let emulator = pinion_emulator::Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let pinata = pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(&c.pinata.jwt))
        .rate_limit(RateLimit::unlimited())
        .build()
        .unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/data/testAuthentication", c.pinata.base_url);
    let bearer = format!("Bearer {}", c.pinata.jwt);

    let library = || async { pinata.test_authentication().await.unwrap() };
    let bare = || async {
        let response = http
            .get(&url)
            .header(reqwest::header::AUTHORIZATION, &bearer)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
        response.json::<Greeting>().await.unwrap().message
    };

    println!("{CALLS} authenticated small calls (testAuthentication), same run");
    println!("  mode            library      reqwest      ratio");
    let mut rows = Vec::new();
    for (item, in_flight) in [("4a", 1), ("4b", IN_FLIGHT)] {
        run(CALLS / 10, in_flight, library).await;
        run(CALLS / 10, in_flight, bare).await;
        let mut lib_times = Vec::new();
        let mut bare_times = Vec::new();
        for _ in 0..ROUNDS {
            lib_times.push(run(CALLS, in_flight, library).await);
            bare_times.push(run(CALLS, in_flight, bare).await);
        }
        let (lib, bare) = (median(lib_times), median(bare_times));
        let ratio = lib.as_secs_f64() / bare.as_secs_f64();
        let per_second = |wall: Duration| CALLS as f64 / wall.as_secs_f64();
        let mode = if in_flight == 1 {
            "sequential".to_owned()
        } else {
            format!("{in_flight} in flight")
        };
        println!(
            "  {mode:<14}  {:7.3} s    {:7.3} s    {ratio:4.2}×",
            lib.as_secs_f64(),
            bare.as_secs_f64()
        );
        rows.push(Row::judged(
            item,
            &format!("10,000 authenticated small calls, {mode}: library vs bare reqwest"),
            format!(
                "{:.2} s, {:.0} calls/s ({ratio:.2}× reqwest)",
                lib.as_secs_f64(),
                per_second(lib)
            ),
            format!(
                "reqwest {:.2} s, {:.0} calls/s",
                bare.as_secs_f64(),
                per_second(bare)
            ),
            "wall ≤ 1.2× reqwest",
            ratio <= TARGET_RATIO,
        ));
    }
    emulator.shutdown().await;
    for row in &rows {
        report::record(row);
    }
    report::exit_on_missed(&rows);
}
