//! Two requests of one CID, and the services' own APIs acting on what a request pinned
//! (the choices `spec/psa.sources.md` records under "Emulator decisions").

use reqwest::Method;
use serde_json::json;

use crate::client::{Psa, Service, held_publicly, in_own_pin_list, start};
use crate::common::Api;

/// Steps the queue until request `id` is pinned.
async fn until_pinned(psa: &Psa, id: &str) {
    for _ in 0..4 {
        if psa.status(id).await == "pinned" {
            return;
        }
    }
    panic!("{id} never pinned");
}

async fn pinata_active_pins(pinata: &Api, cid: &str) -> u64 {
    pinata
        .get(&format!("/data/pinList?status=pinned&cid={cid}"), 200)
        .await["count"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn pinata_requests_of_one_cid_share_its_one_pin() {
    let emulator = start(false).await;
    let psa = Psa::new(&emulator, Service::Pinata);
    let pinata = Api::pinata(&emulator);
    let cid = held_publicly(&emulator, Service::Pinata, b"shared on Pinata").await;
    let first = psa.add_cid(&cid).await;
    let second = psa.add_cid(&cid).await;
    until_pinned(&psa, &first).await;
    until_pinned(&psa, &second).await;
    assert_eq!(pinata_active_pins(&pinata, &cid).await, 1);
    // Deleting one leaves the pin to the other.
    assert_eq!(psa.delete(&first).await.status, 200);
    assert_eq!(psa.status(&second).await, "pinned");
    assert_eq!(pinata_active_pins(&pinata, &cid).await, 1);
    // Deleting the last unpins the CID.
    assert_eq!(psa.delete(&second).await.status, 200);
    assert_eq!(pinata_active_pins(&pinata, &cid).await, 0);
}

#[tokio::test]
async fn a_pinata_request_of_a_pinned_cid_joins_its_pin_and_pinata_unpin_ends_it() {
    let emulator = start(false).await;
    let psa = Psa::new(&emulator, Service::Pinata);
    let pinata = Api::pinata(&emulator);
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"uploaded".to_vec()).file_name("u.txt"),
    );
    let uploaded = pinata.post_form("/pinning/pinFileToIPFS", form, 200).await;
    let cid = uploaded["IpfsHash"].as_str().unwrap();
    let id = psa.add_cid(cid).await;
    until_pinned(&psa, &id).await;
    assert_eq!(pinata_active_pins(&pinata, cid).await, 1);
    pinata
        .call_text(Method::DELETE, &format!("/pinning/unpin/{cid}"), None, 200)
        .await;
    assert_eq!(psa.get(&id).await.status, 404);
    assert_eq!(
        psa.list("status=queued,pinning,pinned,failed").await["count"],
        0
    );
}

#[tokio::test]
async fn w3ipfs_requests_of_one_cid_are_two_pins() {
    let emulator = start(false).await;
    let psa = Psa::new(&emulator, Service::W3ipfs);
    let w3ipfs = Api::w3ipfs(&emulator);
    let cid = held_publicly(&emulator, Service::W3ipfs, b"shared on W3IPFS").await;
    let first = psa.add_cid(&cid).await;
    let second = psa.add_cid(&cid).await;
    until_pinned(&psa, &first).await;
    until_pinned(&psa, &second).await;
    // Both are pins of the service, under the request ids.
    for id in [&first, &second] {
        let pin = w3ipfs.get(&format!("/pinning/{id}"), 200).await;
        assert_eq!(pin["data"]["pinned"], true);
        assert_eq!(pin["data"]["is_pin_by_hash"], true);
    }
    // W3IPFS's own pin by CID still refuses a CID it pins.
    let refused = w3ipfs
        .call(
            Method::POST,
            "/pinning/pinByHash",
            Some(json!({"hash_to_pin": cid})),
            400,
        )
        .await;
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("already exists")
    );
    assert_eq!(psa.delete(&first).await.status, 202);
    assert_eq!(psa.status(&second).await, "pinned");
    assert!(in_own_pin_list(&emulator, Service::W3ipfs, &cid).await);
    // Unpinning through W3IPFS's own API ends the request.
    w3ipfs
        .call(
            Method::DELETE,
            &format!("/pinning/unpin/{second}"),
            None,
            200,
        )
        .await;
    assert_eq!(psa.get(&second).await.status, 404);
    assert!(!in_own_pin_list(&emulator, Service::W3ipfs, &cid).await);
}
