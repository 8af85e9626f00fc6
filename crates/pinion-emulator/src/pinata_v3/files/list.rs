//! `GET /files/{network}` (reference §4.2): filters `name` (case-insensitive
//! substring, as legacy `metadata[name]`; exact or not is UNCERTAIN), `cid`, `group`
//! (`group=null`: no group), `mimeType`, `cidPending=true` (cid `"pending"`), and
//! `keyvalues[k]=v` / `metadata[k]=v` (equality, ANDed with everything else); `order`
//! `ASC`|`DESC` by creation (default DESC), `limit` (default 10, at most 1000), and
//! keyset paging: `next_page_token` is the base64 of the page's last file id, `""` on
//! the last page.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use pinion_api::pinata_v3::types as wire;
use pinion_rules::paging::{MAX_PAGE_LIMIT, check_page_limit};
use serde_json::Value;
use std::sync::Arc;

use super::{any_row, file_of, index};
use crate::pinata_v3::{V3Reason, ok_json, parse_network};
use crate::state::AppState;
use crate::state::pinata::{KeyValueFilter, PinFilter, PinKey, PinStatus};

/// Files per page when `limit` is not given.
const DEFAULT_LIMIT: usize = 10;

/// A parsed list query.
struct ListQuery {
    filter: PinFilter,
    ascending: bool,
    limit: usize,
    page_token: Option<String>,
}

fn parse_query(raw: Option<&str>) -> Result<ListQuery, String> {
    let mut query = ListQuery {
        filter: PinFilter {
            status: PinStatus::Pinned,
            ..PinFilter::default()
        },
        ascending: false,
        limit: DEFAULT_LIMIT,
        page_token: None,
    };
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let value = value.into_owned();
        match name.as_ref() {
            "name" => query.filter.name = Some(value),
            "cid" => query.filter.cid = Some(value),
            "group" if value == "null" => query.filter.no_group = true,
            "group" => query.filter.group_id = Some(value),
            "mimeType" => query.filter.mime_type = Some(value),
            "cidPending" => match value.as_str() {
                "true" => query.filter.cid = Some("pending".into()),
                "false" => {}
                other => return Err(format!("cidPending must be true or false, not {other:?}")),
            },
            "order" => {
                query.ascending = match value.as_str() {
                    "ASC" | "asc" => true,
                    "DESC" | "desc" => false,
                    other => return Err(format!("order must be ASC or DESC, not {other:?}")),
                }
            }
            "limit" => {
                let limit = value
                    .parse::<u64>()
                    .ok()
                    .and_then(|limit| check_page_limit(limit).ok())
                    .ok_or_else(|| {
                        format!(
                            "limit must be an integer from 1 to {MAX_PAGE_LIMIT}, not {value:?}"
                        )
                    })?;
                query.limit = limit as usize;
            }
            "pageToken" if !value.is_empty() => query.page_token = Some(value),
            other => {
                let key = other
                    .strip_prefix("keyvalues[")
                    .or_else(|| other.strip_prefix("metadata["))
                    .and_then(|rest| rest.strip_suffix(']'));
                if let Some(key) = key {
                    query
                        .filter
                        .keyvalues
                        .push(KeyValueFilter::equals(key.to_owned(), Value::String(value)));
                }
                // Other parameters are ignored.
            }
        }
    }
    Ok(query)
}

/// The file id a page token stands for.
fn token_id(token: &str) -> Option<String> {
    String::from_utf8(STANDARD.decode(token).ok()?).ok()
}

/// `GET /files/{network}`.
pub(crate) async fn list(
    State(state): State<AppState>,
    Path(network): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    let query = match parse_query(raw.as_deref()) {
        Ok(query) => query,
        Err(why) => return V3Reason::InvalidRequest.error(why),
    };
    let answer = state.read(|data| {
        let after: Option<PinKey> = match &query.page_token {
            None => None,
            Some(token) => {
                let row = token_id(token).and_then(|id| any_row(data, network, &id));
                match row {
                    Some(row) => Some((row.date_pinned, Arc::from(row.id.as_str()))),
                    None => return Err(format!("pageToken {token:?} is not a token of this list")),
                }
            }
        };
        let page = query.filter.keyset_page(
            index(data, network),
            |id| any_row(data, network, id),
            after,
            query.ascending,
            query.limit,
        );
        let next_page_token = match (page.more, page.rows.last()) {
            (true, Some(last)) => STANDARD.encode(&last.id),
            _ => String::new(),
        };
        Ok(wire::FileListResponse {
            data: wire::FileList {
                files: page.rows.iter().map(|row| file_of(row, network)).collect(),
                next_page_token: Some(next_page_token),
            },
        })
    });
    match answer {
        Ok(answer) => ok_json(&answer),
        Err(why) => V3Reason::InvalidRequest.error(why),
    }
}
