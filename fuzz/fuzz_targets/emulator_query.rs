//! Fuzzed bytes as the raw query string of authenticated GETs to the list endpoints
//! (and the gateway); the first byte picks the endpoint. No answer may be a 5xx, and
//! a 4xx must have the service's documented error shape.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pinion_fuzz::{Auth, Shape, check_answer, emulator, fixture, query_escape, request};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, query)) = data.split_first() else {
        return;
    };
    let fixture = fixture();
    let (path, auth, shape) = match choice % 12 {
        0 => (
            "/pinata/data/pinList".to_owned(),
            Auth::Pinata,
            Shape::Pinata,
        ),
        1 => (
            "/pinata/v3/data/pinList".to_owned(),
            Auth::PinataKeyPair,
            Shape::Pinata,
        ),
        2 => (
            "/pinata/pinning/pinJobs".to_owned(),
            Auth::Pinata,
            Shape::Pinata,
        ),
        3 => (
            "/pinata/users/apiKeys".to_owned(),
            Auth::Pinata,
            Shape::Pinata,
        ),
        4 => (
            "/pinata/v3/pinata/keys".to_owned(),
            Auth::Pinata,
            Shape::Pinata,
        ),
        5 => (
            "/w3ipfs/api/pinning/pins".to_owned(),
            Auth::W3ipfs,
            Shape::W3ipfs,
        ),
        6 => (
            "/w3ipfs/api/nft/nfts".to_owned(),
            Auth::W3ipfsKeyPair,
            Shape::W3ipfs,
        ),
        7 => (
            "/w3ipfs/api/apiKeys/list".to_owned(),
            Auth::W3ipfs,
            Shape::W3ipfs,
        ),
        8 => (
            "/w3ipfs/api/gateways".to_owned(),
            Auth::W3ipfs,
            Shape::W3ipfs,
        ),
        9 => (
            "/submarine/api/v1/content".to_owned(),
            Auth::Submarine,
            Shape::Pinata,
        ),
        10 => (
            format!("/submarine/api/v1/content/{}/list", fixture.submarine_id),
            Auth::Submarine,
            Shape::Pinata,
        ),
        _ => (
            format!("/gateway/ipfs/{}/index.html", fixture.submarine_cid),
            Auth::None,
            Shape::Plain,
        ),
    };
    let uri = format!("{path}?{}", query_escape(query));
    let Ok(request) = request("GET", &uri, auth).body(Vec::new()) else {
        return;
    };
    let answer = emulator().send(request);
    check_answer(&uri, &answer, shape);
});
