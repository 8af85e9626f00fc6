//! The standard's wire shapes (`PinStatus`, `PinResults`, `Pin`, `Failure`), as the
//! emulator writes and reads them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `Pin`: what a client asks to pin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Pin {
    pub(crate) cid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    #[serde(default)]
    pub(crate) origins: Vec<String>,
    #[serde(default)]
    pub(crate) meta: BTreeMap<String, String>,
}

/// `PinStatus`: a request and where it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct PinStatus {
    pub(crate) requestid: String,
    pub(crate) status: String,
    pub(crate) created: DateTime<Utc>,
    pub(crate) pin: Pin,
    pub(crate) delegates: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) info: BTreeMap<String, String>,
}

/// `PinResults`: a page of a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct PinResults {
    pub(crate) count: u64,
    pub(crate) results: Vec<PinStatus>,
}

/// `Failure`: an error answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Failure {
    pub(crate) error: FailureError,
}

/// `Failure.error`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct FailureError {
    pub(crate) reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) details: Option<String>,
}
