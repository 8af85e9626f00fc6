//! Fuzzed bytes as the body of authenticated multipart uploads. The first byte picks
//! the endpoint and whether the boundary is fixed (`Content-Type:
//! multipart/form-data; boundary=pinionfuzzboundary`, the rest is the body) or chosen
//! by the input (its first line is the `Content-Type`, the rest the body). No answer
//! may be a 5xx, and a 4xx must have the service's documented error shape.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pinion_fuzz::{Auth, BOUNDARY, Shape, check_answer, emulator, multipart_type, request};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let (path, auth, shape) = match choice % 4 {
        0 => ("/pinata/pinning/pinFileToIPFS", Auth::Pinata, Shape::Pinata),
        1 => ("/w3ipfs/api/pinning", Auth::W3ipfs, Shape::W3ipfs),
        2 => ("/w3ipfs/api/nft", Auth::W3ipfsKeyPair, Shape::W3ipfs),
        _ => ("/submarine/api/v1/content", Auth::Submarine, Shape::Pinata),
    };
    let (content_type, body) = if choice & 0x80 == 0 {
        (multipart_type(BOUNDARY).into_bytes(), rest)
    } else {
        match rest.iter().position(|&b| b == b'\n') {
            Some(end) => (rest[..end].to_vec(), &rest[end + 1..]),
            None => (rest.to_vec(), &[][..]),
        }
    };
    let Ok(content_type) = http::HeaderValue::from_bytes(&content_type) else {
        return;
    };
    let request = request("POST", path, auth)
        .header("content-type", content_type)
        .body(body.to_vec())
        .expect("a valid request");
    let answer = emulator().send(request);
    check_answer(path, &answer, shape);
});
