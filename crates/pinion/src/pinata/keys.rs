//! Pinata API keys: creation (legacy and v3 routes), listings and revocation.

use std::num::NonZeroU64;

use futures::Stream;

use super::{Client, types};
use crate::Error;
use crate::args::{non_empty, to_i64};
use crate::keys::PinataKey;
use crate::listing::{self, Listing, Shape};
use crate::paginate::paginate;
use crate::scopes::pinata::PinataPermissions;

/// Where the rows and count of both key listings are.
const KEYS: Shape = Shape {
    what: "API key",
    rows: "/keys",
    total: Some("/count"),
};

/// Filters of [`Client::keys_v3`] (`GET /v3/pinata/keys`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyFilter {
    /// Only revoked keys.
    pub revoked: Option<bool>,
    /// Only keys with a use limit.
    pub limited_use: Option<bool>,
    /// Only keys that used up their limit.
    pub exhausted: Option<bool>,
    /// Name matches (case-insensitive).
    pub name: Option<String>,
}

fn key_request(
    name: &str,
    permissions: &PinataPermissions,
    max_uses: Option<u64>,
) -> Result<types::GenerateApiKeyRequest, Error> {
    non_empty("key name", name)?;
    let max_uses = match max_uses {
        None => None,
        Some(0) => {
            return Err(Error::invalid_input(
                "maxUses",
                "must be at least 1 (leave it unset for unlimited uses)",
            ));
        }
        Some(n) => NonZeroU64::new(n),
    };
    let permissions = serde_json::to_value(permissions)
        .and_then(serde_json::from_value)
        .map_err(|e| Error::invalid_input("permissions", e.to_string()))?;
    Ok(types::GenerateApiKeyRequest {
        key_name: name.to_owned(),
        permissions,
        max_uses,
    })
}

fn key_listing(page: types::ApiKeyList) -> (Vec<types::ApiKey>, Option<u64>) {
    (page.keys, u64::try_from(page.count).ok())
}

impl Client {
    /// Creates an API key (`POST /users/generateApiKey`; admin keys only). Its secret
    /// and JWT are in the answer only.
    pub async fn generate_api_key(
        &self,
        name: &str,
        permissions: PinataPermissions,
        max_uses: Option<u64>,
    ) -> Result<PinataKey, Error> {
        let body = key_request(name, &permissions, max_uses)?;
        let key = self
            .engine()
            .call(self.api().generate_api_key().body(body).send())
            .await?;
        Ok(PinataKey::from(key))
    }

    /// Creates an API key through the v3 route (`POST /v3/pinata/keys`; JWT only).
    pub async fn create_key_v3(
        &self,
        name: &str,
        permissions: PinataPermissions,
        max_uses: Option<u64>,
    ) -> Result<PinataKey, Error> {
        let body = key_request(name, &permissions, max_uses)?;
        let key = self
            .engine()
            .call(self.api().create_key_v3().body(body).send())
            .await?;
        Ok(PinataKey::from(key))
    }

    /// One page (10 keys) of API keys (`GET /users/apiKeys`).
    pub async fn api_keys_page(&self, offset: u64) -> Result<Listing<types::ApiKey>, Error> {
        let request = self.api().list_api_keys().offset(to_i64("offset", offset)?);
        let answer = listing::fetch(self.engine(), request.send()).await?;
        KEYS.listing(self.engine(), answer, key_listing)
    }

    /// Every API key, page by page.
    pub fn api_keys(&self) -> impl Stream<Item = Result<types::ApiKey, Error>> + Send + '_ {
        paginate(0, None, move |offset| self.api_keys_page(offset))
    }

    /// One page of API keys through the v3 route (`GET /v3/pinata/keys`).
    pub async fn keys_v3_page(
        &self,
        filter: &KeyFilter,
        offset: u64,
    ) -> Result<Listing<types::ApiKey>, Error> {
        let mut request = self.api().list_keys_v3().offset(to_i64("offset", offset)?);
        if let Some(v) = filter.revoked {
            request = request.revoked(v);
        }
        if let Some(v) = filter.limited_use {
            request = request.limited_use(v);
        }
        if let Some(v) = filter.exhausted {
            request = request.exhausted(v);
        }
        if let Some(name) = &filter.name {
            request = request.name(name.clone());
        }
        let answer = listing::fetch(self.engine(), request.send()).await?;
        KEYS.listing(self.engine(), answer, key_listing)
    }

    /// Every API key matching `filter` (v3 route), page by page.
    pub fn keys_v3(
        &self,
        filter: KeyFilter,
    ) -> impl Stream<Item = Result<types::ApiKey, Error>> + Send + '_ {
        paginate(0, None, move |offset| {
            let filter = filter.clone();
            async move { self.keys_v3_page(&filter, offset).await }
        })
    }

    /// Revokes a key by its public key (`PUT /users/revokeApiKey`).
    pub async fn revoke_api_key(&self, api_key: &str) -> Result<(), Error> {
        non_empty("API key", api_key)?;
        let body = types::RevokeApiKeyRequest {
            api_key: api_key.to_owned(),
        };
        self.engine()
            .call(self.api().revoke_api_key().body(body).send())
            .await?;
        Ok(())
    }

    /// Revokes a key by its public key through the v3 route (`PUT /v3/pinata/keys/{key}`).
    pub async fn revoke_key_v3(&self, api_key: &str) -> Result<(), Error> {
        non_empty("API key", api_key)?;
        self.engine()
            .call(self.api().revoke_key_v3().key(api_key.to_owned()).send())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_requests_are_checked_before_any_request() {
        assert!(key_request("", &PinataPermissions::admin(), None).is_err());
        let error = key_request("k", &PinataPermissions::admin(), Some(0)).unwrap_err();
        assert!(error.to_string().contains("maxUses"));
        let body = key_request("k", &PinataPermissions::admin(), Some(3)).unwrap();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"keyName": "k", "permissions": {"admin": true}, "maxUses": 3})
        );
    }
}
