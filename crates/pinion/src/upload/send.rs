//! Sending an upload: one request per attempt (retried when the body can be produced
//! again), and the local CIDs computed while the body went out.

use std::sync::Mutex;

use super::Multipart;
use super::UploadOptions;
use super::body::BodyRun;
use crate::Error;
use crate::cid::{CidVersion, Expected};
use crate::executor::Activity;

/// Builds a streaming upload request for one attempt.
#[allow(clippy::too_many_arguments)]
fn request(
    http: &reqwest::Client,
    url: &str,
    multipart: &Multipart,
    versions: &[CidVersion],
    activity: Activity,
    options: &UploadOptions,
    attempt: u32,
    credentials: &(dyn pinion_api::auth::ApplyCredentials + Sync),
) -> Result<(reqwest::Request, BodyRun), Error> {
    let (body, run) = multipart.body(versions, activity, options, attempt)?;
    let mut builder = http
        .post(url)
        .header(http::header::CONTENT_TYPE, multipart.content_type())
        .header(http::header::ACCEPT, "application/json");
    if let Some(len) = multipart.len() {
        builder = builder.header(http::header::CONTENT_LENGTH, len);
    }
    let mut request = builder
        .body(reqwest::Body::wrap_stream(body))
        .build()
        .map_err(|e| Error::invalid_input("upload URL", e.to_string()))?;
    credentials
        .apply(request.headers_mut())
        .map_err(|e| Error::invalid_input(e.what, e.to_string()))?;
    Ok((request, run))
}

/// Sends `multipart` to `url` as operation `operation` (retrying when the body can be
/// produced again) and reads the JSON answer, with the local CIDs computed on the way
/// (in `versions`; none when empty).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn send<T: serde::de::DeserializeOwned>(
    engine: &crate::executor::Engine,
    http: &reqwest::Client,
    url: &str,
    operation: crate::operations::Operation,
    multipart: &Multipart,
    versions: &[CidVersion],
    options: &UploadOptions,
    credentials: &(dyn pinion_api::auth::ApplyCredentials + Sync),
) -> Result<(T, Option<Expected>), Error> {
    let run: Mutex<Option<BodyRun>> = Mutex::new(None);
    let response = engine
        .send_built(
            http,
            operation,
            multipart.prepared().resendable(),
            |attempt, activity| {
                let (request, body_run) = request(
                    http,
                    url,
                    multipart,
                    versions,
                    activity,
                    options,
                    attempt,
                    credentials,
                )?;
                *run.lock().unwrap_or_else(|e| e.into_inner()) = Some(body_run);
                Ok(request)
            },
        )
        .await?;
    let answer: T = engine.read_answer(operation, response).await?;
    let expected = if versions.is_empty() {
        None
    } else {
        let run = run.lock().unwrap_or_else(|e| e.into_inner()).take();
        match run {
            Some(run) => Some(run.expected(multipart.prepared())?),
            None => None,
        }
    };
    Ok((answer, expected))
}

/// The versions to hash while sending: the one asked for, or both when the service
/// decides (the returned CID then says which to compare).
pub(crate) fn versions_to_hash(
    options: &UploadOptions,
    service_default: Option<CidVersion>,
) -> Vec<CidVersion> {
    if !options.verify && !options.skip_if_pinned {
        return Vec::new();
    }
    match options.cid_version.or(service_default) {
        Some(version) => vec![version],
        None => vec![CidVersion::V0, CidVersion::V1],
    }
}
