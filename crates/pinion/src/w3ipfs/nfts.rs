//! W3IPFS NFTs: an asset pin and a metadata pin created together.

use futures::Stream;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{Client, ListFilter, page_limit, types};
use crate::Error;
use crate::args::to_i64;
use crate::listing::{self, Listing, Shape};
use crate::operations;
use crate::paginate::paginate;
use crate::scopes::Service;
use crate::upload::{self, Multipart, UploadOptions, UploadSource};

/// Where the rows and count of `listNfts` are.
const NFTS: Shape = Shape {
    what: "NFT",
    rows: "/data/nfts",
    total: Some("/data/totals/files"),
};

impl Client {
    /// Creates an NFT from an asset file and its metadata JSON (`POST /nft/`).
    pub async fn create_nft(
        &self,
        asset: impl Into<std::path::PathBuf>,
        metadata: &Map<String, Value>,
    ) -> Result<types::Nft, Error> {
        let options = UploadOptions::default().verify(false);
        let prepared = upload::prepare(UploadSource::File(asset.into()), &options).await?;
        let mut multipart = Multipart::new(prepared, "file");
        let json = serde_json::to_vec(metadata)
            .map_err(|e| Error::invalid_input("NFT metadata", e.to_string()))?;
        multipart.extra_file(
            "metadata",
            pinion_rules::upload::NFT_METADATA_NAME,
            pinion_rules::upload::JSON_MIME,
            json.into(),
        );
        let url = format!("{}/nft/", self.inner.base_url);
        let operation = operations::lookup(Service::W3ipfs, "create_nft");
        let (answer, _): (types::NftResponse, _) = upload::send(
            self.engine(),
            &self.inner.http,
            &url,
            operation,
            &multipart,
            &[],
            &options,
            &self.inner.credentials,
        )
        .await?;
        Ok(answer.data)
    }

    /// One NFT by id (`GET /nft/{id}`).
    pub async fn get_nft(&self, id: Uuid) -> Result<types::Nft, Error> {
        Ok(self
            .engine()
            .call(self.api().get_nft().id(id.to_string()).send())
            .await?
            .data)
    }

    /// One page of NFTs (`GET /nft/nfts/`); an NFT that cannot be read is an
    /// [`Error::UndecodableRow`] among the others.
    pub async fn nfts_page(
        &self,
        filter: &ListFilter,
        offset: u64,
    ) -> Result<Listing<types::Nft>, Error> {
        let mut request = self
            .api()
            .list_nfts()
            .offset(to_i64("offset", offset)?)
            .limit(page_limit(filter.page_size)?);
        if let Some(v) = filter.pinned {
            request = request.pinned(v);
        }
        if let Some(v) = filter.sort_by {
            request = request.sort_by(v);
        }
        if let Some(v) = filter.sort_order {
            request = request.sort_order(v);
        }
        if let Some(v) = &filter.metadata {
            request = request.metadata(Value::Object(v.clone()).to_string());
        }
        let answer = listing::fetch(self.engine(), request.send()).await?;
        NFTS.listing(self.engine(), answer, |page| {
            (
                page.data.nfts.unwrap_or_default(),
                u64::try_from(page.data.totals.files).ok(),
            )
        })
    }

    /// Every NFT matching `filter`, page by page.
    pub fn nfts(
        &self,
        filter: ListFilter,
    ) -> impl Stream<Item = Result<types::Nft, Error>> + Send + '_ {
        let size = filter.page_size.or(Some(10));
        paginate(0, size, move |offset| {
            let filter = filter.clone();
            async move { self.nfts_page(&filter, offset).await }
        })
    }

    /// Unpins an NFT (`DELETE /nft/unpin/{id}`). A retry that finds it already gone is
    /// a success.
    pub async fn unpin_nft(&self, id: Uuid) -> Result<(), Error> {
        self.engine()
            .call_removal(self.api().unpin_nft().id(id.to_string()).send())
            .await
    }
}
