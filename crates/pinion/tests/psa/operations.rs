//! Every operation and filter on both endpoints, a replace, and a `failed` pin.

use std::time::Duration;

use chrono::Utc;
use futures::TryStreamExt;
use pinion::Error;
use pinion::psa::{ListFilter, NameMatch, PinRequest, Status};
use pinion_emulator::Emulator;

use super::endpoints::{both, quick};

const PEER: &str =
    "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";

/// A CID nobody holds: its pin stays queued until the control route drives it.
const UNHELD: &str = "bafkreie7ohywtosou76tasm7j63yigtzxe7d5zqus4zu3j6oltvgtibeom";

fn ids(pins: &[pinion::psa::types::PinStatus]) -> Vec<&str> {
    pins.iter().map(|pin| pin.requestid.as_str()).collect()
}

#[tokio::test]
async fn every_operation_and_filter_on_both_endpoints() {
    let emulator = Emulator::builder().start().await.unwrap();
    for endpoint in both(&emulator) {
        let psa = &endpoint.psa;
        let who = endpoint.name;
        let greeting = psa.test_authentication().await.unwrap();
        assert!(greeting.contains("authenticated"), "{who}: {greeting}");

        let (first_cid, second_cid) = (endpoint.hold(1).await, endpoint.hold(2).await);
        let start = Utc::now() - chrono::Duration::seconds(1);
        let added = psa
            .add(
                &PinRequest::new(&first_cid)
                    .name("Quarterly Report.pdf")
                    .meta("app", "site")
                    .meta("team", "a")
                    .origin(PEER),
            )
            .await
            .unwrap();
        assert_eq!(added.pin.cid, first_cid, "{who}");
        assert_eq!(added.pin.meta.as_ref().unwrap().0["app"], "site", "{who}");
        let first = psa
            .wait_until_pinned(&added.requestid, quick(Duration::from_secs(10)))
            .await
            .unwrap();
        assert_eq!(first.status.as_str(), "pinned", "{who}");
        assert_eq!(
            psa.get(&added.requestid).await.unwrap().requestid,
            added.requestid
        );
        let second = psa
            .add(
                &PinRequest::new(&second_cid)
                    .name("notes")
                    .meta("app", "blog"),
            )
            .await
            .unwrap();
        psa.wait_until_pinned(&second.requestid, quick(Duration::from_secs(10)))
            .await
            .unwrap();
        let queued = psa
            .add(&PinRequest::new(UNHELD).name("elsewhere"))
            .await
            .unwrap();

        let list = |filter: ListFilter| async move {
            psa.list(filter).try_collect::<Vec<_>>().await.unwrap()
        };
        // Without a status only pinned requests are listed, newest first.
        let pinned = list(ListFilter::default()).await;
        assert_eq!(
            ids(&pinned),
            [&*second.requestid, &*added.requestid],
            "{who}"
        );
        let every = list(ListFilter::default().any_status()).await;
        assert_eq!(every.len(), 3, "{who}");
        let waiting = list(
            ListFilter::default()
                .status(Status::Queued)
                .status(Status::Pinning),
        )
        .await;
        assert_eq!(ids(&waiting), [&*queued.requestid], "{who}");
        let by_cid = list(
            ListFilter::default()
                .cid(&first_cid)
                .cid(UNHELD)
                .any_status(),
        )
        .await;
        assert_eq!(by_cid.len(), 2, "{who}");
        for (name, how, expected) in [
            ("Quarterly Report.pdf", NameMatch::Exact, 1),
            ("quarterly report.pdf", NameMatch::Exact, 0),
            ("quarterly report.pdf", NameMatch::IExact, 1),
            ("Report", NameMatch::Partial, 1),
            ("report", NameMatch::Partial, 0),
            ("REPORT", NameMatch::IPartial, 1),
        ] {
            let found = list(ListFilter::default().name(name, how)).await;
            assert_eq!(found.len(), expected, "{who}: {name} {how:?}");
        }
        let by_meta = list(ListFilter::default().meta("app", "site")).await;
        assert_eq!(ids(&by_meta), [&*added.requestid], "{who}");
        let none = list(ListFilter::default().meta("app", "site").meta("team", "b")).await;
        assert!(none.is_empty(), "{who}");
        let after_first = list(ListFilter::default().after(first.created)).await;
        assert_eq!(ids(&after_first), [&*second.requestid], "{who}");
        let before_second = list(ListFilter::default().before(second.created)).await;
        assert_eq!(ids(&before_second), [&*added.requestid], "{who}");
        let since_start = list(ListFilter::default().after(start)).await;
        assert_eq!(since_start.len(), 2, "{who}");
        let page = psa
            .list_page(&ListFilter::default().limit(1))
            .await
            .unwrap();
        assert_eq!(page.rows.len(), 1, "{who}");
        assert_eq!(page.total, Some(2), "{who}");

        // A replace: a new request for the new CID, the old one gone.
        let third_cid = endpoint.hold(3).await;
        let replaced = psa
            .replace(&added.requestid, &PinRequest::new(&third_cid).name("v2"))
            .await
            .unwrap();
        assert_ne!(replaced.requestid, added.requestid, "{who}");
        assert_eq!(replaced.pin.cid, third_cid, "{who}");
        psa.wait_until_pinned(&replaced.requestid, quick(Duration::from_secs(10)))
            .await
            .unwrap();
        let gone = psa.get(&added.requestid).await.unwrap_err();
        assert_eq!(
            gone.status().map(|s| s.as_u16()),
            Some(404),
            "{who}: {gone}"
        );

        // A delete, then the request is gone (a second delete is a 404 too).
        psa.delete(&replaced.requestid).await.unwrap();
        let gone = psa.get(&replaced.requestid).await.unwrap_err();
        assert_eq!(
            gone.status().map(|s| s.as_u16()),
            Some(404),
            "{who}: {gone}"
        );
        let again = psa.delete(&replaced.requestid).await.unwrap_err();
        assert_eq!(
            again.status().map(|s| s.as_u16()),
            Some(404),
            "{who}: {again}"
        );
        let left = list(ListFilter::default()).await;
        assert_eq!(ids(&left), [&*second.requestid], "{who}");
    }
}

