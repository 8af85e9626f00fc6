//! NFTs: an asset and its metadata JSON pinned as two pins (`POST /nft/`, 201), get,
//! list and unpin (both pins).
//!
//! The metadata JSON pinned is the uploaded one with `image` set to
//! `ipfs://<asset_cid>` when it has none, as NFT tooling expects.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use pinion_api::w3ipfs::types as wire;
use pinion_rules::upload::{JSON_MIME, NFT_METADATA_NAME};
use serde_json::Value;

use super::authorize;
use super::common::{answer, bad_request, internal, not_found, parse_list_query};
use super::pins::{PinRow, pin_upload, read_upload, select, settle, unpin_row};
pub(crate) use crate::state::w3ipfs::NftRow;
use crate::state::{AppState, Data};

fn pin_of<'a>(data: &'a Data, id: Option<&String>) -> Option<&'a PinRow> {
    id.and_then(|id| data.w3ipfs.pins.get(id))
}

/// Pinned while its metadata pin is.
fn is_pinned(data: &Data, nft: &NftRow) -> bool {
    pin_of(data, Some(&nft.metadata_pin_id)).is_some_and(|pin| pin.pinned)
}

fn wire_nft(data: &Data, nft: &NftRow, user_id: &str) -> wire::Nft {
    let asset = pin_of(data, nft.asset_pin_id.as_ref());
    let metadata = pin_of(data, Some(&nft.metadata_pin_id));
    let size = asset.map_or(0, |p| p.size) + metadata.map_or(0, |p| p.size);
    let status = metadata.map_or("PENDING".to_owned(), |p| p.status.clone());
    wire::Nft {
        asset_cid: nft.asset_cid.clone(),
        asset_pin_id: nft
            .asset_pin_id
            .as_deref()
            .and_then(|id| id.parse().ok())
            .unwrap_or_default(),
        created_at: nft.created_at,
        id: nft.id.parse().expect("NFT ids are UUIDs"),
        metadata_asset: wire::NftMetadataAsset {
            name: nft.name.clone(),
            type_: nft.mime_type.clone(),
        },
        metadata_cid: nft.metadata_cid.clone(),
        metadata_pin_id: nft.metadata_pin_id.parse().expect("pin ids are UUIDs"),
        pinned: is_pinned(data, nft),
        size: (size > 0).then_some(size as i64),
        status,
        updated_at: nft.updated_at,
        user_id: user_id.parse().expect("user ids are UUIDs"),
    }
}

/// `POST /nft/` (multipart: `file` asset and `metadata` JSON part; or `?cid=` for an
/// asset already on IPFS) → 201.
pub(crate) async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "createNft") {
        return refused;
    }
    let existing_cid = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "cid")
        .map(|(_, value)| value.into_owned());
    let (files, metadata) = match read_upload(&state, multipart, "metadata").await {
        Ok(upload) => upload,
        Err(refused) => return refused,
    };
    let Some(metadata) = metadata else {
        return bad_request("the NFT metadata is missing: send it as a JSON part named `metadata`");
    };
    let mut metadata: serde_json::Map<String, Value> = match serde_json::from_str(&metadata) {
        Ok(metadata) => metadata,
        Err(error) => {
            return bad_request(format!("the metadata part is not a JSON object: {error}"));
        }
    };
    let (asset_cid, asset_pin, asset_type) = match (existing_cid, files.is_empty()) {
        (Some(cid), true) => {
            if let Err(error) = pinion_cid::Cid::parse(&cid) {
                return bad_request(format!("invalid cid: {error}"));
            }
            (cid, None, None)
        }
        (Some(_), false) => return bad_request("send either a file or ?cid=, not both"),
        (None, _) => match pin_upload(&state, files, wire::PinMetadata::default()) {
            Ok(pin) => (pin.cid.clone(), Some(pin.id.clone()), pin.mime_type.clone()),
            Err(refused) => return refused,
        },
    };
    metadata
        .entry("image")
        .or_insert_with(|| Value::String(format!("ipfs://{asset_cid}")));
    let name = metadata
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let json = Bytes::from(serde_json::to_vec(&metadata).expect("JSON serializes"));
    let file = match state.blobs.ingest_bytes(json).await {
        Ok(file) => file,
        Err(error) => return internal(crate::EmulatorError::Store(error.to_string())),
    };
    let metadata_pin = match pin_upload(
        &state,
        vec![(NFT_METADATA_NAME.into(), file)],
        wire::PinMetadata {
            name: Some(NFT_METADATA_NAME.into()),
            type_: Some(JSON_MIME.into()),
            keyvalues: None,
        },
    ) {
        Ok(pin) => pin,
        Err(refused) => return refused,
    };
    let now = state.clock.now();
    let nft = NftRow {
        id: crate::secrets::uuid(),
        asset_cid,
        asset_pin_id: asset_pin,
        metadata_cid: metadata_pin.cid.clone(),
        metadata_pin_id: metadata_pin.id.clone(),
        name,
        mime_type: asset_type,
        metadata,
        created_at: now,
        updated_at: now,
    };
    if let Err(error) = state.write(|tx| tx.put(nft.clone())) {
        return internal(error);
    }
    let user_id = state.meta().w3ipfs_user_id;
    let data = state.read(|data| wire_nft(data, &nft, &user_id));
    answer(
        StatusCode::CREATED,
        &wire::NftResponse {
            data,
            status: "success".into(),
        },
    )
}

