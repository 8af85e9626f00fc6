//! Checking what the service pinned against the CID computed locally.

use super::{Multipart, UploadOptions, Uploaded};
use crate::Error;
use crate::cid::Expected;
use crate::scopes::Service;

/// The result of an upload `service` accepted as `pinned`: checked against the local
/// CIDs (`expected`) unless verification is off, with the links the upload left out.
///
/// On a difference the content is pinned all the same, so the error carries `pinned`
/// (CID, size, id) for the caller to find it.
pub(crate) fn finish(
    service: Service,
    options: &UploadOptions,
    multipart: &Multipart,
    expected: Option<Expected>,
    mut pinned: Uploaded,
) -> Result<Uploaded, Error> {
    pinned.skipped_links = multipart.prepared().skipped_links();
    check(service, options, expected, pinned)
}

/// [`finish`] for uploads sent without a [`Multipart`] body (TUS): `pinned` checked
/// against `expected` unless verification is off.
pub(crate) fn check(
    service: Service,
    options: &UploadOptions,
    expected: Option<Expected>,
    mut pinned: Uploaded,
) -> Result<Uploaded, Error> {
    let Some(expected) = expected.filter(|_| options.verify) else {
        return Ok(pinned);
    };
    match expected.verify(service, &pinned.cid) {
        Ok(_) => {
            pinned.verified = true;
            Ok(pinned)
        }
        Err(Error::CidMismatch {
            service, expected, ..
        }) => Err(Error::UploadMismatch {
            service,
            expected,
            pinned: Box::new(pinned),
        }),
        Err(other) => Err(other),
    }
}
