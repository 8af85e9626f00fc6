//! Vector search over private files (reference §3.5), kept small and deterministic:
//! `vectorize` marks a private file `vectorized`, and a query ranks a private group's
//! vectorized files by how many of the query's words their name shares (Jaccard
//! similarity of lowercase words; ties by id), best 20 first. No embeddings: the
//! ranking is the emulator's stand-in, documented in `spec/pinata-v3.sources.md`.

use std::collections::BTreeSet;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use pinion_api::pinata_v3_uploads::types as wire;

use super::files::{find_by_id, index, update_row};
use super::{Network, V3Reason, error::internal, ok_json};
use crate::state::AppState;

/// Most matches a query answers (reference §3.5).
const MAX_MATCHES: usize = 20;

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Jaccard similarity of the words of `a` and `b` (0 when either has none).
fn similarity(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

async fn set_vectorized(state: AppState, file_id: String, vectorized: bool) -> Response {
    let outcome = state.write(|tx| {
        find_by_id(tx.data(), Network::Private, &file_id)?;
        update_row(tx, Network::Private, &file_id, |row| {
            row.vectorized = vectorized
        })
    });
    match outcome {
        Ok(Some(_)) => ok_json(&wire::VectorizeResult {
            status: None,
            success: Some(true),
        }),
        Ok(None) => V3Reason::NotFound.error(format!("no private file with id {file_id}")),
        Err(error) => internal(error),
    }
}

/// `POST /vectorize/files/{file_id}`.
pub(crate) async fn vectorize(
    State(state): State<AppState>,
    Path(file_id): Path<String>,
) -> Response {
    set_vectorized(state, file_id, true).await
}

/// `DELETE /vectorize/files/{file_id}`.
pub(crate) async fn delete(State(state): State<AppState>, Path(file_id): Path<String>) -> Response {
    set_vectorized(state, file_id, false).await
}

/// `POST /vectorize/groups/{group_id}/query` with `{"text"}`.
pub(crate) async fn query(
    State(state): State<AppState>,
    Path(group_id): Path<String>,
    body: Bytes,
) -> Response {
    let request: wire::VectorQueryRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            return V3Reason::InvalidRequest
                .error(format!("the body must be {{\"text\": \"…\"}}: {error}"));
        }
    };
    let wanted = words(&request.text);
    let matches = state.read(|data| {
        let group = data
            .pinata
            .groups
            .get(&group_id)
            .filter(|group| group.network == Network::Private)?;
        let mut scored: Vec<(f64, String, String)> = index(data, Network::Private)
            .group_member_ids(&group.id)
            .iter()
            .filter_map(|id| find_by_id(data, Network::Private, id))
            .filter(|row| row.vectorized)
            .map(|row| {
                let name = words(row.name.as_deref().unwrap_or_default());
                (similarity(&wanted, &name), row.id.clone(), row.cid.clone())
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        scored.truncate(MAX_MATCHES);
        Some(scored)
    });
    match matches {
        Some(scored) => ok_json(&wire::VectorQueryResponse {
            data: wire::VectorMatches {
                count: Some(scored.len() as i64),
                matches: scored
                    .into_iter()
                    .map(|(score, file_id, cid)| wire::VectorMatch {
                        cid,
                        file_id,
                        score: Some(score),
                    })
                    .collect(),
            },
        }),
        None => V3Reason::NotFound.error(format!("no private group with id {group_id}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_is_shared_words_over_all_words() {
        let query = words("March invoices");
        assert_eq!(similarity(&query, &words("invoices-march.pdf")), 2.0 / 3.0);
        assert_eq!(similarity(&query, &words("holiday.jpg")), 0.0);
        assert_eq!(similarity(&words(""), &words("")), 0.0);
    }
}
