//! Benchmark: the emulator's cost as its state grows. Seeds Pinata pins straight into
//! the in-memory state (`pinion_emulator::scale`) up to 1,000, then 100,000, then
//! 1,000,000, and at each size times requests sent through the whole application
//! in-process (routing, authentication, handler, JSON; no socket):
//!
//! * insert: `pinJSONToIPFS` of a new small document;
//! * filtered page: `pinList` with `metadata[keyvalues]` `env` = `prod` (half the pins
//!   match), 10 rows, count included;
//! * CID lookup: `pinList?cid=…` of one seeded pin.
//!
//! Each figure is the median of many requests. Goal: every figure at 1M pins within 2×
//! of the same figure at 1k. Also prints the process's resident memory. Run with
//! `cargo xtask bench state_scale`.

use std::time::{Duration, Instant};

use pinion_emulator::fuzzing::{Answer, Harness};
use pinion_emulator::scale;
use pinion_testkit::report::{self, Row};

const SCALES: [usize; 3] = [1_000, 100_000, 1_000_000];
const SAMPLES: usize = 400;
const WARM_UP: usize = 50;
const MAX_RATIO: f64 = 2.0;

/// Median request times at one state size.
struct Figures {
    pins: usize,
    insert: Duration,
    page: Duration,
    lookup: Duration,
    rss_mib: f64,
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

struct Client {
    harness: &'static Harness,
    bearer: String,
    sent: u64,
}

impl Client {
    fn send(&mut self, request: http::request::Builder, body: String) -> (Duration, Answer) {
        self.sent += 1;
        let request = request
            .header("authorization", &self.bearer)
            .header("content-type", "application/json")
            .body(body)
            .unwrap();
        let started = Instant::now();
        let answer = self.harness.send(request);
        (started.elapsed(), answer)
    }

    fn insert(&mut self) -> Duration {
        let body = serde_json::json!({
            "pinataContent": {"sample": self.sent, "note": "state scale benchmark"},
            "pinataMetadata": {"keyvalues": {"env": "bench"}},
        });
        let request = http::Request::post("/pinata/pinning/pinJSONToIPFS");
        let (took, answer) = self.send(request, body.to_string());
        assert_eq!(answer.status, 200, "{:?}", answer.body);
        took
    }

    fn list(&mut self, query: &str, rows: usize) -> Duration {
        let request = http::Request::get(format!("/pinata/data/pinList?{query}"));
        let (took, answer) = self.send(request, String::new());
        assert_eq!(answer.status, 200, "{:?}", answer.body);
        let list: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(list["rows"].as_array().map(Vec::len), Some(rows), "{query}");
        took
    }

    fn measure(&mut self, mut once: impl FnMut(&mut Self) -> Duration) -> Duration {
        for _ in 0..WARM_UP {
            once(self);
        }
        median((0..SAMPLES).map(|_| once(self)).collect())
    }
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().skip(1).any(|a| a != "--bench") {
        return; // `cargo test --benches` passes test flags: nothing to measure.
    }
    let harness = Harness::get();
    let mut client = Client {
        harness,
        bearer: format!("Bearer {}", harness.credentials().pinata.jwt),
        sent: 0,
    };
    let filtered = format!(
        "pageLimit=10&metadata%5Bkeyvalues%5D={}",
        encode(r#"{"env":{"value":"prod","op":"eq"}}"#)
    );
    let mut figures = Vec::new();
    for pins in SCALES {
        let started = Instant::now();
        scale::seed_pinata_pins(harness, pins);
        let seeded_in = started.elapsed();
        let lookup = format!("cid={}", scale::seeded_cid(pins / 2));
        let measured = Figures {
            pins,
            insert: client.measure(Client::insert),
            page: client.measure(|client| client.list(&filtered, 10)),
            lookup: client.measure(|client| client.list(&lookup, 1)),
            rss_mib: rss_mib(),
        };
        println!(
            "  {:>9} pins (seeded in {:5.1} s): insert {:7.3} ms  filtered page {:7.3} ms  CID lookup {:7.3} ms  RSS {:6.0} MiB",
            measured.pins,
            seeded_in.as_secs_f64(),
            ms(measured.insert),
            ms(measured.page),
            ms(measured.lookup),
            measured.rss_mib
        );
        figures.push(measured);
    }
    let (small, large) = (&figures[0], &figures[figures.len() - 1]);
    let ratio = |of: fn(&Figures) -> Duration| of(large).as_secs_f64() / of(small).as_secs_f64();
    let ratios = [ratio(|f| f.insert), ratio(|f| f.page), ratio(|f| f.lookup)];
    let describe = |f: &Figures| {
        format!(
            "insert {:.3} ms, filtered page {:.3} ms, CID lookup {:.3} ms",
            ms(f.insert),
            ms(f.page),
            ms(f.lookup)
        )
    };
    println!(
        "  1M ÷ 1k: insert {:.2}×, filtered page {:.2}×, CID lookup {:.2}× (goal ≤ {MAX_RATIO}×)",
        ratios[0], ratios[1], ratios[2]
    );
    let row = Row::judged(
        "7",
        "emulator state scale, in-process: `pinJSONToIPFS`, `pinList` page filtered by key-value equality, `pinList` by CID (medians), seeded to 1M pins",
        format!(
            "at 1M pins: {} ({:.2}×, {:.2}×, {:.2}× the 1k figures); RSS {:.0} MiB",
            describe(large),
            ratios[0],
            ratios[1],
            ratios[2],
            large.rss_mib
        ),
        format!("at 1k pins: {}", describe(small)),
        "each figure at 1M pins ≤ 2× at 1k",
        ratios.iter().all(|r| *r <= MAX_RATIO),
    );
    report::record(&row);
    report::exit_on_missed(&[row]);
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
