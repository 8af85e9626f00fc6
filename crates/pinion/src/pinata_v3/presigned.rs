//! Presigned upload URLs (`POST {uploads}/files/sign`), and uploads to one that need no
//! credentials (the browser or edge case: a server signs, a client without the JWT
//! uploads). The URL grants an upload by itself, so [`SignedUploadUrl`] keeps it as a
//! secret, hidden from `Debug` and from error texts.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;
use secrecy::{ExposeSecret, SecretString};

use super::{Client, Network, UploadedFile};
use crate::Error;
use crate::config::Timeouts;
use crate::executor::Engine;
use crate::rate_limit::RateLimit;
use crate::retry::RetryPolicy;
use crate::scopes::Service;
use crate::upload::{self, Multipart, UploadOptions, UploadSource};
use pinion_rules::cid_version;

/// What a presigned upload URL allows (`POST /files/sign`): the file gets the name,
/// group and key-values set here (an upload's own are ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignedUploadOptions {
    /// The file's name.
    pub name: Option<String>,
    /// The group it goes into.
    pub group_id: Option<String>,
    /// Its key-values.
    pub keyvalues: BTreeMap<String, String>,
    /// The largest upload allowed, in bytes.
    pub max_file_size: Option<u64>,
    /// MIME types allowed (`image/*` wildcards work); none: any file, no directory.
    pub allow_mime_types: Vec<String>,
    /// Allow a directory (the `directory` type, which no wildcard covers).
    pub for_directory: bool,
}

/// A presigned upload URL. Anyone holding it can upload until it expires; `Debug`
/// hides it.
#[derive(Clone)]
pub struct SignedUploadUrl {
    url: SecretString,
}

impl fmt::Debug for SignedUploadUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedUploadUrl")
            .field("url", &"[redacted]")
            .finish()
    }
}

/// Sends no credentials: the signed URL authorizes the upload.
struct NoCredentials;

impl pinion_api::auth::ApplyCredentials for NoCredentials {
    fn apply(&self, _: &mut HeaderMap) -> Result<(), pinion_api::auth::InvalidCredential> {
        Ok(())
    }
}

impl SignedUploadUrl {
    /// A URL received from whoever signed it.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: SecretString::from(url.into()),
        }
    }

    /// The URL as text, for handing it to the uploader.
    pub fn expose_url(&self) -> &str {
        self.url.expose_secret()
    }

    /// The URL, if it is one pinion may send to: `https://`, or `http://` to this
    /// machine. Errors never quote it (it is a secret).
    fn checked_url(&self) -> Result<String, Error> {
        let parsed = url::Url::parse(self.expose_url().trim()).map_err(|_| {
            Error::invalid_input(
                "signed upload URL",
                "is not a URL (its text is not shown: it is a secret)",
            )
        })?;
        match parsed.scheme() {
            "https" => {}
            "http" if crate::insecure::is_loopback(&parsed) => {}
            _ => {
                return Err(Error::invalid_input(
                    "signed upload URL",
                    "must be https:// (or http:// to this machine)",
                ));
            }
        }
        Ok(parsed.to_string())
    }

    /// Uploads `source` to this URL, with no credentials, streamed with the local CID
    /// checked like [`Client::upload`]; retried as a default client would. A directory
    /// needs a URL that allows it ([`SignedUploadOptions::for_directory`]).
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), pinion::Error> {
    /// use pinion::pinata_v3::SignedUploadUrl;
    /// use pinion::upload::{UploadOptions, UploadSource};
    /// let url = SignedUploadUrl::new(std::env::var("SIGNED_URL").unwrap_or_default());
    /// let file = url.upload(UploadSource::File("photo.jpg".into()), UploadOptions::default()).await?;
    /// println!("{}", file.cid);
    /// # Ok(()) }
    /// ```
    pub async fn upload(
        &self,
        source: UploadSource,
        options: UploadOptions,
    ) -> Result<UploadedFile, Error> {
        let url = self.checked_url()?;
        let http = reqwest::Client::builder()
            .redirect(crate::redirect::redirect_policy())
            .connect_timeout(Timeouts::default().connect)
            .build()
            .map_err(|e| Error::invalid_input("HTTP client", e.to_string()))?;
        let engine = Engine::new(
            Service::Pinata,
            RateLimit::unlimited(),
            RetryPolicy::default(),
            Timeouts::default(),
            http::HeaderValue::from_static(crate::DEFAULT_USER_AGENT),
            vec![self.url.clone()],
            crate::operations::Api::PinataV3,
        );
        options.refuse_tus("an upload to a presigned URL")?;
        let prepared = upload::prepare(source, &options).await?;
        let mut multipart = Multipart::new(prepared, "file");
        let version = options.cid_version.unwrap_or(cid_version::V3_DEFAULT);
        multipart.field("cid_version", cid_version::field(version));
        let versions = upload::versions_to_hash(&options, Some(version));
        let (answer, expected): (pinion_api::pinata_v3_uploads::types::UploadResponse, _) =
            upload::send(
                &engine,
                &http,
                &url,
                super::operation("upload_to_signed_url"),
                &multipart,
                &versions,
                &options,
                &NoCredentials,
            )
            .await?;
        let network = match answer.data.network.as_deref() {
            Some("public") => Network::Public,
            _ => Network::Private,
        };
        UploadedFile::checked(answer.data, network, &options, &multipart, expected)
    }
}

