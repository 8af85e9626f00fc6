//! Paging with `before` over more than 1,000 requests: every request once, none skipped,
//! because `created` is unique per service.

use std::collections::BTreeSet;

use serde_json::json;

use crate::client::{BOTH, Psa, start, unknown_cid};

#[tokio::test]
async fn more_than_a_thousand_requests_page_with_before() {
    let emulator = start(true).await;
    const TOTAL: usize = 1005;
    for service in BOTH {
        let psa = Psa::new(&emulator, service);
        let mut created = BTreeSet::new();
        for n in 0..TOTAL {
            created.insert(psa.add_cid(&unknown_cid(10_000 + n)).await);
        }
        // A step or two completes the last ones (--psa-retrievable).
        psa.list("").await;
        psa.list("").await;
        let first = psa.list("limit=1000").await;
        assert_eq!(first["count"], TOTAL, "{service:?}");
        let page = first["results"].as_array().unwrap();
        assert_eq!(page.len(), 1000);
        let oldest = page.last().unwrap()["created"].as_str().unwrap();
        let second = psa
            .list(&format!("limit=1000&before={}", oldest.replace('+', "%2B")))
            .await;
        assert_eq!(second["count"], TOTAL - 1000);
        let seen: BTreeSet<String> = Psa::ids(&first)
            .into_iter()
            .chain(Psa::ids(&second))
            .collect();
        assert_eq!(seen, created, "{service:?}: every request exactly once");
        let third = psa
            .list(&format!(
                "before={}",
                second["results"].as_array().unwrap().last().unwrap()["created"]
                    .as_str()
                    .unwrap()
            ))
            .await;
        assert_eq!(third, json!({"count": 0, "results": []}));
    }
}
