//! Answers are read leniently: a listing with one odd row still reads the others and
//! gives the odd one back as an error carrying its raw JSON; fields a service adds are
//! ignored; key listings with partial scopes decode. A local server sends the answers.

use futures::StreamExt;
use pinion::credentials::{PinataCredentials, W3ipfsCredentials};
use pinion::pinata::PinListFilter;
use pinion::{Error, PinningService, RateLimit, RetryPolicy};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A server answering 200 with the body of the first route whose path fragment the
/// request line contains (404 otherwise); one request per connection.
async fn canned(routes: Vec<(&'static str, Value)>) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let routes = routes.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&head);
                let line = line.lines().next().unwrap_or_default().to_owned();
                let (status, body) = match routes.iter().find(|(path, _)| line.contains(path)) {
                    Some((_, body)) => ("200 OK", body.to_string()),
                    None => ("404 Not Found", r#"{"error":"no route"}"#.to_owned()),
                };
                let answer = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    addr
}

fn pinata(addr: std::net::SocketAddr) -> pinion::pinata::Client {
    pinion::pinata::Client::builder()
        .base_url(format!("http://{addr}"))
        .credentials(PinataCredentials::jwt("eyJhbGciOiJIUzI1NiJ9.e30.c2ln"))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn pin_row(n: u8) -> Value {
    json!({
        "id": format!("00000000-0000-4000-8000-00000000000{n}"),
        "ipfs_pin_hash": "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
        "size": 42,
        "user_id": "11111111-1111-4111-8111-111111111111",
        "date_pinned": "2024-05-01T10:00:00.000Z",
        "date_unpinned": null,
        "metadata": {"name": format!("pin {n}"), "keyvalues": null},
        "regions": [{"regionId": "pinata", "currentReplicationCount": 1, "desiredReplicationCount": 1}],
    })
}

#[tokio::test]
async fn one_odd_row_neither_fails_the_listing_nor_disappears() {
    let mut odd = pin_row(2);
    odd["size"] = json!("s3cret-looking-value");
    let mut newer = pin_row(3);
    newer["a_field_added_later"] = json!({"nested": [1, 2]});
    let addr = canned(vec![(
        "/data/pinList",
        json!({"count": 3, "rows": [pin_row(1), odd.clone(), newer]}),
    )])
    .await;
    let client = pinata(addr);

    let page = client
        .pins_page(&PinListFilter::default(), 0)
        .await
        .unwrap();
    assert_eq!(page.total, Some(3));
    assert_eq!(page.rows.len(), 3, "no row is dropped");
    assert_eq!(
        page.rows[0].as_ref().unwrap().metadata.name.as_deref(),
        Some("pin 1")
    );
    assert_eq!(
        page.rows[2].as_ref().unwrap().metadata.name.as_deref(),
        Some("pin 3")
    );
    match &page.rows[1] {
        Err(error @ Error::UndecodableRow { what, raw, .. }) => {
            assert_eq!(*what, "pin");
            assert_eq!(raw.json(), &odd, "the row comes back as sent");
            let text = format!("{error} {error:?}");
            assert!(text.contains("size") || text.contains("i64"), "{text}");
            assert!(!text.contains("s3cret-looking-value"), "{text}");
        }
        other => panic!("expected an undecodable row, got {other:?}"),
    }

    // The service-neutral listing reads what it needs from the odd row's JSON.
    let pins = PinningService::list_pins(&client).await.unwrap();
    assert_eq!(pins.len(), 3);
    assert_eq!(pins[1].name.as_deref(), Some("pin 2"));
    assert_eq!(pins[1].size, None);
    assert!(pins[1].pinned);

    // The stream goes on past the odd row.
    let items: Vec<_> = client.pins(PinListFilter::default()).collect().await;
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[1].is_err() && items[2].is_ok());
    assert!(page.into_rows().is_err(), "into_rows reports the odd row");
}

#[tokio::test]
async fn a_listing_without_its_rows_is_a_decode_error() {
    let addr = canned(vec![("/data/pinList", json!({"count": 1}))]).await;
    let error = pinata(addr)
        .pins_page(&PinListFilter::default(), 0)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn key_listings_with_partial_scopes_decode() {
    let pinata_key = |n: u8, scopes: Value| {
        json!({
            "id": format!("00000000-0000-4000-8000-00000000000{n}"),
            "name": format!("key {n}"),
            "key": "4c4c1f0a9e2b7d3f5a61",
            "max_uses": null,
            "uses": 0,
            "user_id": "11111111-1111-4111-8111-111111111111",
            "scopes": scopes,
            "revoked": false,
            "createdAt": "2024-05-01T10:00:00.000Z",
            "updatedAt": "2024-05-01T10:00:00.000Z",
        })
    };
    let w3ipfs_key = |n: u8, scopes: Value| {
        json!({
            "id": format!("00000000-0000-4000-8000-00000000000{n}"),
            "name": format!("key {n}"),
            "api_key": "a9hXr7Hr36NGtrSqyrrI2Q==",
            "secret_key": "4t40...CXQ=",
            "scopes": scopes,
            "created_at": "2024-05-01T10:00:00Z",
        })
    };
    let addr = canned(vec![
        (
            "/users/apiKeys",
            json!({"count": 2, "keys": [
                pinata_key(1, json!({"admin": true})),
                // The v3 list example's partial scopes.
                pinata_key(2, json!({"endpoints": {"pinning": {"pinFileToIPFS": true, "pinJSONToIPFS": true}}, "admin": false})),
            ]}),
        ),
        (
            "/apiKeys/list",
            json!({"status": "success", "data": {"total": 2, "api_keys": [
                w3ipfs_key(1, json!({"admin": true})),
                // An old key: data without nft_list, no pin_nft.
                w3ipfs_key(2, json!({"admin": false, "data": {"pin_list": true}, "pinning": {"unpin": false, "pin_by_hash": true, "pin_file_to_ipfs": true}})),
            ]}}),
        ),
    ])
    .await;

    let keys = pinata(addr)
        .api_keys_page(0)
        .await
        .unwrap()
        .into_rows()
        .unwrap();
    assert_eq!(keys.len(), 2);
    assert!(keys[1].scopes.endpoints["pinning"]["pinFileToIPFS"]);

    let w3ipfs = pinion::w3ipfs::Client::builder()
        .base_url(format!("http://{addr}"))
        .credentials(W3ipfsCredentials::jwt("eyJhbGciOiJIUzI1NiJ9.e30.c2ln"))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let keys = w3ipfs
        .api_keys_page(0, None)
        .await
        .unwrap()
        .into_rows()
        .unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].scopes.admin, Some(true));
    assert_eq!(keys[1].scopes.data.get("pin_list"), Some(&true));
    assert!(keys[1].scopes.pin_nft.is_empty());
}
