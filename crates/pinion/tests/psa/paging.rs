//! Paging over more than 1,000 pins of content the emulator holds, on both endpoints.

use std::collections::HashSet;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use pinion::psa::{ListFilter, PinRequest};
use pinion_emulator::Emulator;

use super::endpoints::{both, quick};

const PINS: usize = 1001;

#[tokio::test]
async fn listings_page_over_more_than_a_thousand_pins() {
    let emulator = Emulator::builder().start().await.unwrap();
    for endpoint in both(&emulator) {
        let who = endpoint.name;
        let endpoint = &endpoint;
        // 1,001 JSON documents stored through the service's own API, then PSA-pinned.
        let requests: Vec<String> = futures::stream::iter(0..PINS)
            .map(|n| async move {
                let cid = endpoint.hold(n).await;
                let request = PinRequest::new(cid).meta("batch", "paging");
                endpoint.psa.add(&request).await.unwrap().requestid
            })
            .buffer_unordered(8)
            .collect()
            .await;
        let last = requests.last().unwrap();
        endpoint
            .psa
            .wait_until_pinned(last, quick(Duration::from_secs(30)))
            .await
            .unwrap();
        let expected: HashSet<&str> = requests.iter().map(String::as_str).collect();

        for limit in [None, Some(1000), Some(333)] {
            let mut filter = ListFilter::default().meta("batch", "paging").any_status();
            filter.limit = limit;
            let listed: Vec<_> = endpoint.psa.list(filter).try_collect().await.unwrap();
            let ids: Vec<&str> = listed.iter().map(|pin| pin.requestid.as_str()).collect();
            let unique: HashSet<&str> = ids.iter().copied().collect();
            assert_eq!(
                ids.len(),
                PINS,
                "{who} limit {limit:?}: repeated or missing"
            );
            assert_eq!(unique, expected, "{who} limit {limit:?}");
            assert!(
                listed
                    .windows(2)
                    .all(|pair| pair[0].created >= pair[1].created),
                "{who}: newest first"
            );
        }
        let page = endpoint
            .psa
            .list_page(&ListFilter::default().meta("batch", "paging").any_status())
            .await
            .unwrap();
        assert_eq!(page.total, Some(PINS as u64), "{who}");
        assert_eq!(page.rows.len(), 10, "{who}: the standard's default page");
    }
}
