//! `/groups/{network}` (reference §6): one set with the legacy `/groups` (those are the
//! public network's). Create, list (`name` case-insensitive substring, `isPublic`,
//! `limit`, keyset `pageToken` = base64 of the last group id, newest first), get,
//! update (`name`, `is_public`), delete (files stay, outside any group), and add or
//! remove one file of the same network (`/ids/{file_id}`; a file has one group, so
//! adding moves it).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::SecondsFormat;
use pinion_api::pinata_v3::types as wire;
use pinion_rules::paging::{MAX_PAGE_LIMIT, check_page_limit};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::files::{find_by_id, index, update_row};
use super::{Network, V3Reason, error::internal, ok_json, parse_network};
use crate::state::pinata::GroupRow;
use crate::state::{AppState, Data};

/// Groups per page when `limit` is not given.
const DEFAULT_LIMIT: usize = 10;

fn group_of(row: &GroupRow) -> wire::Group {
    wire::Group {
        created_at: Some(row.created_at.to_rfc3339_opts(SecondsFormat::Micros, true)),
        id: row.id.clone(),
        is_public: Some(row.is_public),
        name: Some(row.name.clone()),
    }
}

fn null_data() -> Response {
    ok_json(&wire::NullDataResponse {
        data: Some(Value::Null),
    })
}

fn no_group(network: Network, id: &str) -> Response {
    V3Reason::NotFound.error(format!("no group with id {id} on the {network} network"))
}

fn body<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, Response> {
    serde_json::from_slice(bytes).map_err(|error| {
        V3Reason::InvalidRequest.error(format!("the body must be {what}: {error}"))
    })
}

/// Group `id` when it is on `network`.
fn group_on<'a>(data: &'a Data, network: Network, id: &str) -> Option<&'a GroupRow> {
    data.pinata
        .groups
        .get(id)
        .filter(|group| group.network == network)
}

/// `POST /groups/{network}` with `{"name", "is_public"?}`.
pub(crate) async fn create(
    State(state): State<AppState>,
    Path(network): Path<String>,
    bytes: Bytes,
) -> Response {
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    let request: wire::CreateGroupRequest =
        match body(&bytes, "{\"name\": string, \"is_public\"?: boolean}") {
            Ok(request) => request,
            Err(refused) => return refused,
        };
    if request.name.trim().is_empty() {
        return V3Reason::InvalidRequest.error("name must not be empty");
    }
    let now = state.clock.now();
    let group = GroupRow {
        id: crate::secrets::uuid_v7(now),
        name: request.name,
        created_at: now,
        updated_at: now,
        network,
        is_public: request.is_public.unwrap_or(false),
    };
    match state.write(|tx| tx.put(group.clone())) {
        Ok(()) => ok_json(&wire::GroupResponse {
            data: group_of(&group),
        }),
        Err(error) => internal(error),
    }
}

/// `GET /groups/{network}`.
pub(crate) async fn list(
    State(state): State<AppState>,
    Path(network): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    let mut name: Option<String> = None;
    let mut public_only = false;
    let mut limit = DEFAULT_LIMIT;
    let mut after: Option<String> = None;
    for (key, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match key.as_ref() {
            "name" => name = Some(value.to_lowercase()),
            "isPublic" => match value.as_ref() {
                "true" => public_only = true,
                "false" => public_only = false,
                other => {
                    return V3Reason::InvalidRequest
                        .error(format!("isPublic must be true or false, not {other:?}"));
                }
            },
            "limit" => match value
                .parse::<u64>()
                .ok()
                .and_then(|n| check_page_limit(n).ok())
            {
                Some(n) => limit = n as usize,
                None => {
                    return V3Reason::InvalidRequest.error(format!(
                        "limit must be an integer from 1 to {MAX_PAGE_LIMIT}, not {value:?}"
                    ));
                }
            },
            "pageToken" if !value.is_empty() => {
                match STANDARD
                    .decode(value.as_bytes())
                    .ok()
                    .and_then(|id| String::from_utf8(id).ok())
                {
                    Some(id) => after = Some(id),
                    None => {
                        return V3Reason::InvalidRequest
                            .error(format!("pageToken {value:?} is not a token of this list"));
                    }
                }
            }
            _ => {}
        }
    }
    let page = state.read(|data| {
        let mut groups: Vec<&GroupRow> = data
            .pinata
            .groups
            .values()
            .filter(|g| g.network == network)
            .filter(|g| !public_only || g.is_public)
            .filter(|g| {
                name.as_ref()
                    .is_none_or(|name| g.name.to_lowercase().contains(name.as_str()))
            })
            .collect();
        groups.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        let start = match &after {
            None => 0,
            Some(id) => {
                let Some(last) = group_on(data, network, id) else {
                    return Err(format!(
                        "pageToken does not name a group of this list: {id}"
                    ));
                };
                groups.partition_point(|g| (g.created_at, &g.id) >= (last.created_at, &last.id))
            }
        };
        let rest = &groups[start..];
        let page: Vec<wire::Group> = rest.iter().take(limit).map(|g| group_of(g)).collect();
        let next_page_token = match (rest.len() > limit, page.last()) {
            (true, Some(last)) => STANDARD.encode(&last.id),
            _ => String::new(),
        };
        Ok(wire::GroupListResponse {
            data: wire::GroupList {
                groups: page,
                next_page_token: Some(next_page_token),
            },
        })
    });
    match page {
        Ok(page) => ok_json(&page),
        Err(why) => V3Reason::InvalidRequest.error(why),
    }
}

