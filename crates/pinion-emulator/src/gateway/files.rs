//! `GET /files/<cid>[/path]` (and `HEAD`): a private v3 file through a download link
//! (`POST /v3/files/private/download_link`), i.e. only with a `PINATA1` signature that
//! is valid for this path and query, untampered and unexpired on the emulator's clock
//! ([`crate::signed_url`]). The signature is checked before anything is looked up, so a
//! request without a valid one learns nothing about which CIDs exist.
//!
//! Statuses, plain text like the rest of the gateway. Pinata's for a missing, bad or
//! expired signature are UNCERTAIN (reference §5.3, §15.10; the SDK treats 401 and 403
//! alike), so the emulator answers as it does for Submarine's access tokens: 401 when
//! there is no signature or it is not valid, 403 when it has expired (or is not valid
//! yet); 400 malformed CID; 404 a CID the account holds neither as a private file nor as
//! a public pin (a signed link to public content is served too, as the image
//! optimisation docs use `/files/` for public CIDs). With the Hot Swaps plugin, the
//! file's swap on its network is followed ([`super::swaps`]).

use axum::extract::{Path, RawQuery, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;

use super::swaps::served_cid;
use super::{Found, cid_and_path, not_pinned, serve_object};
use crate::content;
use crate::pinata_v3::Network;
use crate::pinata_v3::files::find_by_cid;
use crate::service::plain;
use crate::signed_url::{self, Algorithm, SigningKey, VerifyError};
use crate::state::AppState;

pub(super) async fn serve(
    State(state): State<AppState>,
    Path(rest): Path<String>,
    RawQuery(raw): RawQuery,
    method: Method,
    uri: Uri,
) -> Response {
    let (cid, path) = match cid_and_path(&rest) {
        Ok(parts) => parts,
        Err(refused) => return refused,
    };
    let key = SigningKey::derive(state.jwt_secret());
    let checked = signed_url::verify(
        &key,
        Algorithm::Download,
        &method,
        uri.path(),
        raw.as_deref(),
        state.clock.now(),
    );
    if let Err(why) = checked {
        return refused(&why);
    }
    let found = state.read(|data| {
        let network = if find_by_cid(data, Network::Private, cid).is_some() {
            Network::Private
        } else if content::is_public(data, cid) {
            Network::Public
        } else {
            return None;
        };
        served_cid(data, network, cid).and_then(|served| Found::of(data, &served))
    });
    match found {
        Some(found) => serve_object(&state, "files", found, path).await,
        None => not_pinned(cid),
    }
}

fn refused(why: &VerifyError) -> Response {
    match why {
        VerifyError::Unsigned => plain(
            StatusCode::UNAUTHORIZED,
            "this content is private: open it through a download link \
             (POST /v3/files/private/download_link)",
        ),
        VerifyError::Expired | VerifyError::NotYetValid => plain(
            StatusCode::FORBIDDEN,
            &format!("{why}: create a new download link"),
        ),
        _ => plain(
            StatusCode::UNAUTHORIZED,
            &format!("invalid download link: {why}"),
        ),
    }
}
