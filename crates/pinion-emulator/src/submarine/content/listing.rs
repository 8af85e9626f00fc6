//! `GET /content` with its filters, `GET /content/{id}` and `GET /content/{id}/list`.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use pinion_api::submarine::types as wire;
use pinion_rules::paging::{MAX_PAGE_LIMIT, MIN_PAGE_LIMIT, check_page_limit};
use serde_json::Map;

use super::{ContentRow, bad_request, envelope, flag, item, keyvalues, not_found};
use crate::content::{self};
use crate::pinata::{KeyValueFilter, parse_keyvalue_filters, parse_time};
use crate::state::AppState;
use crate::submarine::authorize;

struct Filters {
    cid_contains: Option<String>,
    name: Option<String>,
    originalname: Option<String>,
    created_start: Option<DateTime<Utc>>,
    created_end: Option<DateTime<Utc>>,
    size_min: Option<u64>,
    size_max: Option<u64>,
    published: Option<bool>,
    limit: usize,
    offset: usize,
    ascending: bool,
    keyvalues: Vec<KeyValueFilter>,
}

fn parse_filters(raw: Option<&str>) -> Result<Filters, Response> {
    let mut filters = Filters {
        cid_contains: None,
        name: None,
        originalname: None,
        created_start: None,
        created_end: None,
        size_min: None,
        size_max: None,
        published: None,
        limit: 10,
        offset: 0,
        ascending: false,
        keyvalues: Vec::new(),
    };
    let mut kv_json = Vec::new();
    let mut kv_single = Vec::new();
    let time = |name: &str, v: &str| {
        parse_time(v).ok_or_else(|| {
            bad_request(format!(
                "{name} must be a date such as 2024-01-31T00:00:00Z, not {v:?}"
            ))
        })
    };
    let number = |name: &str, v: &str| {
        v.parse::<u64>()
            .map_err(|_| bad_request(format!("{name} must be a non-negative integer, not {v:?}")))
    };
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let value = value.into_owned();
        match name.as_ref() {
            "cidContains" => filters.cid_contains = Some(value),
            "name" | "metadata[name]" => filters.name = Some(value.to_lowercase()),
            "originalname" => filters.originalname = Some(value),
            "createdAtStart" => filters.created_start = Some(time("createdAtStart", &value)?),
            "createdAtEnd" => filters.created_end = Some(time("createdAtEnd", &value)?),
            "pinSizeMin" => filters.size_min = Some(number("pinSizeMin", &value)?),
            "pinSizeMax" => filters.size_max = Some(number("pinSizeMax", &value)?),
            "status" => {
                filters.published = match value.as_str() {
                    "all" => None,
                    "pinned" => Some(true),
                    "unpinned" => Some(false),
                    other => {
                        return Err(bad_request(format!(
                            "status must be all, pinned or unpinned, not {other:?}"
                        )));
                    }
                }
            }
            "limit" => {
                let limit = number("limit", &value)?;
                let limit = check_page_limit(limit).map_err(|_| {
                    bad_request(format!(
                        "limit must be between {MIN_PAGE_LIMIT} and {MAX_PAGE_LIMIT}, not {limit}"
                    ))
                })?;
                filters.limit = limit as usize;
            }
            "offset" => filters.offset = number("offset", &value)? as usize,
            "order" => filters.ascending = value.eq_ignore_ascii_case("ASC"),
            "metadata[keyvalues]" => kv_json.push(value),
            other => {
                if let Some(key) = other
                    .strip_prefix("metadata[keyvalues][")
                    .and_then(|r| r.strip_suffix(']'))
                {
                    kv_single.push((key.to_owned(), value));
                }
            }
        }
    }
    filters.keyvalues = parse_keyvalue_filters(&kv_json, &kv_single).map_err(bad_request)?;
    Ok(filters)
}

