//! v3 API keys (`/api_keys`): create with typed `resources` scopes (or admin), list
//! (a [`Stream`], by offset), revoke. A new key's secret and JWT come back in a
//! [`PinataKey`], whose `Debug` hides them; listings never carry secrets.

use std::num::NonZeroU64;

use futures::Stream;

use super::{Client, types};
use crate::Error;
use crate::args::{non_empty, to_i64};
use crate::keys::PinataKey;
use crate::listing::Listing;
use crate::paginate::paginate;
use crate::scopes::pinata::PinataPermissions;
use crate::scopes::pinata_v3::ReportedScope;

/// One key of a listing, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiKeyInfo {
    /// The public key (`pinata_api_key`), which names it when revoking.
    pub key: String,
    /// Its name.
    pub name: Option<String>,
    /// Whether it is revoked.
    pub revoked: bool,
    /// Whether it is an admin key.
    pub admin: bool,
    /// Its `resources` scopes, as the service reports them.
    pub resources: Vec<ReportedScope>,
    /// How many requests it may make (`None`: unlimited).
    pub max_uses: Option<i64>,
    /// How many it made.
    pub uses: Option<i64>,
}

impl From<types::Key> for ApiKeyInfo {
    fn from(key: types::Key) -> Self {
        let scopes = key.scopes.unwrap_or_default();
        Self {
            key: key.key,
            name: key.name,
            revoked: key.revoked.unwrap_or(false),
            admin: scopes.admin.unwrap_or(false),
            resources: scopes
                .resources
                .iter()
                .map(|scope| ReportedScope::from(scope.as_str()))
                .collect(),
            max_uses: key.max_uses,
            uses: key.uses,
        }
    }
}

/// The body's permissions: admin, `resources`, and legacy `endpoints` flags when the
/// permissions have them (the `usage` capability exists only there).
fn wire_permissions(permissions: &PinataPermissions) -> Result<types::KeyPermissions, Error> {
    let endpoints = match permissions.endpoint_flags() {
        None => serde_json::Map::new(),
        Some(flags) => match serde_json::to_value(flags) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => {
                return Err(Error::invalid_input(
                    "key permissions",
                    "the legacy endpoint flags could not be written",
                ));
            }
        },
    };
    Ok(types::KeyPermissions {
        admin: permissions.is_admin().then_some(true),
        endpoints,
        resources: permissions
            .resources()
            .iter()
            .map(|scope| scope.name().to_owned())
            .collect(),
    })
}

impl Client {
    /// Creates a key (`POST /api_keys`) with `permissions`, typically
    /// [`PinataPermissions::from_resources`] or
    /// [`PinataPermissions::for_capabilities_v3`] (each capability mapped onto the
    /// least scope that allows it). Sent once: a second send would make a second key.
    ///
    /// ```no_run
    /// # async fn run(client: pinion::pinata_v3::Client) -> Result<(), pinion::Error> {
    /// use pinion::scopes::pinata::PinataPermissions;
    /// use pinion::scopes::pinata_v3::ResourceScope;
    /// let permissions = PinataPermissions::from_resources([ResourceScope::FILES_WRITE])?;
    /// let key = client.create_api_key("ci", &permissions, None).await?;
    /// println!("{}", key.api_key()); // the JWT stays out of Debug and logs
    /// # Ok(()) }
    /// ```
    pub async fn create_api_key(
        &self,
        name: &str,
        permissions: &PinataPermissions,
        max_uses: Option<NonZeroU64>,
    ) -> Result<PinataKey, Error> {
        non_empty("key name", name)?;
        let body = types::CreateKeyRequest {
            key_name: name.to_owned(),
            max_uses,
            permissions: wire_permissions(permissions)?,
        };
        let created = self
            .engine()
            .call(self.api().create_api_key().body(body).send())
            .await?;
        Ok(PinataKey::new(
            created.pinata_api_key,
            created.pinata_api_secret,
            created.jwt,
        ))
    }

    /// One page of keys (`GET /api_keys`) from `offset`, newest first; `revoked`
    /// filters on revocation when set.
    pub async fn api_keys_page(
        &self,
        offset: u64,
        revoked: Option<bool>,
    ) -> Result<Listing<ApiKeyInfo>, Error> {
        let mut request = self.api().list_api_keys().offset(to_i64("offset", offset)?);
        if let Some(revoked) = revoked {
            request = request.revoked(revoked);
        }
        let answer = self.engine().call(request.send()).await?;
        let total = answer.count.and_then(|count| u64::try_from(count).ok());
        let rows = answer.keys.into_iter().map(ApiKeyInfo::from).collect();
        Ok(Listing::of(rows, total))
    }

    /// Every key, page after page.
    pub fn api_keys(
        &self,
        revoked: Option<bool>,
    ) -> impl Stream<Item = Result<ApiKeyInfo, Error>> + Send + '_ {
        paginate(0, None, move |offset| self.api_keys_page(offset, revoked))
    }

    /// Revokes a key by its public key (`DELETE /api_keys/{key}`).
    pub async fn revoke_api_key(&self, key: &str) -> Result<(), Error> {
        non_empty("key", key)?;
        self.engine()
            .call(self.api().revoke_api_key().key(key.trim()).send())
            .await
            .map(drop)
    }
}