impl Client {
    /// A URL that lets anyone upload one file (or, when allowed, a directory) to
    /// `network` for `expires`, with the limits of `options` (`POST {uploads}/files/sign`).
    ///
    /// ```no_run
    /// # async fn run(client: pinion::pinata_v3::Client) -> Result<(), pinion::Error> {
    /// use std::time::Duration;
    /// use pinion::pinata_v3::{Network, SignedUploadOptions};
    /// let url = client
    ///     .create_signed_upload_url(
    ///         Network::Public,
    ///         Duration::from_secs(600),
    ///         SignedUploadOptions {
    ///             max_file_size: Some(10_000_000),
    ///             allow_mime_types: vec!["image/*".to_owned()],
    ///             ..SignedUploadOptions::default()
    ///         },
    ///     )
    ///     .await?;
    /// hand_to_browser(url.expose_url());
    /// # Ok(()) }
    /// # fn hand_to_browser(_: &str) {}
    /// ```
    pub async fn create_signed_upload_url(
        &self,
        network: Network,
        expires: Duration,
        options: SignedUploadOptions,
    ) -> Result<SignedUploadUrl, Error> {
        let expires = super::download_links::expiry_seconds(expires)?;
        let date = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| Error::invalid_input("clock", "this machine's clock is before 1970"))?
            .as_secs();
        if options.for_directory && network == Network::Private {
            return Err(Error::invalid_input(
                "private directory",
                "Pinata's private network takes single files only: sign a public URL for directories",
            ));
        }
        let mut allow = options.allow_mime_types;
        if options.for_directory && !allow.iter().any(|t| t == "directory") {
            allow.push("directory".to_owned());
        }
        let body = pinion_api::pinata_v3_uploads::types::SignUploadRequest {
            allow_mime_types: allow,
            date: i64::try_from(date).unwrap_or(i64::MAX),
            expires,
            filename: options.name,
            group_id: options.group_id,
            keyvalues: options.keyvalues,
            max_file_size: options
                .max_file_size
                .map(|size| crate::args::to_i64("max_file_size", size))
                .transpose()?,
            network: Some(network.to_string()),
            streamable: None,
        };
        let answer = self
            .engine()
            .call(
                self.uploads_api()
                    .create_signed_upload_url()
                    .body(body)
                    .send(),
            )
            .await?;
        Ok(SignedUploadUrl::new(answer.data))
    }
}
