//! Request cuts ([`Faults::cut_request_rate`], [`Faults::cut_requests`]): the
//! connection of a request with a large body dies while the client is still sending
//! it, the way a network cut mid-upload looks to a client (a reset, never an answer).
//!
//! Connections of the plain HTTP port are accepted through a [`CuttableListener`]:
//! each one carries a [`CutSwitch`], handed to its requests as
//! `ConnectInfo<CutSwitch>`. The edge ([`arm`]) picks the requests to cut and wraps
//! their body in a [`CutBody`], which passes the body through up to a random point,
//! then throws the switch (the connection's reads and writes fail at once and the
//! socket is reset) and ends the body with an error: the route sees the body fail as
//! when a client goes away, so a TUS upload keeps what arrived before the cut.
//!
//! Requests that came through the TLS front are never cut.
//!
//! [`Faults::cut_request_rate`]: crate::Faults::cut_request_rate
//! [`Faults::cut_requests`]: crate::Faults::cut_requests

mod body;
mod connection;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::header;
use rand::RngExt;

pub(crate) use body::CutBody;
pub(crate) use connection::{CutSwitch, CuttableListener};

use crate::Faults;
use crate::state::AppState;

/// How a request picked by the edge is to be cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Cut, drawn by `cut_request_rate`.
    Drawn,
    /// Cut if one of the `cut_requests` is still pending when the body reaches the
    /// cut point (taken then, so that requests refused before their body is read do
    /// not use one up).
    Counted,
}

/// Gives `request` a body that cuts its connection after a random part, when the
/// faults ask for it, the body is declared at least [`Faults::MIN_CUT_BODY`] bytes long
/// and its connection can be cut. `draw` is uniform in `0..1`.
pub(crate) fn arm(state: &AppState, faults: &Faults, draw: f64, request: Request) -> Request {
    let plan = if draw < faults.cut_request_rate {
        Plan::Drawn
    } else if faults.cut_requests > 0 {
        Plan::Counted
    } else {
        return request;
    };
    let Some(length) = declared_length(&request).filter(|length| *length >= Faults::MIN_CUT_BODY)
    else {
        return request;
    };
    let Some(ConnectInfo(switch)) = request
        .extensions()
        .get::<ConnectInfo<CutSwitch>>()
        .cloned()
    else {
        return request;
    };
    let after = rand::rng().random_range(0..length);
    request.map(|body| Body::new(CutBody::new(body, after, plan, switch, state.clone())))
}

fn declared_length(request: &Request) -> Option<u64> {
    request
        .headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}
