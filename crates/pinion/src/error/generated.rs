//! Converting the errors of the low-level generated clients (`pinion::api`).

use http::StatusCode;

use super::Error;
use super::transport::from_reqwest;
use crate::scopes::Service;

impl Error {
    /// Converts an error of a low-level generated client (`pinion::api`) of `service`.
    ///
    /// The pinion clients do better: they keep the service's error body whatever its
    /// shape, which this conversion cannot read (the body is either gone or still
    /// unread in the response). Use it when calling `pinion::api` directly.
    ///
    /// ```
    /// use pinion::{Error, scopes::Service};
    /// let low: pinion::api::Error<()> = pinion::api::Error::InvalidRequest("bad cid".into());
    /// let error = Error::from_generated(Service::Pinata, low);
    /// assert_eq!(error.to_string(), "invalid request: bad cid");
    /// ```
    pub fn from_generated<E>(service: Service, error: progenitor_client::Error<E>) -> Self {
        let bare = |status: StatusCode| Error::Api {
            service,
            status,
            reason: None,
            details: None,
            message: None,
            body: None,
        };
        match error {
            progenitor_client::Error::InvalidRequest(why)
            | progenitor_client::Error::Custom(why) => Error::invalid_input("request", why),
            progenitor_client::Error::CommunicationError(e)
            | progenitor_client::Error::InvalidUpgrade(e)
            | progenitor_client::Error::ResponseBodyError(e) => {
                from_reqwest(service, e, &crate::config::Timeouts::default())
            }
            progenitor_client::Error::ErrorResponse(value) => match value.status() {
                StatusCode::TOO_MANY_REQUESTS => Error::RateLimited {
                    service,
                    retry_after: crate::retry::retry_after(
                        value.headers(),
                        std::time::SystemTime::now(),
                    ),
                },
                StatusCode::UNAUTHORIZED => Error::Unauthorized {
                    service,
                    message: None,
                },
                StatusCode::FORBIDDEN => Error::Forbidden {
                    service,
                    needed: None,
                    message: None,
                },
                status => bare(status),
            },
            progenitor_client::Error::InvalidResponsePayload(_, e) => Error::Decode {
                service,
                status: StatusCode::OK,
                why: e.to_string(),
            },
            progenitor_client::Error::UnexpectedResponse(response) => bare(response.status()),
        }
    }
}