#[tokio::test]
async fn a_failed_pin_stops_the_wait_and_a_queued_one_times_out() {
    let emulator = Emulator::builder().start().await.unwrap();
    for endpoint in both(&emulator) {
        let psa = &endpoint.psa;
        let who = endpoint.name;
        let queued = psa.add(&PinRequest::new(UNHELD)).await.unwrap();
        let error = psa
            .wait_until_pinned(&queued.requestid, quick(Duration::from_millis(200)))
            .await
            .unwrap_err();
        let Error::PinWaitTimeout {
            requestid,
            cid,
            status,
            ..
        } = &error
        else {
            panic!("{who}: {error:?}");
        };
        assert_eq!(
            (requestid, cid),
            (&queued.requestid, &UNHELD.to_owned()),
            "{who}"
        );
        assert_ne!(status, "pinned", "{who}");

        endpoint.drive(&queued.requestid, "failed").await;
        let error = psa
            .wait_until_pinned(&queued.requestid, quick(Duration::from_secs(10)))
            .await
            .unwrap_err();
        let Error::PinFailed { requestid, cid, .. } = &error else {
            panic!("{who}: {error:?}");
        };
        assert_eq!(
            (requestid, cid),
            (&queued.requestid, &UNHELD.to_owned()),
            "{who}"
        );
        assert!(
            error.to_string().contains("failed to pin"),
            "{who}: {error}"
        );
        let failed = psa
            .list(ListFilter::default().status(Status::Failed))
            .try_collect::<Vec<_>>()
            .await
            .unwrap();
        assert_eq!(ids(&failed), [&*queued.requestid], "{who}");

        // Driven to pinned instead, the wait ends with the pin.
        let other = psa
            .add(&PinRequest::new(UNHELD).name("second try"))
            .await
            .unwrap();
        endpoint.drive(&other.requestid, "pinned").await;
        let pinned = psa
            .wait_until_pinned(&other.requestid, quick(Duration::from_secs(10)))
            .await
            .unwrap();
        assert_eq!(pinned.status.as_str(), "pinned", "{who}");
    }
}
