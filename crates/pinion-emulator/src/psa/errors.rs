//! Why a PSA request is refused, answered in each service's shape: Pinata's reason table
//! (shape A, the recorded codes) or W3IPFS's `Failure` ([`PsaReason`]).

use axum::response::Response;

use super::reasons::PsaReason;
use crate::pinata;
use crate::state::psa::PsaService;

/// What was wrong with a request the handler refuses.
#[derive(Debug)]
pub(crate) enum PsaError {
    /// The body is not a `Pin` the service takes.
    Body(String),
    /// A query parameter out of its range or form.
    Query(String),
    /// A CID that does not parse.
    Cid(String),
    /// No live request with that id.
    NotFound(String),
    /// Pinata's pin-by-CID queue is full.
    QueueFull,
    /// The emulator's state failed.
    Internal(crate::EmulatorError),
}

/// The details Pinata sends with `OBJECT_NOT_FOUND` (observed on `/psa`).
const PINATA_NOT_FOUND: &str =
    "Your account does not currently have any record associated with this ID";

impl PsaError {
    /// The answer `service` gives.
    pub(crate) fn answer(self, service: PsaService) -> Response {
        match service {
            PsaService::Pinata => self.pinata(),
            PsaService::W3ipfs => self.w3ipfs(),
        }
    }

    fn pinata(self) -> Response {
        use pinata::Reason;
        match self {
            PsaError::Body(details) => Reason::InvalidRequest.error(details),
            PsaError::Query(details) => Reason::InvalidQuery.error(details),
            PsaError::Cid(details) => Reason::InvalidCid.error(details),
            PsaError::NotFound(_) => Reason::ObjectNotFound.error(PINATA_NOT_FOUND),
            PsaError::QueueFull => Reason::TooManyPinJobs.error(format!(
                "{} pin-by-CID jobs are already queued; wait for some to finish",
                pinata::MAX_QUEUED
            )),
            PsaError::Internal(error) => Reason::InternalServerError.error(error.to_string()),
        }
    }

    fn w3ipfs(self) -> Response {
        match self {
            PsaError::Body(details) | PsaError::Query(details) | PsaError::Cid(details) => {
                PsaReason::BadRequest.error(details)
            }
            PsaError::NotFound(id) => {
                PsaReason::NotFound.error(format!("there is no pin request with id {id:?}"))
            }
            // W3IPFS has no queue limit.
            PsaError::QueueFull => PsaReason::Internal.error("the pin queue is full"),
            PsaError::Internal(error) => PsaReason::Internal.error(error.to_string()),
        }
    }
}

impl From<crate::EmulatorError> for PsaError {
    fn from(error: crate::EmulatorError) -> Self {
        PsaError::Internal(error)
    }
}
