//! Every filter of `GET /pins` on both services, newest first, with `count` the total.

use serde_json::{Value, json};

use crate::client::{BOTH, Psa, start, unknown_cid};

const ALL: &str = "status=queued,pinning,pinned,failed";

/// Creates four requests (oldest first): A and B pinned, C queued, D failed.
async fn four(psa: &Psa) -> Vec<(String, String, String)> {
    let specs = [
        json!({"cid": unknown_cid(1), "name": "Alpha Report", "meta": {"app": "x", "env": "prod"}}),
        json!({"cid": unknown_cid(2), "name": "beta", "meta": {"app": "x"}}),
        json!({"cid": unknown_cid(3), "name": "alphabet"}),
        json!({"cid": unknown_cid(4)}),
    ];
    let mut made = Vec::new();
    for spec in specs {
        let created = psa.add(spec.clone()).await;
        made.push((
            created["requestid"].as_str().unwrap().to_owned(),
            spec["cid"].as_str().unwrap().to_owned(),
            created["created"].as_str().unwrap().to_owned(),
        ));
    }
    assert_eq!(psa.drive(&made[0].0, "pinned").await, 200);
    assert_eq!(psa.drive(&made[1].0, "pinned").await, 200);
    assert_eq!(psa.drive(&made[3].0, "failed").await, 200);
    made
}

fn ids(list: &Value) -> Vec<String> {
    Psa::ids(list)
}

/// Asserts that `query` lists exactly `want`, in that order, with that count.
async fn expect(psa: &Psa, query: String, want: Vec<&String>) {
    let list = psa.list(&query).await;
    let want: Vec<String> = want.into_iter().cloned().collect();
    assert_eq!(ids(&list), want, "{:?} {query}", psa.service);
    assert_eq!(list["count"], want.len(), "{:?} {query}", psa.service);
}

#[tokio::test]
async fn every_filter_on_both_services() {
    let emulator = start(false).await;
    for service in BOTH {
        let psa = Psa::new(&emulator, service);
        let made = four(&psa).await;
        let [a, b, c, d] = [0, 1, 2, 3].map(|i| made[i].0.clone());
        // Default: pinned only, newest first.
        expect(&psa, String::new(), vec![&b, &a]).await;
        expect(&psa, ALL.into(), vec![&d, &c, &b, &a]).await;
        expect(&psa, "status=queued".into(), vec![&c]).await;
        expect(&psa, "status=failed,queued".into(), vec![&d, &c]).await;
        // cid, comma-joined.
        expect(
            &psa,
            format!("{ALL}&cid={},{}", made[0].1, made[2].1),
            vec![&c, &a],
        )
        .await;
        // name with each matching strategy.
        expect(&psa, "name=Alpha%20Report".into(), vec![&a]).await;
        expect(&psa, "name=alpha%20report&match=exact".into(), vec![]).await;
        expect(&psa, "name=alpha%20report&match=iexact".into(), vec![&a]).await;
        expect(&psa, format!("{ALL}&name=alpha&match=partial"), vec![&c]).await;
        expect(
            &psa,
            format!("{ALL}&name=ALPHA&match=ipartial"),
            vec![&c, &a],
        )
        .await;
        // meta: every given pair must be on the pin.
        expect(&psa, "meta=%7B%22app%22%3A%22x%22%7D".into(), vec![&b, &a]).await;
        expect(
            &psa,
            "meta=%7B%22app%22%3A%22x%22%2C%22env%22%3A%22prod%22%7D".into(),
            vec![&a],
        )
        .await;
        // before and after: strictly, by `created`.
        expect(&psa, format!("{ALL}&before={}", made[1].2), vec![&a]).await;
        expect(&psa, format!("{ALL}&after={}", made[1].2), vec![&d, &c]).await;
        expect(
            &psa,
            format!("{ALL}&after={}&before={}", made[0].2, made[3].2),
            vec![&c, &b],
        )
        .await;
        // limit: the count is of every match.
        let limited = psa.list(&format!("{ALL}&limit=1")).await;
        assert_eq!(ids(&limited), vec![d.clone()]);
        assert_eq!(limited["count"], 4);
        // Out of range or form: 400.
        let eleven = [made[0].1.as_str(); 11].join(",");
        for bad in [
            "limit=0".to_owned(),
            "limit=1001".to_owned(),
            "status=done".to_owned(),
            "match=fuzzy".to_owned(),
            "before=yesterday".to_owned(),
            "meta=notjson".to_owned(),
            format!("cid={eleven}"),
        ] {
            let refused = psa
                .send(reqwest::Method::GET, &format!("/pins?{bad}"), None)
                .await;
            assert_eq!(refused.status, 400, "{service:?} {bad}: {}", refused.text);
        }
        assert_eq!(psa.list("limit=1000").await["count"], 2);
        assert_eq!(
            psa.list(&format!("cid={}", [made[0].1.as_str(); 10].join(",")))
                .await["count"],
            1
        );
    }
}
