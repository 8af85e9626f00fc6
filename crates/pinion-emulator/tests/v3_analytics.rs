//! Gateway analytics at both route pairs: parameters checked, answers empty (the
//! emulator records no gateway traffic).

mod common;

use common::start;
use common::v3::{V3, v3_error};
use serde_json::json;

const RANGE: &str = "gateway_domain=gw.mypinata.cloud&start_date=2024-08-01&end_date=2024-08-31";

#[tokio::test]
async fn both_route_pairs_answer_empty_data() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    for path in ["/analytics/gateways/top", "/ipfs/gateway_analytics_top"] {
        let top = v3
            .api
            .get(&format!("{path}?{RANGE}&by=cid&sort_by=requests"), 200)
            .await;
        assert_eq!(top, json!({"data": []}));
    }
    for (path, interval) in [
        ("/analytics/gateways/time_series", "date_interval=week"),
        ("/ipfs/gateway_analytics_time_series", "by=day"),
    ] {
        let series = v3.api.get(&format!("{path}?{RANGE}&{interval}"), 200).await;
        assert_eq!(series["data"]["total_requests"], 0);
        assert_eq!(series["data"]["total_bandwidth"], 0);
    }
}

#[tokio::test]
async fn bad_parameters_and_scopes_are_refused() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    for query in [
        "by=cid".to_owned(),
        format!("{RANGE}&by=planet"),
        format!("{RANGE}&by=cid&sort_by=speed"),
        "gateway_domain=g&start_date=2024-09-01&end_date=2024-08-01&by=cid".to_owned(),
        "gateway_domain=g&start_date=yesterday&end_date=2024-08-01&by=cid".to_owned(),
    ] {
        let body = v3
            .api
            .get(&format!("/analytics/gateways/top?{query}"), 400)
            .await;
        assert_eq!(v3_error(&body).0, 400, "{query}");
    }
    v3.api
        .get(
            &format!("/analytics/gateways/time_series?{RANGE}&date_interval=year"),
            400,
        )
        .await;
    let files = v3
        .key(json!({"resources": ["org:files:write"]}), None)
        .await;
    let body = files
        .api
        .get(&format!("/analytics/gateways/top?{RANGE}&by=cid"), 403)
        .await;
    assert!(v3_error(&body).1.contains("org:analytics:read"), "{body}");
    let reader = v3
        .key(json!({"resources": ["org:analytics:read"]}), None)
        .await;
    reader
        .api
        .get(&format!("/analytics/gateways/top?{RANGE}&by=cid"), 200)
        .await;
}
