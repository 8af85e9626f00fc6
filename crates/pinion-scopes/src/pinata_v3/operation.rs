//! Every Pinata v3 operation: host, method, path template, operationId, what authorizes
//! it (usually a scope) and the capability that stands for it, in one table.

use std::fmt;

use super::ResourceScope;
use crate::{Capability, Requirement};

/// The two v3 API hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum V3Host {
    /// `https://api.pinata.cloud/v3` (`spec/pinata-v3.yaml`).
    Api,
    /// `https://uploads.pinata.cloud/v3` (`spec/pinata-v3-uploads.yaml`).
    Uploads,
}

impl V3Host {
    /// Both hosts, the api host first.
    pub const ALL: [V3Host; 2] = [Self::Api, Self::Uploads];

    /// The host's base URL on the real service; paths of [`V3Operation::path`] follow it.
    pub const fn base_url(self) -> &'static str {
        match self {
            Self::Api => "https://api.pinata.cloud/v3",
            Self::Uploads => "https://uploads.pinata.cloud/v3",
        }
    }
}

/// What the table says about one operation.
struct Route {
    host: V3Host,
    method: &'static str,
    path: &'static str,
    operation_id: &'static str,
    authorization: V3Authorization,
    capability: Option<Capability>,
}

/// What authorizes a call of a v3 operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum V3Authorization {
    /// A key (Bearer JWT) meeting the requirement; admin keys meet every one.
    Key(Requirement<ResourceScope>),
    /// A key meeting the requirement, or the signed upload URL the upload was created
    /// from (TUS requests on an upload location).
    KeyOrSignedUrl(Requirement<ResourceScope>),
    /// The signature in the URL's query; any `Authorization` header is ignored.
    SignedUrl,
    /// Nothing: protocol discovery (`OPTIONS` for TUS).
    Open,
}

impl V3Authorization {
    /// What a key must hold when a key is what authorizes the call; `None` when no key
    /// is involved ([`SignedUrl`](Self::SignedUrl), [`Open`](Self::Open)).
    pub const fn key_requirement(self) -> Option<Requirement<ResourceScope>> {
        match self {
            Self::Key(requirement) | Self::KeyOrSignedUrl(requirement) => Some(requirement),
            Self::SignedUrl | Self::Open => None,
        }
    }
}

/// A key holding `scope` (or an admin key).
const fn needs(scope: ResourceScope) -> V3Authorization {
    V3Authorization::Key(Requirement::Permission(scope))
}

