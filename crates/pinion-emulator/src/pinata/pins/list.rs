//! `pinList`: its query parameters, and the page answered from the pin indexes.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use pinion_api::pinata::types as wire;
use pinion_rules::paging::{MAX_PAGE_LIMIT, MIN_PAGE_LIMIT, check_page_limit};

use super::super::Reason;
use super::super::authorize;
use super::super::common::{internal, ok_json, parse_time};
use super::{PinRow, account_policy};
use crate::state::pinata::{PinFilter, PinStatus, parse_keyvalue_filters};
use crate::state::{AppState, Data};

/// The wire form of a pin row.
pub(crate) fn pin_item(data: &Data, row: &PinRow, user_id: &str) -> wire::PinListItem {
    let policy = row
        .pin_policy
        .clone()
        .unwrap_or_else(|| account_policy(data));
    wire::PinListItem {
        date_pinned: row.date_pinned,
        date_unpinned: row.date_unpinned,
        id: row.id.parse().expect("pin ids are UUIDs"),
        ipfs_pin_hash: row.cid.clone(),
        metadata: wire::PinListMetadata {
            keyvalues: (!row.keyvalues.is_empty()).then(|| row.keyvalues.clone()),
            name: row.name.clone(),
        },
        mime_type: row.mime_type.clone(),
        number_of_files: Some(row.number_of_files as i64),
        regions: policy
            .regions
            .iter()
            .map(|region| wire::PinRegion {
                current_replication_count: if row.is_pinned() {
                    region.desired_replication_count
                } else {
                    0
                },
                desired_replication_count: region.desired_replication_count,
                region_id: region.id.clone(),
            })
            .collect(),
        size: row.size as i64,
        user_id: user_id.parse().expect("user ids are UUIDs"),
    }
}

/// `pinList`'s parameters: the filters, the page and whether to count.
struct PinListQuery {
    filter: PinFilter,
    include_count: bool,
    limit: usize,
    offset: usize,
}

fn parse_pin_list_query(raw: Option<&str>) -> Result<PinListQuery, Response> {
    let mut query = PinListQuery {
        filter: PinFilter::default(),
        include_count: true,
        limit: 10,
        offset: 0,
    };
    let filter = &mut query.filter;
    let mut keyvalue_json: Vec<String> = Vec::new();
    let mut keyvalue_single: Vec<(String, String)> = Vec::new();
    let time = |name: &str, value: &str| {
        parse_time(value).ok_or_else(|| {
            Reason::InvalidQuery.error(format!(
                "{name} must be a date such as 2024-01-31T00:00:00Z, not {value:?}"
            ))
        })
    };
    let number = |name: &str, value: &str| {
        value.parse::<u64>().map_err(|_| {
            Reason::InvalidQuery.error(format!(
                "{name} must be a non-negative integer, not {value:?}"
            ))
        })
    };
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let value = value.into_owned();
        match name.as_ref() {
            "includeCount" => query.include_count = value != "false",
            "hashContains" => filter.cid_contains = Some(value),
            "cid" => filter.cid = Some(value),
            "groupId" => filter.group_id = Some(value),
            "pinStart" => filter.pin_start = Some(time("pinStart", &value)?),
            "pinEnd" => filter.pin_end = Some(time("pinEnd", &value)?),
            "unpinStart" => filter.unpin_start = Some(time("unpinStart", &value)?),
            "unpinEnd" => filter.unpin_end = Some(time("unpinEnd", &value)?),
            "pinSizeMin" => filter.size_min = Some(number("pinSizeMin", &value)?),
            "pinSizeMax" => filter.size_max = Some(number("pinSizeMax", &value)?),
            "status" => {
                if !["all", "pinned", "unpinned"].contains(&value.as_str()) {
                    return Err(Reason::InvalidQuery.error(format!(
                        "status must be all, pinned or unpinned, not {value:?}"
                    )));
                }
                filter.status = match value.as_str() {
                    "pinned" => PinStatus::Pinned,
                    "unpinned" => PinStatus::Unpinned,
                    _ => PinStatus::All,
                };
            }
            "pageLimit" => {
                let limit = number("pageLimit", &value)?;
                let limit = check_page_limit(limit).map_err(|_| {
                    Reason::InvalidQuery.error(format!(
                        "pageLimit must be between {MIN_PAGE_LIMIT} and {MAX_PAGE_LIMIT}, not {limit}"
                    ))
                })?;
                query.limit = limit as usize;
            }
            "pageOffset" => query.offset = number("pageOffset", &value)? as usize,
            "metadata[name]" => filter.name = Some(value),
            "metadata[keyvalues]" => keyvalue_json.push(value),
            other => {
                if let Some(key) = other
                    .strip_prefix("metadata[keyvalues][")
                    .and_then(|rest| rest.strip_suffix(']'))
                {
                    keyvalue_single.push((key.to_owned(), value));
                }
                // Any other parameter is ignored, as the service does.
            }
        }
    }
    query.filter.keyvalues = parse_keyvalue_filters(&keyvalue_json, &keyvalue_single)
        .map_err(|why| Reason::InvalidQuery.error(why))?;
    Ok(query)
}

/// `GET /data/pinList`: newest first.
pub(crate) async fn pin_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "pinList") {
        return refused;
    }
    let query = match parse_pin_list_query(raw.as_deref()) {
        Ok(query) => query,
        Err(refused) => return refused,
    };
    if let Err(error) = super::super::jobs::advance_all(&state) {
        return internal(error);
    }
    // v3 files past their `expires_at` are deleted before any list shows them.
    if let Err(error) = crate::pinata_v3::files::expire_due(&state) {
        return internal(error);
    }
    let user_id = state.meta().pinata_user_id;
    let answer = state.read(|data| {
        let page = query
            .filter
            .page(&data.pinata, query.offset, query.limit, query.include_count);
        wire::PinList {
            count: page.count.map(|count| count as i64),
            rows: page
                .rows
                .into_iter()
                .map(|row| pin_item(data, row, &user_id))
                .collect(),
        }
    });
    ok_json(&answer)
}
