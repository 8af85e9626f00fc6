//! Gateway access tokens (gateway keys): once the account's gateway has one, every
//! `/ipfs/` request needs one of them, as the query parameter `pinataGatewayToken` or
//! the header `x-pinata-gateway-token`, even for the account's own content
//! (pinata-v3.md §5.3, PinataCloud/pinata#63). Without a valid one the gateway answers
//! 401 with Pinata's text `This content cannot be requested through the gateway you
//! are using - ERR_ID:00024`.
//!
//! Signed `/files/` links carry their own authorization and do not need a gateway key:
//! `createAccessLink` does not add one (the SDK's `gateways.private.get` does, and it
//! is then part of what is signed). How the real gateway combines the two is
//! UNCERTAIN (pinata-v3.md §15.10).

use aws_lc_rs::constant_time::verify_slices_are_equal;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use url::form_urlencoded;

use crate::service::plain;
use crate::state::Data;
use crate::state::gateway::the_gateway;

/// The query parameter a gateway key travels in.
pub(crate) const TOKEN_PARAM: &str = "pinataGatewayToken";
/// The header a gateway key travels in.
pub(crate) const TOKEN_HEADER: &str = "x-pinata-gateway-token";
/// Pinata's refusal of a request without a valid gateway key.
pub(crate) const REFUSED: &str =
    "This content cannot be requested through the gateway you are using - ERR_ID:00024";

/// The gateway key of a request: the query parameter, else the header.
fn presented(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(name, _)| name == TOKEN_PARAM)
        .map(|(_, value)| value.into_owned())
        .or_else(|| {
            headers
                .get(TOKEN_HEADER)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        })
}

/// Lets the request through when the gateway has no keys or the request carries one
/// of them (compared in constant time); otherwise the 401 text.
pub(crate) fn check(data: &Data, headers: &HeaderMap, query: Option<&str>) -> Result<(), Response> {
    let Some(gateway) = the_gateway(data).filter(|g| !g.access_tokens.is_empty()) else {
        return Ok(());
    };
    let Some(token) = presented(headers, query) else {
        return Err(refused());
    };
    // Every key is compared, so the time taken does not say which one matched.
    let matches = gateway
        .access_tokens
        .iter()
        .filter(|key| verify_slices_are_equal(key.value.as_bytes(), token.as_bytes()).is_ok())
        .count();
    if matches > 0 { Ok(()) } else { Err(refused()) }
}

fn refused() -> Response {
    plain(StatusCode::UNAUTHORIZED, REFUSED)
}
