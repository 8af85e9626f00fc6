//! API keys: create (admin scope or the session JWT), list with masked secrets, delete
//! (never the `Default` key), and `testAuthentication`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use pinion_api::w3ipfs::types as wire;
use pinion_scopes::w3ipfs::W3ipfsScopes;
use serde::Deserialize;

use super::common::{answer, bad_request, internal, not_found, parse_list_query};
use super::{DEFAULT_KEY_NAME, W3ipfsKey, authorize, create_key};
use crate::state::AppState;

/// Most keys one user may have.
pub(crate) const MAX_KEYS: usize = 50;

#[derive(Deserialize)]
struct CreateBody {
    name: Option<String>,
    scopes: Option<serde_json::Value>,
}

/// `POST /apiKeys/`.
pub(crate) async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "createApiKey") {
        return refused;
    }
    let body: CreateBody = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(error) => {
            return bad_request(format!(
                "the body must be {{\"name\", \"scopes\"}}: {error}"
            ));
        }
    };
    let Some(name) = body
        .name
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
    else {
        return bad_request("name is required");
    };
    if name == DEFAULT_KEY_NAME {
        return bad_request("Cannot create an API key with the name 'Default'");
    }
    let Some(scopes) = body.scopes else {
        return bad_request(
            "scopes is required: {\"admin\": true} or every data, pinning and pin_nft scope",
        );
    };
    let scopes: W3ipfsScopes = match serde_json::from_value(scopes) {
        Ok(scopes) => scopes,
        Err(error) => return bad_request(format!("invalid scopes: {error}")),
    };
    let created = state.write(|tx| {
        if tx.data().w3ipfs.keys.len() >= MAX_KEYS {
            return None;
        }
        Some(create_key(&state, tx, &name, scopes))
    });
    match created {
        Ok(Some(key)) => answer(
            StatusCode::OK,
            &wire::CreateApiKeyResponse {
                data: wire::CreatedApiKey {
                    api_key: key.api_key,
                    name: key.name,
                    secret_key: key.secret_key,
                },
                status: "success".into(),
            },
        ),
        Ok(None) => bad_request(
            "Maximum number of API keys exceeded. Please delete some keys before creating a new one.",
        ),
        Err(error) => internal(error),
    }
}

/// `4t40...CXQ=`: the first and last four characters.
fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() <= 8 {
        return "...".into();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}...{tail}")
}

fn listed(key: &W3ipfsKey) -> wire::ApiKey {
    wire::ApiKey {
        api_key: key.api_key.clone(),
        created_at: key.created_at,
        id: key.id.parse().expect("key ids are UUIDs"),
        name: key.name.clone(),
        scopes: serde_json::to_value(&key.scopes)
            .and_then(serde_json::from_value)
            .expect("stored scopes match the spec's Scopes"),
        secret_key: mask(&key.secret_key),
    }
}

/// `GET /apiKeys/list`.
pub(crate) async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "listApiKeys") {
        return refused;
    }
    let query = match parse_list_query(raw.as_deref()) {
        Ok(query) => query,
        Err(refused) => return refused,
    };
    let data = state.read(|data| {
        let mut keys: Vec<&W3ipfsKey> = data.w3ipfs.keys.values().collect();
        keys.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        wire::ApiKeyListResponseData {
            total: keys.len() as i64,
            api_keys: Some(
                keys.into_iter()
                    .skip(query.offset)
                    .take(query.limit)
                    .map(listed)
                    .collect(),
            ),
        }
    });
    answer(
        StatusCode::OK,
        &wire::ApiKeyListResponse {
            data,
            status: "success".into(),
        },
    )
}

/// `DELETE /apiKeys/{id}`: the key stops working at once.
pub(crate) async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "deleteApiKey") {
        return refused;
    }
    let result = state.write(|tx| {
        let key = tx.data().w3ipfs.keys.get(&id).cloned()?;
        if key.name == DEFAULT_KEY_NAME {
            return Some(false);
        }
        tx.delete::<W3ipfsKey>(&id);
        Some(true)
    });
    match result {
        Ok(Some(true)) => answer(
            StatusCode::OK,
            &wire::MessageResponse {
                message: Some("API key has been deleted".into()),
                status: "success".into(),
            },
        ),
        Ok(Some(false)) => bad_request("Cannot delete the default API key"),
        Ok(None) => not_found(),
        Err(error) => internal(error),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_like_the_service() {
        assert_eq!(super::mask("4t40abcdefghCXQ="), "4t40...CXQ=");
        assert_eq!(super::mask("short"), "...");
    }
}