/// `GET /content`.
pub(crate) async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, &headers) {
        return refused;
    }
    let f = match parse_filters(raw.as_deref()) {
        Ok(f) => f,
        Err(refused) => return refused,
    };
    let answer = state.read(|data| {
        // Walk the creation-order index of the publication state asked for; without
        // other filters its size is the total and only the page is read.
        let index = &data.submarine.content_index;
        let source = match f.published {
            Some(published) => index.with_published(published),
            None => index.all(),
        };
        let ordered: Box<dyn Iterator<Item = _>> = if f.ascending {
            Box::new(source.iter())
        } else {
            Box::new(source.iter().rev())
        };
        let candidates = ordered
            .filter_map(|(_, id)| data.submarine.content.get(&**id))
            .filter(|r| {
                f.cid_contains
                    .as_ref()
                    .is_none_or(|c| r.cid.contains(c.as_str()))
            })
            .filter(|r| {
                f.name
                    .as_ref()
                    .is_none_or(|n| r.name.to_lowercase().contains(n.as_str()))
            })
            .filter(|r| f.originalname.as_ref().is_none_or(|n| r.originalname == *n))
            .filter(|r| f.created_start.is_none_or(|t| r.created_at >= t))
            .filter(|r| f.created_end.is_none_or(|t| r.created_at <= t))
            .filter(|r| f.size_min.is_none_or(|m| r.size >= m))
            .filter(|r| f.size_max.is_none_or(|m| r.size <= m))
            .filter(|r| {
                let kv = keyvalues(r);
                f.keyvalues.iter().all(|filter| filter.matches(&kv))
            });
        let unfiltered = f.cid_contains.is_none()
            && f.name.is_none()
            && f.originalname.is_none()
            && f.created_start.is_none()
            && f.created_end.is_none()
            && f.size_min.is_none()
            && f.size_max.is_none()
            && f.keyvalues.is_empty();
        let (total, rows): (usize, Vec<&ContentRow>) = if unfiltered {
            (
                source.len(),
                candidates.skip(f.offset).take(f.limit).collect(),
            )
        } else {
            let matching: Vec<&ContentRow> = candidates.collect();
            (
                matching.len(),
                matching.into_iter().skip(f.offset).take(f.limit).collect(),
            )
        };
        wire::ContentListEnvelope {
            total_items: total as i64,
            items: rows.into_iter().map(|r| item(r, false)).collect(),
            status: 200,
        }
    });
    Json(answer).into_response()
}

/// `GET /content/{id}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers) {
        return refused;
    }
    match state.read(|data| data.submarine.content.get(&id).cloned()) {
        Some(row) => envelope(&row),
        None => not_found(&id),
    }
}

/// `GET /content/{id}/list`: the files of a folder item.
pub(crate) async fn list_folder(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, &headers) {
        return refused;
    }
    let mut include_paths = true;
    let mut limit = 10usize;
    let mut offset = 0usize;
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "includePaths" => match flag("includePaths", &value) {
                Ok(v) => include_paths = v,
                Err(refused) => return refused,
            },
            "limit" => match value.parse::<u64>().map(check_page_limit) {
                Ok(Ok(n)) => limit = n as usize,
                _ => {
                    return bad_request(format!(
                        "limit must be between {MIN_PAGE_LIMIT} and {MAX_PAGE_LIMIT}, not {value:?}"
                    ));
                }
            },
            "offset" => match value.parse::<usize>() {
                Ok(n) => offset = n,
                Err(_) => {
                    return bad_request(format!(
                        "offset must be a non-negative integer, not {value:?}"
                    ));
                }
            },
            _ => {}
        }
    }
    let Some(row) = state.read(|data| data.submarine.content.get(&id).cloned()) else {
        return not_found(&id);
    };
    let items: Vec<wire::ContentItem> = row
        .files
        .iter()
        .skip(offset)
        .take(limit)
        .map(|file| {
            let base = file
                .path
                .rsplit('/')
                .next()
                .unwrap_or(&file.path)
                .to_owned();
            wire::ContentItem {
                cid: file.cid.clone(),
                created_at: row.created_at,
                id: file.id.parse().expect("file ids are UUIDs"),
                is_duplicate: None,
                metadata: Map::new(),
                mime_type: content::mime_for(&file.path).map(str::to_owned),
                name: base.clone(),
                originalname: if include_paths {
                    file.path.clone()
                } else {
                    base
                },
                pin_to_ipfs: row.pin_to_ipfs,
                size: file.size as i64,
            }
        })
        .collect();
    Json(wire::ContentListEnvelope {
        total_items: row.files.len() as i64,
        items,
        status: 200,
    })
    .into_response()
}
