//! Authentication and request execution for the generated clients.
//!
//! progenitor ignores `securitySchemes`, so each generated client gets these hooks: before
//! a request is sent its credentials' headers are set (marked sensitive) and progenitor's
//! `api-version` header, which neither service uses, is dropped; the request is then sent
//! through the context's [`Executor`](crate::Executor) when one is set.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};

use crate::ClientContext;
use crate::auth::{
    ApplyCredentials, PinataCredentials, PsaCredentials, SubmarineCredentials, W3ipfsCredentials,
};

/// The header progenitor adds to every request; the services do not use it.
const API_VERSION: &str = "api-version";

macro_rules! hooks {
    ($client:ty, $credentials:ty) => {
        impl ClientHooks<ClientContext<$credentials>> for $client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                _info: &OperationInfo,
            ) -> Result<(), Error<E>> {
                let headers = request.headers_mut();
                headers.remove(API_VERSION);
                self.inner()
                    .credentials()
                    .apply(headers)
                    .map_err(|error| Error::InvalidRequest(error.to_string()))
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                match self.inner().executor() {
                    Some(executor) => {
                        executor
                            .execute(self.client(), request, info.operation_id)
                            .await
                    }
                    None => self.client().execute(request).await,
                }
            }
        }
    };
}

hooks!(crate::pinata::Client, PinataCredentials);
hooks!(crate::pinata_v3::Client, PinataCredentials);
hooks!(crate::pinata_v3_uploads::Client, PinataCredentials);
hooks!(crate::submarine::Client, SubmarineCredentials);
hooks!(crate::w3ipfs::Client, W3ipfsCredentials);
hooks!(crate::psa::Client, PsaCredentials);