/// `GET /groups/{network}/{id}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Path((network, id)): Path<(String, String)>,
) -> Response {
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    match state.read(|data| group_on(data, network, &id).map(group_of)) {
        Some(group) => ok_json(&wire::GroupResponse { data: group }),
        None => no_group(network, &id),
    }
}

/// `PUT /groups/{network}/{id}` with `{"name"?, "is_public"?}`.
pub(crate) async fn update(
    State(state): State<AppState>,
    Path((network, id)): Path<(String, String)>,
    bytes: Bytes,
) -> Response {
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    let request: wire::UpdateGroupRequest =
        match body(&bytes, "{\"name\"?: string, \"is_public\"?: boolean}") {
            Ok(request) => request,
            Err(refused) => return refused,
        };
    if request
        .name
        .as_ref()
        .is_some_and(|name| name.trim().is_empty())
    {
        return V3Reason::InvalidRequest.error("name must not be empty");
    }
    let now = state.clock.now();
    let outcome = state.write(|tx| {
        group_on(tx.data(), network, &id)?;
        tx.update::<GroupRow>(&id, |group| {
            if let Some(name) = &request.name {
                group.name = name.clone();
            }
            if let Some(is_public) = request.is_public {
                group.is_public = is_public;
            }
            group.updated_at = now;
        })
    });
    match outcome {
        Ok(Some(group)) => ok_json(&wire::GroupResponse {
            data: group_of(&group),
        }),
        Ok(None) => no_group(network, &id),
        Err(error) => internal(error),
    }
}

/// `DELETE /groups/{network}/{id}`: its files stay, outside any group.
pub(crate) async fn delete(
    State(state): State<AppState>,
    Path((network, id)): Path<(String, String)>,
) -> Response {
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    let outcome = state.write(|tx| {
        group_on(tx.data(), network, &id)?;
        tx.delete::<GroupRow>(&id);
        for member in index(tx.data(), network).group_member_ids(&id) {
            update_row(tx, network, &member, |row| row.group_id = None);
        }
        Some(())
    });
    match outcome {
        Ok(Some(())) => null_data(),
        Ok(None) => no_group(network, &id),
        Err(error) => internal(error),
    }
}

async fn change_member(state: AppState, path: (String, String, String), add: bool) -> Response {
    let (network, id, file_id) = path;
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    let outcome = state.write(|tx| {
        if group_on(tx.data(), network, &id).is_none() {
            return Err(no_group(network, &id));
        }
        let Some(file) = find_by_id(tx.data(), network, &file_id) else {
            return Err(V3Reason::NotFound.error(format!(
                "no file with id {file_id} on the {network} network"
            )));
        };
        if !add && file.group_id.as_deref() != Some(id.as_str()) {
            return Err(V3Reason::NotFound.error(format!("file {file_id} is not in group {id}")));
        }
        let group = add.then(|| id.clone());
        update_row(tx, network, &file_id, |row| row.group_id = group);
        Ok(())
    });
    match outcome {
        Ok(Ok(())) => null_data(),
        Ok(Err(refused)) => refused,
        Err(error) => internal(error),
    }
}

/// `PUT /groups/{network}/{id}/ids/{file_id}` (no body).
pub(crate) async fn add_file(
    State(state): State<AppState>,
    Path(path): Path<(String, String, String)>,
) -> Response {
    change_member(state, path, true).await
}

/// `DELETE /groups/{network}/{id}/ids/{file_id}`.
pub(crate) async fn remove_file(
    State(state): State<AppState>,
    Path(path): Path<(String, String, String)>,
) -> Response {
    change_member(state, path, false).await
}
