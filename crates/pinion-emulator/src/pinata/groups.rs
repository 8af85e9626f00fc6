//! Groups on the legacy host: create, list, get, update, delete, add and remove CIDs.
//! Membership is the pin's `group_id` (filterable in `pinList` with `groupId`).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use pinion_api::pinata::types as wire;

use super::Reason;
use super::authorize;
use super::common::{internal, ok_json, parse_json};
use super::pins::{PinRow, set_group};
use crate::service::ok_text;
use crate::state::AppState;
pub(crate) use crate::state::pinata::GroupRow;
use crate::state::pinata::Network;

/// Group `id` when it is one of the legacy API's: the public network's groups (private
/// v3 groups do not exist for it).
fn public_group<'a>(data: &'a crate::state::Data, id: &str) -> Option<&'a GroupRow> {
    data.pinata
        .groups
        .get(id)
        .filter(|group| group.network == Network::Public)
}

fn wire_group(group: &GroupRow, user_id: &str) -> wire::Group {
    wire::Group {
        created_at: group.created_at,
        id: group.id.parse().expect("group ids are UUIDs"),
        name: group.name.clone(),
        updated_at: group.updated_at,
        user_id: user_id.parse().expect("user ids are UUIDs"),
    }
}

fn group_name(body: &[u8]) -> Result<String, Response> {
    let request: wire::GroupRequest = parse_json(body, "{\"name\"} object")?;
    let name = request.name.trim().to_owned();
    if name.is_empty() {
        return Err(Reason::InvalidRequest.error("a group needs a non-empty name"));
    }
    Ok(name)
}

fn no_group(id: &str) -> Response {
    Reason::ObjectNotFound.error(format!("there is no group with id {id}"))
}

/// `POST /groups`.
pub(crate) async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "createGroup") {
        return refused;
    }
    let name = match group_name(&body) {
        Ok(name) => name,
        Err(refused) => return refused,
    };
    let now = state.clock.now();
    let group = GroupRow {
        id: crate::secrets::uuid(),
        name,
        created_at: now,
        updated_at: now,
        network: Network::Public,
        is_public: false,
    };
    match state.write(|tx| tx.put(group.clone())) {
        Ok(()) => ok_json(&wire_group(&group, &state.meta().pinata_user_id)),
        Err(error) => internal(error),
    }
}

/// `GET /groups` (`nameContains`, `offset`, `limit` ≥ 1, default 10; no maximum is
/// documented): a bare array.
pub(crate) async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "listGroups") {
        return refused;
    }
    let mut contains = None;
    let mut offset = 0usize;
    let mut limit = 10usize;
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "nameContains" => contains = Some(value.to_lowercase()),
            "offset" => match value.parse() {
                Ok(n) => offset = n,
                Err(_) => {
                    return Reason::InvalidQuery.error(format!(
                        "offset must be a non-negative integer, not {value:?}"
                    ));
                }
            },
            "limit" => match value.parse::<usize>() {
                Ok(n) if n >= 1 => limit = n,
                _ => {
                    return Reason::InvalidQuery
                        .error(format!("limit must be a positive integer, not {value:?}"));
                }
            },
            _ => {}
        }
    }
    let user_id = state.meta().pinata_user_id;
    let groups = state.read(|data| {
        let mut groups: Vec<&GroupRow> = data
            .pinata
            .groups
            .values()
            .filter(|g| g.network == Network::Public)
            .filter(|g| {
                contains
                    .as_ref()
                    .is_none_or(|c| g.name.to_lowercase().contains(c.as_str()))
            })
            .collect();
        groups.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        wire::GroupList(
            groups
                .into_iter()
                .skip(offset)
                .take(limit)
                .map(|g| wire_group(g, &user_id))
                .collect(),
        )
    });
    ok_json(&groups)
}

/// `GET /groups/{id}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "getGroup") {
        return refused;
    }
    match state.read(|data| public_group(data, &id).cloned()) {
        Some(group) => ok_json(&wire_group(&group, &state.meta().pinata_user_id)),
        None => no_group(&id),
    }
}

/// `PUT /groups/{id}` with `{"name"}`.
pub(crate) async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "updateGroup") {
        return refused;
    }
    let name = match group_name(&body) {
        Ok(name) => name,
        Err(refused) => return refused,
    };
    let now = state.clock.now();
    match state.write(|tx| {
        public_group(tx.data(), &id)?;
        tx.update::<GroupRow>(&id, |group| {
            group.name = name.clone();
            group.updated_at = now;
        })
    }) {
        Ok(Some(group)) => ok_json(&wire_group(&group, &state.meta().pinata_user_id)),
        Ok(None) => no_group(&id),
        Err(error) => internal(error),
    }
}

/// `DELETE /groups/{id}`: the pins stay, outside any group.
pub(crate) async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "deleteGroup") {
        return refused;
    }
    match state.write(|tx| {
        public_group(tx.data(), &id)?;
        tx.delete::<GroupRow>(&id)?;
        let members = crate::state::pinata::group_members(tx.data(), &id);
        for member in members {
            tx.update::<PinRow>(&member, |pin| pin.group_id = None);
        }
        Some(())
    }) {
        Ok(Some(())) => ok_text(),
        Ok(None) => no_group(&id),
        Err(error) => internal(error),
    }
}

async fn change_cids(state: AppState, id: String, body: Bytes, add: bool) -> Response {
    let request: wire::GroupCidsRequest = match parse_json(&body, "{\"cids\": [...]} object") {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    if request.cids.is_empty() {
        return Reason::InvalidRequest.error("cids must list at least one CID");
    }
    match state.write(|tx| {
        let group = public_group(tx.data(), &id).cloned()?;
        if !add {
            // Only this group's members leave it.
            let foreign: Vec<String> = request
                .cids
                .iter()
                .filter(|cid| {
                    super::pins::active_pin(tx.data(), cid)
                        .is_some_and(|pin| pin.group_id.as_deref() != Some(group.id.as_str()))
                })
                .cloned()
                .collect();
            if !foreign.is_empty() {
                return Some(foreign);
            }
        }
        Some(set_group(tx, &request.cids, add.then_some(&group)))
    }) {
        Ok(Some(missing)) if missing.is_empty() => ok_text(),
        Ok(Some(missing)) => Reason::ObjectNotFound.error(format!(
            "these CIDs are not pinned{}: {}",
            if add { "" } else { " in this group" },
            missing.join(", ")
        )),
        Ok(None) => no_group(&id),
        Err(error) => internal(error),
    }
}

/// `PUT /groups/{id}/cids`.
pub(crate) async fn add_cids(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "addCidsToGroup") {
        return refused;
    }
    change_cids(state, id, body, true).await
}

/// `DELETE /groups/{id}/cids`.
pub(crate) async fn remove_cids(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "removeCidsFromGroup") {
        return refused;
    }
    change_cids(state, id, body, false).await
}
