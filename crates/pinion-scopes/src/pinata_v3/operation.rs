//! Every Pinata v3 operation a key can call: host, method, path template, operationId,
//! the scope it needs and the capability that stands for it, in one table.

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
    requirement: Requirement<ResourceScope>,
    capability: Option<Capability>,
}

/// Declares [`V3Operation`], its `ALL` list and its table row from one list, so that a
/// variant cannot exist without its host, path, scope and capability.
macro_rules! v3_operations {
    ($(
        $(#[$doc:meta])*
        $variant:ident: $host:ident $method:literal $path:literal $id:literal
            => $requirement:expr, $capability:expr;
    )*) => {
        /// One operation of the Pinata v3 API (both hosts), as `spec/pinata-v3.yaml` and
        /// `spec/pinata-v3-uploads.yaml` list them, aliases included.
        ///
        /// Signed upload URLs, TUS upload locations and signed download links carry their
        /// own authorization and are not key operations, so they are not here.
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
                        requirement: $requirement,
                        capability: $capability,
                    },)*
                }
            }
        }
    };
}

use Capability as C;
use Requirement::Permission as Needs;
use ResourceScope as S;

v3_operations! {
    // --- files (spec v3, tag Files) ---
    /// `GET /files/{network}`: list files.
    ListFiles: Api "GET" "/files/{network}" "listFiles" => Needs(S::FILES_READ), Some(C::ListPins);
    /// `GET /files/{network}/{id}`: one file.
    GetFile: Api "GET" "/files/{network}/{id}" "getFile" => Needs(S::FILES_READ), Some(C::ListPins);
    /// `PUT /files/{network}/{id}`: rename, change key-values or expiry.
    UpdateFile: Api "PUT" "/files/{network}/{id}" "updateFile" => Needs(S::FILES_WRITE), Some(C::EditMetadata);
    /// `DELETE /files/{network}/{id}`: delete (unpin) a file.
    DeleteFile: Api "DELETE" "/files/{network}/{id}" "deleteFile" => Needs(S::FILES_WRITE), Some(C::Unpin);
    /// `POST /files/public/pin_by_cid`: pin content already on IPFS.
    PinByCid: Api "POST" "/files/public/pin_by_cid" "pinByCid" => Needs(S::FILES_WRITE), Some(C::PinByCid);
    /// `GET /files/public/pin_by_cid`: the pin-by-CID queue.
    QueryPinRequests: Api "GET" "/files/public/pin_by_cid" "queryPinRequests" => Needs(S::FILES_READ), Some(C::PinJobs);
    /// `DELETE /files/public/pin_by_cid/{id}`: cancel a pin-by-CID request.
    CancelPinByCid: Api "DELETE" "/files/public/pin_by_cid/{id}" "cancelPinByCID" => Needs(S::FILES_WRITE), Some(C::PinByCid);
    /// `POST /files/private/download_link`: a signed download link for a private file.
    CreateDownloadLink: Api "POST" "/files/private/download_link" "createDownloadLink" => Needs(S::FILES_WRITE), None;
    /// `POST /files/download_link`: the docs samples' alias of [`Self::CreateDownloadLink`].
    CreateDownloadLinkAlias: Api "POST" "/files/download_link" "createDownloadLinkAlias" => Needs(S::FILES_WRITE), None;
    /// `POST /files/sign` on the api host: the SDK's `gateways.private.get` alias of
    /// [`Self::CreateDownloadLink`] (body with `url`); scope inferred.
    SignDownloadUrl: Api "POST" "/files/sign" "createDownloadLinkLegacy" => Needs(S::FILES_WRITE), None;
    // --- hot swaps ---
    /// `PUT /files/{network}/swap/{cid}`: swap a CID for another on swap-enabled gateways.
    AddSwap: Api "PUT" "/files/{network}/swap/{cid}" "addSwap" => Needs(S::FILES_WRITE), None;
    /// `GET /files/{network}/swap/{cid}`: a CID's swap history.
    GetSwapHistory: Api "GET" "/files/{network}/swap/{cid}" "getSwapHistory" => Needs(S::FILES_READ), None;
    /// `DELETE /files/{network}/swap/{cid}`: remove a swap.
    DeleteSwap: Api "DELETE" "/files/{network}/swap/{cid}" "deleteSwap" => Needs(S::FILES_WRITE), None;
    // --- signatures ---
    /// `POST /files/{network}/signature/{cid}`: attach an EIP-712 signature to a CID.
    AddSignature: Api "POST" "/files/{network}/signature/{cid}" "addSignature" => Needs(S::FILES_WRITE), None;
    /// `GET /files/{network}/signature/{cid}`: a CID's signature.
    GetSignature: Api "GET" "/files/{network}/signature/{cid}" "getSignature" => Needs(S::FILES_READ), None;
    /// `DELETE /files/{network}/signature/{cid}`: remove a signature.
    DeleteSignature: Api "DELETE" "/files/{network}/signature/{cid}" "deleteSignature" => Needs(S::FILES_WRITE), None;
    // --- groups ---
    /// `POST /groups/{network}`: create a group.
    CreateGroup: Api "POST" "/groups/{network}" "createGroup" => Needs(S::GROUPS_WRITE), None;
    /// `GET /groups/{network}`: list groups.
    ListGroups: Api "GET" "/groups/{network}" "listGroups" => Needs(S::GROUPS_READ), None;
    /// `GET /groups/{network}/{id}`: one group.
    GetGroup: Api "GET" "/groups/{network}/{id}" "getGroup" => Needs(S::GROUPS_READ), None;
    /// `PUT /groups/{network}/{id}`: rename a group or change `is_public`.
    UpdateGroup: Api "PUT" "/groups/{network}/{id}" "updateGroup" => Needs(S::GROUPS_WRITE), None;
    /// `DELETE /groups/{network}/{id}`: delete a group (not its files).
    DeleteGroup: Api "DELETE" "/groups/{network}/{id}" "deleteGroup" => Needs(S::GROUPS_WRITE), None;
    /// `PUT /groups/{network}/{id}/ids/{file_id}`: add a file to a group.
    AddFileToGroup: Api "PUT" "/groups/{network}/{id}/ids/{file_id}" "addFileToGroup" => Needs(S::GROUPS_WRITE), None;
    /// `DELETE /groups/{network}/{id}/ids/{file_id}`: remove a file from a group.
    RemoveFileFromGroup: Api "DELETE" "/groups/{network}/{id}/ids/{file_id}" "removeFileFromGroup" => Needs(S::GROUPS_WRITE), None;
    // --- API keys: the spec's /api_keys and the SDK's /pinata/keys ---
    /// `GET /api_keys`: list keys.
    ListApiKeys: Api "GET" "/api_keys" "listApiKeys" => Needs(S::ORG_WRITE), Some(C::Admin);
    /// `POST /api_keys`: create a key.
    CreateApiKey: Api "POST" "/api_keys" "createApiKey" => Needs(S::ORG_WRITE), Some(C::Admin);
    /// `DELETE /api_keys/{key}`: revoke a key.
    RevokeApiKey: Api "DELETE" "/api_keys/{key}" "revokeApiKey" => Needs(S::ORG_WRITE), Some(C::Admin);
    /// `GET /pinata/keys`: the SDK's route for [`Self::ListApiKeys`].
    ListKeys: Api "GET" "/pinata/keys" "listKeysV3" => Needs(S::ORG_WRITE), Some(C::Admin);
    /// `POST /pinata/keys`: the SDK's route for [`Self::CreateApiKey`].
    CreateKey: Api "POST" "/pinata/keys" "createKeyV3" => Needs(S::ORG_WRITE), Some(C::Admin);
    /// `PUT /pinata/keys/{key}`: the SDK's route for [`Self::RevokeApiKey`].
    RevokeKey: Api "PUT" "/pinata/keys/{key}" "revokeKeyV3" => Needs(S::ORG_WRITE), Some(C::Admin);
    // --- gateways ---
    /// `GET /gateways`: list dedicated gateways.
    ListGateways: Api "GET" "/gateways" "listGateways" => Needs(S::GATEWAYS_READ), None;
    /// `POST /gateways`: create a gateway.
    CreateGateway: Api "POST" "/gateways" "createGateway" => Needs(S::GATEWAYS_WRITE), None;
    /// `GET /gateways/{id}`: one gateway.
    GetGateway: Api "GET" "/gateways/{id}" "getGateway" => Needs(S::GATEWAYS_READ), None;
    /// `DELETE /gateways/{id}`: delete a gateway.
    DeleteGateway: Api "DELETE" "/gateways/{id}" "deleteGateway" => Needs(S::GATEWAYS_WRITE), None;
    /// `GET /gateways/exists/{domain}`: whether a gateway domain is taken.
    GatewayExists: Api "GET" "/gateways/exists/{domain}" "gatewayExists" => Needs(S::GATEWAYS_READ), None;
    /// `POST /gateways/{id}/custom_domain`: add a custom domain.
    AddCustomDomain: Api "POST" "/gateways/{id}/custom_domain" "addCustomDomain" => Needs(S::GATEWAYS_WRITE), None;
    /// `GET /gateways/{id}/custom_domain/{custom_domain_id}`: one custom domain.
    GetCustomDomain: Api "GET" "/gateways/{id}/custom_domain/{custom_domain_id}" "getCustomDomain" => Needs(S::GATEWAYS_READ), None;
    /// `DELETE /gateways/{id}/custom_domain/{custom_domain_id}`: remove a custom domain.
    DeleteCustomDomain: Api "DELETE" "/gateways/{id}/custom_domain/{custom_domain_id}" "deleteCustomDomain" => Needs(S::GATEWAYS_WRITE), None;
    /// `POST /gateways/{id}/access_tokens`: create a gateway access token.
    CreateAccessToken: Api "POST" "/gateways/{id}/access_tokens" "createGatewayAccessToken" => Needs(S::GATEWAYS_WRITE), None;
    /// `DELETE /gateways/{id}/access_tokens/{access_token_id}`: delete a gateway access token.
    DeleteAccessToken: Api "DELETE" "/gateways/{id}/access_tokens/{access_token_id}" "deleteGatewayAccessToken" => Needs(S::GATEWAYS_WRITE), None;
    /// `POST /gateways/{id}/ips`: allow an IP address.
    AddAllowedIp: Api "POST" "/gateways/{id}/ips" "addGatewayIp" => Needs(S::GATEWAYS_WRITE), None;
    /// `DELETE /gateways/{id}/ips/{ip_id}`: remove an allowed IP address.
    DeleteAllowedIp: Api "DELETE" "/gateways/{id}/ips/{ip_id}" "deleteGatewayIp" => Needs(S::GATEWAYS_WRITE), None;
    /// `POST /gateways/{id}/hosts`: allow a host origin.
    AddAllowedHost: Api "POST" "/gateways/{id}/hosts" "addGatewayHost" => Needs(S::GATEWAYS_WRITE), None;
    /// `DELETE /gateways/{id}/hosts/{host_id}`: remove an allowed host origin.
    DeleteAllowedHost: Api "DELETE" "/gateways/{id}/hosts/{host_id}" "deleteGatewayHost" => Needs(S::GATEWAYS_WRITE), None;
    /// `GET /gateways/plugins/marketplace`: the plugin marketplace.
    ListMarketplacePlugins: Api "GET" "/gateways/plugins/marketplace" "listMarketplacePlugins" => Needs(S::GATEWAYS_READ), None;
    /// `GET /gateways/plugins/marketplace/{id}`: one marketplace plugin.
    GetMarketplacePlugin: Api "GET" "/gateways/plugins/marketplace/{id}" "getMarketplacePlugin" => Needs(S::GATEWAYS_READ), None;
    /// `GET /gateways/plugins`: plugins installed on the account's gateways.
    ListInstalledPlugins: Api "GET" "/gateways/plugins" "listInstalledPlugins" => Needs(S::GATEWAYS_READ), None;
    /// `POST /gateways/plugins/{gateway_id}`: install a plugin on a gateway.
    InstallPlugin: Api "POST" "/gateways/plugins/{gateway_id}" "installGatewayPlugin" => Needs(S::GATEWAYS_WRITE), None;
    /// `GET /gateways/plugins/{gateway_id}`: a gateway's plugins.
    ListGatewayPlugins: Api "GET" "/gateways/plugins/{gateway_id}" "listGatewayPlugins" => Needs(S::GATEWAYS_READ), None;
    /// `DELETE /gateways/plugins/{gateway_id}/plugin/{plugin_id}`: remove a plugin.
    RemovePlugin: Api "DELETE" "/gateways/plugins/{gateway_id}/plugin/{plugin_id}" "removeGatewayPlugin" => Needs(S::GATEWAYS_WRITE), None;
    /// `GET /ipfs/gateway_plugins/{gateway_id}`: the older route for a gateway's plugins.
    ListGatewayPluginsLegacy: Api "GET" "/ipfs/gateway_plugins/{gateway_id}" "listGatewayPluginsLegacy" => Needs(S::GATEWAYS_READ), None;
    /// `GET /ipfs/gateways`: the CLI's older route for [`Self::ListGateways`].
    ListGatewaysLegacy: Api "GET" "/ipfs/gateways" "listGatewaysLegacy" => Needs(S::GATEWAYS_READ), None;
    // --- analytics: the spec's routes and the SDK's older ones ---
    /// `GET /analytics/gateways/top`: top requests or bandwidth by a dimension.
    AnalyticsTop: Api "GET" "/analytics/gateways/top" "analyticsTop" => Needs(S::ANALYTICS_READ), None;
    /// `GET /analytics/gateways/time_series`: requests and bandwidth over time.
    AnalyticsTimeSeries: Api "GET" "/analytics/gateways/time_series" "analyticsTimeSeries" => Needs(S::ANALYTICS_READ), None;
    /// `GET /ipfs/gateway_analytics_top`: the SDK's route for [`Self::AnalyticsTop`].
    AnalyticsTopLegacy: Api "GET" "/ipfs/gateway_analytics_top" "analyticsTopLegacy" => Needs(S::ANALYTICS_READ), None;
    /// `GET /ipfs/gateway_analytics_time_series`: the SDK's route for [`Self::AnalyticsTimeSeries`].
    AnalyticsTimeSeriesLegacy: Api "GET" "/ipfs/gateway_analytics_time_series" "analyticsTimeSeriesLegacy" => Needs(S::ANALYTICS_READ), None;
    // --- uploads host ---
    /// `POST /files` on the uploads host: multipart upload, or TUS creation.
    UploadFile: Uploads "POST" "/files" "uploadFile" => Needs(S::FILES_WRITE), Some(C::PinFile);
    /// `POST /files/sign` on the uploads host: a presigned upload URL.
    CreateSignedUploadUrl: Uploads "POST" "/files/sign" "createSignedUploadUrl" => Needs(S::FILES_WRITE), Some(C::PinFile);
    /// `POST /vectorize/files/{file_id}`: vectorize a private file.
    VectorizeFile: Uploads "POST" "/vectorize/files/{file_id}" "vectorizeFile" => Needs(S::ORG_WRITE), None;
    /// `DELETE /vectorize/files/{file_id}`: delete a file's vectors.
    DeleteFileVectors: Uploads "DELETE" "/vectorize/files/{file_id}" "deleteFileVectors" => Needs(S::ORG_WRITE), None;
    /// `POST /vectorize/groups/{group_id}/query`: query a group's vectors.
    QueryVectors: Uploads "POST" "/vectorize/groups/{group_id}/query" "queryVectors" => Needs(S::ORG_WRITE), None;
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

    /// What a key needs to call the operation (admin keys may call every one).
    pub fn requirement(self) -> Requirement<ResourceScope> {
        self.route().requirement
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
