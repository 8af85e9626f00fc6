//! Fuzzed tokens: straight into the emulator's JWT verification, as `Authorization:
//! Bearer <token>` to Pinata's and W3IPFS's `testAuthentication`, and as the gateway's
//! `accessToken` for private Submarine content. No forged token may be accepted and no
//! answer may be a 5xx; refusals have the service's documented error shape.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pinion_emulator::fuzzing::jwt_verify;
use pinion_fuzz::{Auth, Shape, check_answer, emulator, fixture, query_escape, request};

fuzz_target!(|data: &[u8]| {
    let admin = emulator().credentials();
    let genuine = [admin.pinata.jwt.as_bytes(), admin.w3ipfs.jwt.as_bytes()];
    // The harness's secret is random per process: only its own tokens can verify.
    let forged = !genuine.contains(&data);

    if let Ok(token) = std::str::from_utf8(data) {
        let verified = jwt_verify(token);
        assert!(
            !(forged && verified.is_ok()),
            "a token the emulator did not sign verified: {token:?} → {verified:?}"
        );
    }

    let mut bearer = b"Bearer ".to_vec();
    bearer.extend_from_slice(data);
    if let Ok(value) = http::HeaderValue::from_bytes(&bearer) {
        for (path, shape) in [
            ("/pinata/data/testAuthentication", Shape::Pinata),
            ("/w3ipfs/api/apiKeys/testAuthentication", Shape::W3ipfs),
        ] {
            let request = request("GET", path, Auth::None)
                .header("authorization", value.clone())
                .body(Vec::new())
                .expect("a valid request");
            let answer = emulator().send(request);
            check_answer(path, &answer, shape);
            assert!(
                !(forged && answer.status.is_success()),
                "{path} accepted a forged token: {:?}",
                String::from_utf8_lossy(data)
            );
        }
    }

    let fixture = fixture();
    let uri = format!(
        "/gateway/ipfs/{}?accessToken={}",
        fixture.submarine_cid,
        query_escape(data)
    );
    let request = request("GET", &uri, Auth::None)
        .body(Vec::new())
        .expect("a valid request");
    let answer = emulator().send(request);
    check_answer(&uri, &answer, Shape::Plain);
    assert!(
        !answer.status.is_success(),
        "the gateway served private content for the token {:?}",
        String::from_utf8_lossy(data)
    );
});
