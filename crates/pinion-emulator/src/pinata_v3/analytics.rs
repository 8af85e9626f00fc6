//! Gateway analytics (reference §10), at the spec's routes and the SDK's older ones:
//! `top` (requests or bandwidth grouped `by` a dimension) and `time_series` (per `day`
//! or `week`, from `date_interval` or the SDK's `by`). The emulator keeps no log of
//! gateway requests, so every answer is the empty one: no rows, no periods, zero
//! totals; the parameters are still checked as the spec describes them.

use axum::extract::RawQuery;
use axum::response::Response;
use chrono::NaiveDate;
use pinion_api::pinata_v3::types as wire;

use super::{V3Reason, ok_json};

/// The `by` values of `top` (the official enum's `referrer` and the SDK's `referer`).
const TOP_BY: [&str; 7] = [
    "cid",
    "country",
    "region",
    "user_agent",
    "referer",
    "referrer",
    "file_name",
];

fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Checks the parameters every analytics route shares.
fn check_common(pairs: &[(String, String)]) -> Result<(), String> {
    match param(pairs, "gateway_domain") {
        Some(domain) if !domain.is_empty() => {}
        _ => return Err("gateway_domain is required".into()),
    }
    let date = |name: &str| {
        let text = param(pairs, name).ok_or_else(|| format!("{name} is required (YYYY-MM-DD)"))?;
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| format!("{name} must be a date YYYY-MM-DD, not {text:?}"))
    };
    let (start, end) = (date("start_date")?, date("end_date")?);
    if end < start {
        return Err(format!("end_date {end} is before start_date {start}"));
    }
    if let Some(sort_by) = param(pairs, "sort_by")
        && !["requests", "bandwidth"].contains(&sort_by)
    {
        return Err(format!(
            "sort_by must be requests or bandwidth, not {sort_by:?}"
        ));
    }
    if let Some(order) = param(pairs, "sort_order")
        && !["asc", "desc"].contains(&order)
    {
        return Err(format!("sort_order must be asc or desc, not {order:?}"));
    }
    if let Some(limit) = param(pairs, "limit")
        && limit.parse::<u64>().ok().filter(|n| *n >= 1).is_none()
    {
        return Err(format!("limit must be a positive integer, not {limit:?}"));
    }
    Ok(())
}

/// `GET /analytics/gateways/top` and `GET /ipfs/gateway_analytics_top`.
pub(crate) async fn top(RawQuery(raw): RawQuery) -> Response {
    let pairs = pairs(raw.as_deref());
    let checked = check_common(&pairs).and_then(|()| match param(&pairs, "by") {
        Some(by) if TOP_BY.contains(&by) => Ok(()),
        other => Err(format!(
            "by must be one of {}, not {other:?}",
            TOP_BY.join(", ")
        )),
    });
    match checked {
        // No gateway requests are recorded: nothing to rank.
        Ok(()) => ok_json(&wire::AnalyticsTopResponse { data: Vec::new() }),
        Err(why) => V3Reason::InvalidRequest.error(why),
    }
}

/// `GET /analytics/gateways/time_series` and `GET /ipfs/gateway_analytics_time_series`.
pub(crate) async fn time_series(RawQuery(raw): RawQuery) -> Response {
    let pairs = pairs(raw.as_deref());
    let checked = check_common(&pairs).and_then(|()| {
        let interval = param(&pairs, "date_interval")
            .or_else(|| param(&pairs, "by"))
            .unwrap_or("day");
        if ["day", "week"].contains(&interval) {
            Ok(())
        } else {
            Err(format!(
                "date_interval must be day or week, not {interval:?}"
            ))
        }
    });
    match checked {
        // No gateway requests are recorded: zero totals and no periods with traffic.
        Ok(()) => ok_json(&wire::AnalyticsTimeSeriesResponse {
            data: wire::AnalyticsTimeSeries {
                time_periods: Vec::new(),
                total_bandwidth: Some(0),
                total_requests: Some(0),
            },
        }),
        Err(why) => V3Reason::InvalidRequest.error(why),
    }
}