/// Declares [`V3Operation`], its `ALL` list and its table row from one list, so that a
/// variant cannot exist without its host, path, scope and capability.
macro_rules! v3_operations {
    ($(
        $(#[$doc:meta])*
        $variant:ident: $host:ident $method:literal $path:literal $id:literal
            => $authorization:expr, $capability:expr;
    )*) => {
        /// One operation of the Pinata v3 API (both hosts): those `spec/pinata-v3.yaml`
        /// and `spec/pinata-v3-uploads.yaml` list, aliases included, and the gateway
        /// management, plugin and vectorize routes of Pinata's own spec that ours do not
        /// have yet (see `spec/pinata-v3-scopes.sources.md`).
        ///
        /// Uploads to a signed URL are here (with [`V3Authorization::SignedUrl`]); the
        /// gateway's signed download links are not: they are served by the gateway, not
        /// the v3 API.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum V3Operation {
            $($(#[$doc])* $variant,)*
        }

        impl V3Operation {
            /// Every operation, in table order (api host, then uploads host).
            pub const ALL: &'static [V3Operation] = &[$(Self::$variant,)*];

            fn route(self) -> Route {
                match self {
                    $(Self::$variant => Route {
                        host: V3Host::$host,
                        method: $method,
                        path: $path,
                        operation_id: $id,
                        authorization: $authorization,
                        capability: $capability,
                    },)*
                }
            }
        }
    };
}

use Capability as C;
use ResourceScope as S;

v3_operations! {
    // --- files (spec v3, tag Files) ---
    /// `GET /files/{network}`: list files.
    ListFiles: Api "GET" "/files/{network}" "listFiles" => needs(S::FILES_READ), Some(C::ListPins);
    /// `GET /files/{network}/{id}`: one file.
    GetFile: Api "GET" "/files/{network}/{id}" "getFile" => needs(S::FILES_READ), Some(C::ListPins);
    /// `PUT /files/{network}/{id}`: rename, change key-values or expiry.
    UpdateFile: Api "PUT" "/files/{network}/{id}" "updateFile" => needs(S::FILES_WRITE), Some(C::EditMetadata);
    /// `DELETE /files/{network}/{id}`: delete (unpin) a file.
    DeleteFile: Api "DELETE" "/files/{network}/{id}" "deleteFile" => needs(S::FILES_WRITE), Some(C::Unpin);
    /// `POST /files/public/pin_by_cid`: pin content already on IPFS.
    PinByCid: Api "POST" "/files/public/pin_by_cid" "pinByCid" => needs(S::FILES_WRITE), Some(C::PinByCid);
    /// `GET /files/public/pin_by_cid`: the pin-by-CID queue.
    ListPinByCidRequests: Api "GET" "/files/public/pin_by_cid" "listPinByCidRequests" => needs(S::FILES_READ), Some(C::PinJobs);
    /// `DELETE /files/public/pin_by_cid/{id}`: cancel a pin-by-CID request.
    CancelPinByCid: Api "DELETE" "/files/public/pin_by_cid/{id}" "cancelPinByCid" => needs(S::FILES_WRITE), Some(C::PinByCid);
    /// `POST /files/private/download_link`: a signed download link for a private file.
    CreateDownloadLink: Api "POST" "/files/private/download_link" "createDownloadLink" => needs(S::FILES_WRITE), None;
    /// `POST /files/download_link`: the docs samples' alias of [`Self::CreateDownloadLink`].
    CreateDownloadLinkAlias: Api "POST" "/files/download_link" "createDownloadLinkAlias" => needs(S::FILES_WRITE), None;
    /// `POST /files/sign` on the api host: the SDK's `gateways.private.get` alias of
    /// [`Self::CreateDownloadLink`] (body with `url`); scope inferred.
    SignDownloadUrl: Api "POST" "/files/sign" "signDownloadUrl" => needs(S::FILES_WRITE), None;
    // --- hot swaps ---
    /// `PUT /files/{network}/swap/{cid}`: swap a CID for another on swap-enabled gateways.
    AddSwap: Api "PUT" "/files/{network}/swap/{cid}" "addSwap" => needs(S::FILES_WRITE), None;
    /// `GET /files/{network}/swap/{cid}`: a CID's swap history.
    GetSwapHistory: Api "GET" "/files/{network}/swap/{cid}" "getSwapHistory" => needs(S::FILES_READ), None;
    /// `DELETE /files/{network}/swap/{cid}`: remove a swap.
    DeleteSwap: Api "DELETE" "/files/{network}/swap/{cid}" "deleteSwap" => needs(S::FILES_WRITE), None;
    // --- signatures ---
    /// `POST /files/{network}/signature/{cid}`: attach an EIP-712 signature to a CID.
    AddSignature: Api "POST" "/files/{network}/signature/{cid}" "addSignature" => needs(S::FILES_WRITE), None;
    /// `GET /files/{network}/signature/{cid}`: a CID's signature.
    GetSignature: Api "GET" "/files/{network}/signature/{cid}" "getSignature" => needs(S::FILES_READ), None;
    /// `DELETE /files/{network}/signature/{cid}`: remove a signature.
    DeleteSignature: Api "DELETE" "/files/{network}/signature/{cid}" "deleteSignature" => needs(S::FILES_WRITE), None;
    // --- groups ---
    /// `POST /groups/{network}`: create a group.
    CreateGroup: Api "POST" "/groups/{network}" "createGroup" => needs(S::GROUPS_WRITE), None;
    /// `GET /groups/{network}`: list groups.
    ListGroups: Api "GET" "/groups/{network}" "listGroups" => needs(S::GROUPS_READ), None;
    /// `GET /groups/{network}/{id}`: one group.
    GetGroup: Api "GET" "/groups/{network}/{id}" "getGroup" => needs(S::GROUPS_READ), None;
    /// `PUT /groups/{network}/{id}`: rename a group or change `is_public`.
    UpdateGroup: Api "PUT" "/groups/{network}/{id}" "updateGroup" => needs(S::GROUPS_WRITE), None;
    /// `DELETE /groups/{network}/{id}`: delete a group (not its files).
    DeleteGroup: Api "DELETE" "/groups/{network}/{id}" "deleteGroup" => needs(S::GROUPS_WRITE), None;
    /// `PUT /groups/{network}/{id}/ids/{file_id}`: add a file to a group.
    AddFileToGroup: Api "PUT" "/groups/{network}/{id}/ids/{file_id}" "addFileToGroup" => needs(S::GROUPS_WRITE), None;
    /// `DELETE /groups/{network}/{id}/ids/{file_id}`: remove a file from a group.
    RemoveFileFromGroup: Api "DELETE" "/groups/{network}/{id}/ids/{file_id}" "removeFileFromGroup" => needs(S::GROUPS_WRITE), None;
    // --- API keys: the spec's /api_keys and the SDK's /pinata/keys ---
    /// `GET /api_keys`: list keys.
    ListApiKeys: Api "GET" "/api_keys" "listApiKeys" => needs(S::ORG_WRITE), Some(C::Admin);
    /// `POST /api_keys`: create a key.
    CreateApiKey: Api "POST" "/api_keys" "createApiKey" => needs(S::ORG_WRITE), Some(C::Admin);
    /// `DELETE /api_keys/{key}`: revoke a key.
    RevokeApiKey: Api "DELETE" "/api_keys/{key}" "revokeApiKey" => needs(S::ORG_WRITE), Some(C::Admin);
    /// `GET /pinata/keys`: the SDK's route for [`Self::ListApiKeys`].
    ListKeys: Api "GET" "/pinata/keys" "listKeys" => needs(S::ORG_WRITE), Some(C::Admin);
    /// `POST /pinata/keys`: the SDK's route for [`Self::CreateApiKey`].
    CreateKey: Api "POST" "/pinata/keys" "createKey" => needs(S::ORG_WRITE), Some(C::Admin);
    /// `PUT /pinata/keys/{key}`: the SDK's route for [`Self::RevokeApiKey`].
    RevokeKey: Api "PUT" "/pinata/keys/{key}" "revokeKey" => needs(S::ORG_WRITE), Some(C::Admin);
    // --- gateways ---
    /// `GET /gateways`: list dedicated gateways.
    ListGateways: Api "GET" "/gateways" "listGateways" => needs(S::GATEWAYS_READ), None;
    /// `POST /gateways`: create a gateway.
    CreateGateway: Api "POST" "/gateways" "createGateway" => needs(S::GATEWAYS_WRITE), None;
    /// `GET /gateways/{id}`: one gateway.
    GetGateway: Api "GET" "/gateways/{id}" "getGateway" => needs(S::GATEWAYS_READ), None;
    /// `DELETE /gateways/{id}`: delete a gateway.
    DeleteGateway: Api "DELETE" "/gateways/{id}" "deleteGateway" => needs(S::GATEWAYS_WRITE), None;
    /// `GET /gateways/exists/{domain}`: whether a gateway domain is taken.
    GatewayExists: Api "GET" "/gateways/exists/{domain}" "gatewayExists" => needs(S::GATEWAYS_READ), None;
    /// `POST /gateways/{id}/custom_domain`: add a custom domain.
    AddCustomDomain: Api "POST" "/gateways/{id}/custom_domain" "addCustomDomain" => needs(S::GATEWAYS_WRITE), None;
    /// `GET /gateways/{id}/custom_domain/{custom_domain_id}`: one custom domain.
    GetCustomDomain: Api "GET" "/gateways/{id}/custom_domain/{custom_domain_id}" "getCustomDomain" => needs(S::GATEWAYS_READ), None;
    /// `DELETE /gateways/{id}/custom_domain/{custom_domain_id}`: remove a custom domain.
    DeleteCustomDomain: Api "DELETE" "/gateways/{id}/custom_domain/{custom_domain_id}" "deleteCustomDomain" => needs(S::GATEWAYS_WRITE), None;
    /// `POST /gateways/{id}/access_tokens`: create a gateway access token.
    CreateAccessToken: Api "POST" "/gateways/{id}/access_tokens" "createGatewayAccessToken" => needs(S::GATEWAYS_WRITE), None;
    /// `DELETE /gateways/{id}/access_tokens/{access_token_id}`: delete a gateway access token.
    DeleteAccessToken: Api "DELETE" "/gateways/{id}/access_tokens/{access_token_id}" "deleteGatewayAccessToken" => needs(S::GATEWAYS_WRITE), None;
    /// `POST /gateways/{id}/ips`: allow an IP address.
    AddAllowedIp: Api "POST" "/gateways/{id}/ips" "addGatewayIp" => needs(S::GATEWAYS_WRITE), None;
    /// `DELETE /gateways/{id}/ips/{ip_id}`: remove an allowed IP address.
    DeleteAllowedIp: Api "DELETE" "/gateways/{id}/ips/{ip_id}" "deleteGatewayIp" => needs(S::GATEWAYS_WRITE), None;
    /// `POST /gateways/{id}/hosts`: allow a host origin.
    AddAllowedHost: Api "POST" "/gateways/{id}/hosts" "addGatewayHost" => needs(S::GATEWAYS_WRITE), None;
    /// `DELETE /gateways/{id}/hosts/{host_id}`: remove an allowed host origin.
    DeleteAllowedHost: Api "DELETE" "/gateways/{id}/hosts/{host_id}" "deleteGatewayHost" => needs(S::GATEWAYS_WRITE), None;
    /// `GET /gateways/plugins/marketplace`: the plugin marketplace.
    ListMarketplacePlugins: Api "GET" "/gateways/plugins/marketplace" "listMarketplacePlugins" => needs(S::GATEWAYS_READ), None;
    /// `GET /gateways/plugins/marketplace/{id}`: one marketplace plugin.
    GetMarketplacePlugin: Api "GET" "/gateways/plugins/marketplace/{id}" "getMarketplacePlugin" => needs(S::GATEWAYS_READ), None;
    /// `GET /gateways/plugins`: plugins installed on the account's gateways.
    ListInstalledPlugins: Api "GET" "/gateways/plugins" "listInstalledPlugins" => needs(S::GATEWAYS_READ), None;
    /// `POST /gateways/plugins/{gateway_id}`: install a plugin on a gateway.
    InstallPlugin: Api "POST" "/gateways/plugins/{gateway_id}" "installGatewayPlugin" => needs(S::GATEWAYS_WRITE), None;
    /// `GET /gateways/plugins/{gateway_id}`: a gateway's plugins.
    ListGatewayPlugins: Api "GET" "/gateways/plugins/{gateway_id}" "listGatewayPlugins" => needs(S::GATEWAYS_READ), None;
    /// `DELETE /gateways/plugins/{gateway_id}/plugin/{plugin_id}`: remove a plugin.
    RemovePlugin: Api "DELETE" "/gateways/plugins/{gateway_id}/plugin/{plugin_id}" "removeGatewayPlugin" => needs(S::GATEWAYS_WRITE), None;
    /// `GET /ipfs/gateway_plugins/{gateway_id}`: the older route for a gateway's plugins.
    ListGatewayPluginsLegacy: Api "GET" "/ipfs/gateway_plugins/{gateway_id}" "listGatewayPluginsLegacy" => needs(S::GATEWAYS_READ), None;
    /// `GET /ipfs/gateways`: the CLI's older route for [`Self::ListGateways`].
    ListGatewaysLegacy: Api "GET" "/ipfs/gateways" "listGatewaysLegacy" => needs(S::GATEWAYS_READ), None;
    // --- analytics: the spec's routes and the SDK's older ones ---
    /// `GET /analytics/gateways/top`: top requests or bandwidth by a dimension.
    AnalyticsTop: Api "GET" "/analytics/gateways/top" "getAnalyticsTop" => needs(S::ANALYTICS_READ), None;
    /// `GET /analytics/gateways/time_series`: requests and bandwidth over time.
    AnalyticsTimeSeries: Api "GET" "/analytics/gateways/time_series" "getAnalyticsTimeSeries" => needs(S::ANALYTICS_READ), None;
    /// `GET /ipfs/gateway_analytics_top`: the SDK's route for [`Self::AnalyticsTop`].
    AnalyticsTopLegacy: Api "GET" "/ipfs/gateway_analytics_top" "getGatewayAnalyticsTop" => needs(S::ANALYTICS_READ), None;
    /// `GET /ipfs/gateway_analytics_time_series`: the SDK's route for [`Self::AnalyticsTimeSeries`].
    AnalyticsTimeSeriesLegacy: Api "GET" "/ipfs/gateway_analytics_time_series" "getGatewayAnalyticsTimeSeries" => needs(S::ANALYTICS_READ), None;
    // --- uploads host ---
    /// `POST /files` on the uploads host: multipart upload, or TUS creation.
    UploadFile: Uploads "POST" "/files" "uploadFile" => needs(S::FILES_WRITE), Some(C::PinFile);
    /// `OPTIONS /files` on the uploads host: TUS discovery.
    TusOptions: Uploads "OPTIONS" "/files" "tusOptions" => V3Authorization::Open, None;
    /// `HEAD` on a TUS upload location: the upload's offset.
    TusUploadOffset: Uploads "HEAD" "/files/{file_id}/{upload_id}" "tusUploadOffset" => V3Authorization::KeyOrSignedUrl(Requirement::Permission(S::FILES_WRITE)), Some(C::PinFile);
    /// `PATCH` on a TUS upload location: one chunk.
    TusUploadChunk: Uploads "PATCH" "/files/{file_id}/{upload_id}" "tusUploadChunk" => V3Authorization::KeyOrSignedUrl(Requirement::Permission(S::FILES_WRITE)), Some(C::PinFile);
    /// `POST /files/sign` on the uploads host: a presigned upload URL.
    CreateSignedUploadUrl: Uploads "POST" "/files/sign" "createSignedUploadUrl" => needs(S::FILES_WRITE), Some(C::PinFile);
    /// `POST /files/{sign_id}` on the uploads host: upload (multipart, or TUS creation)
    /// to a presigned URL, authorized by its signature.
    UploadToSignedUrl: Uploads "POST" "/files/{sign_id}" "uploadToSignedUrl" => V3Authorization::SignedUrl, None;
    /// `POST /vectorize/files/{file_id}`: vectorize a private file.
    VectorizeFile: Uploads "POST" "/vectorize/files/{file_id}" "vectorizeFile" => needs(S::ORG_WRITE), None;
    /// `DELETE /vectorize/files/{file_id}`: delete a file's vectors.
    DeleteFileVectors: Uploads "DELETE" "/vectorize/files/{file_id}" "deleteFileVectors" => needs(S::ORG_WRITE), None;
    /// `POST /vectorize/groups/{group_id}/query`: query a group's vectors.
    QueryVectors: Uploads "POST" "/vectorize/groups/{group_id}/query" "queryVectors" => needs(S::ORG_WRITE), None;
}

impl V3Operation {
    /// The host that serves the operation.
    pub fn host(self) -> V3Host {
        self.route().host
    }

    /// The HTTP method, upper case.
    pub fn method(self) -> &'static str {
        self.route().method
    }

    /// The path template after the host's `/v3` base, e.g. `/files/{network}/{id}`.
    pub fn path(self) -> &'static str {
        self.route().path
    }

    /// The operationId in the v3 specs.
    pub fn operation_id(self) -> &'static str {
        self.route().operation_id
    }

    /// What authorizes a call of the operation.
    pub fn authorization(self) -> V3Authorization {
        self.route().authorization
    }

    /// What a key needs to call the operation (admin keys may call every one), or `None`
    /// when a key is not what authorizes it (signed upload URLs, TUS discovery).
    pub fn requirement(self) -> Option<Requirement<ResourceScope>> {
        self.authorization().key_requirement()
    }

    /// The service-neutral capability that stands for the operation, or `None` when the
    /// operation is outside the capability vocabulary (groups, gateways, analytics, swaps,
    /// signatures, download links, vectors). Key management is [`Capability::Admin`].
    pub fn capability(self) -> Option<Capability> {
        self.route().capability
    }

    /// The operation with this operationId.
    pub fn from_operation_id(operation_id: &str) -> Option<V3Operation> {
        Self::ALL
            .iter()
            .copied()
            .find(|operation| operation.operation_id() == operation_id)
    }
}

impl fmt::Display for V3Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.operation_id())
    }
}
