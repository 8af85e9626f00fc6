//! Signed download links to private files (`POST /files/private/download_link`): a
//! URL on the dedicated gateway that serves the file until it expires. The URL grants
//! access by itself, so it is kept as a secret: [`DownloadLink`]'s `Debug` hides it.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use secrecy::{ExposeSecret, SecretString};

use super::{Client, types};
use crate::Error;
use crate::args::non_empty;

/// The longest validity asked for: 100 years, far beyond any use, well within `i64`.
const MAX_EXPIRY: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// A signed download link. Anyone holding [`url`](Self::url) can read the file until
/// [`expires_at`](Self::expires_at); `Debug` shows neither the URL nor its signature.
#[derive(Clone)]
pub struct DownloadLink {
    url: SecretString,
    cid: String,
    expires_at: SystemTime,
}

impl DownloadLink {
    /// The signed URL (a secret: it grants access to the file).
    pub fn url(&self) -> &SecretString {
        &self.url
    }

    /// The signed URL as text, for handing it to whoever should read the file.
    pub fn expose_url(&self) -> &str {
        self.url.expose_secret()
    }

    /// The CID it serves.
    pub fn cid(&self) -> &str {
        &self.cid
    }

    /// When it stops working (by this machine's clock when it was asked for).
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }
}

impl fmt::Debug for DownloadLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DownloadLink")
            .field("url", &"[redacted]")
            .field("cid", &self.cid)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Whole seconds of `expires`, rounded up, refused when zero or absurd.
pub(super) fn expiry_seconds(expires: Duration) -> Result<i64, Error> {
    if expires.is_zero() {
        return Err(Error::invalid_input(
            "link expiry",
            "is zero, so the link would never work: give a positive duration",
        ));
    }
    if expires > MAX_EXPIRY {
        return Err(Error::invalid_input(
            "link expiry",
            format!("{expires:?} is more than 100 years"),
        ));
    }
    let seconds = expires.as_secs() + u64::from(expires.subsec_nanos() > 0);
    i64::try_from(seconds).map_err(|_| Error::invalid_input("link expiry", "is too long"))
}

impl Client {
    /// A link to the private file `cid` on the client's gateway
    /// ([`gateway_url`](crate::ClientBuilder::gateway_url), or `PINATA_GATEWAY_URL`),
    /// valid for `expires` (rounded up to whole seconds).
    ///
    /// ```no_run
    /// # async fn run(client: pinion::pinata_v3::Client) -> Result<(), pinion::Error> {
    /// use std::time::Duration;
    /// let link = client.download_link("bafy…", Duration::from_secs(3600)).await?;
    /// println!("{link:?}"); // the URL itself is redacted
    /// send_to_reader(link.expose_url());
    /// # Ok(()) }
    /// # fn send_to_reader(_: &str) {}
    /// ```
    pub async fn download_link(&self, cid: &str, expires: Duration) -> Result<DownloadLink, Error> {
        let Some(gateway) = self.gateway_url() else {
            return Err(Error::invalid_input(
                "gateway URL",
                "a download link is a URL on your dedicated gateway: set it with .gateway_url(\"https://<name>.mypinata.cloud\") or PINATA_GATEWAY_URL",
            ));
        };
        let gateway = gateway.to_owned();
        self.download_link_on(&gateway, cid, expires).await
    }

    /// A link to the private file `cid` on `gateway` (`https://<name>.mypinata.cloud`
    /// or a custom domain), valid for `expires`.
    pub async fn download_link_on(
        &self,
        gateway: &str,
        cid: &str,
        expires: Duration,
    ) -> Result<DownloadLink, Error> {
        non_empty("gateway URL", gateway)?;
        let gateway = crate::config::parse_base_url("gateway URL", gateway)?;
        let cid = crate::cid::parse_input(cid)?.to_string();
        let seconds = expiry_seconds(expires)?;
        let now = SystemTime::now();
        let date = now
            .duration_since(UNIX_EPOCH)
            .map_err(|_| Error::invalid_input("clock", "this machine's clock is before 1970"))?
            .as_secs();
        let body = types::DownloadLinkRequest {
            date: i64::try_from(date).unwrap_or(i64::MAX),
            expires: seconds,
            method: "GET".to_owned(),
            url: format!("{gateway}/files/{cid}"),
        };
        let answer = self
            .engine()
            .call(self.api().create_download_link().body(body).send())
            .await?;
        Ok(DownloadLink {
            url: SecretString::from(answer.data),
            cid,
            expires_at: now + Duration::from_secs(seconds.unsigned_abs()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiries_are_whole_positive_seconds() {
        assert_eq!(expiry_seconds(Duration::from_secs(60)).unwrap(), 60);
        assert_eq!(expiry_seconds(Duration::from_millis(1500)).unwrap(), 2);
        assert!(expiry_seconds(Duration::ZERO).is_err());
        assert!(expiry_seconds(Duration::from_secs(u64::MAX)).is_err());
    }

    #[test]
    fn the_url_stays_out_of_debug() {
        let link = DownloadLink {
            url: SecretString::from("https://gw.example/files/bafy?X-Signature=abcdef"),
            cid: "bafy".to_owned(),
            expires_at: UNIX_EPOCH,
        };
        let shown = format!("{link:?}");
        assert!(!shown.contains("X-Signature"), "{shown}");
        assert!(!shown.contains("abcdef"), "{shown}");
        assert!(link.expose_url().contains("abcdef"));
    }
}