/// `GET /nft/{id}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "getNft") {
        return refused;
    }
    let now = state.clock.now();
    if let Err(error) = state.write(|tx| settle(tx, now)) {
        return internal(error);
    }
    let user_id = state.meta().w3ipfs_user_id;
    match state.read(|data| {
        data.w3ipfs
            .nfts
            .get(&id)
            .map(|nft| wire_nft(data, nft, &user_id))
    }) {
        Some(nft) => answer(
            StatusCode::OK,
            &wire::NftResponse {
                data: nft,
                status: "success".into(),
            },
        ),
        None => not_found(),
    }
}

/// `GET /nft/nfts/`.
pub(crate) async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "listNfts") {
        return refused;
    }
    let query = match parse_list_query(raw.as_deref()) {
        Ok(query) => query,
        Err(refused) => return refused,
    };
    let now = state.clock.now();
    if let Err(error) = state.write(|tx| settle(tx, now)) {
        return internal(error);
    }
    let user_id = state.meta().w3ipfs_user_id;
    let data = state.read(|data| {
        let nfts = select(
            data.w3ipfs.nfts.values(),
            &query,
            |nft| is_pinned(data, nft),
            |nft| Some(&nft.metadata),
            |nft, by| match by {
                "size" => (
                    wire_nft(data, nft, &user_id).size.unwrap_or(0),
                    nft.id.clone(),
                ),
                "name" => (
                    0,
                    format!("{}\u{0}{}", nft.name.clone().unwrap_or_default(), nft.id),
                ),
                _ => (nft.created_at.timestamp_micros(), nft.id.clone()),
            },
        );
        let listed: Vec<wire::Nft> = nfts
            .iter()
            .map(|nft| wire_nft(data, nft, &user_id))
            .collect();
        wire::NftListResponseData {
            totals: wire::Totals {
                files: listed.len() as i64,
                size: listed.iter().map(|nft| nft.size.unwrap_or(0)).sum(),
            },
            nfts: Some(
                listed
                    .into_iter()
                    .skip(query.offset)
                    .take(query.limit)
                    .collect(),
            ),
        }
    });
    answer(
        StatusCode::OK,
        &wire::NftListResponse {
            data,
            status: "success".into(),
        },
    )
}

/// `DELETE /nft/unpin/{id}`: unpins the asset and the metadata.
pub(crate) async fn unpin(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "unpinNft") {
        return refused;
    }
    let now = state.clock.now();
    match state.write(|tx| {
        let nft = tx.data().w3ipfs.nfts.get(&id).cloned()?;
        if let Some(asset) = &nft.asset_pin_id {
            unpin_row(tx, asset, now);
        }
        unpin_row(tx, &nft.metadata_pin_id, now);
        tx.update::<NftRow>(&id, |row| row.updated_at = now);
        Some(())
    }) {
        Ok(Some(())) => answer(
            StatusCode::OK,
            &wire::UnpinResponse {
                data: serde_json::Map::new(),
                status: "success".into(),
            },
        ),
        Ok(None) => not_found(),
        Err(error) => internal(error),
    }
}
