//! The end of a TUS upload: once its last byte is synced, the partial file is hashed
//! (both CID versions, read in bounded pieces, the same CIDs `pinion cid` computes),
//! moved into the blob store by a rename and recorded as a v3 file, all before the last
//! `PATCH` is answered, so `GET /files/{network}?cid=<Upload-CID>` finds it at once.

use axum::response::Response;
use pinion_rules::cid_version::V3_DEFAULT;

use super::PartFiles;
use crate::content::{self, AssembleError};
use crate::pinata_v3::files::{NewFile, record_file, rules};
use crate::pinata_v3::presigned;
use crate::pinata_v3::{Network, V3Reason, error::internal};
use crate::state::AppState;
use crate::state::tus::{TusUpload, UploadAuthority, UploadMetadata};

/// A completed upload.
#[derive(Debug)]
pub(crate) struct Finished {
    /// The file's CID (`Upload-CID`).
    pub(crate) cid: String,
}

/// The network the record goes to: the metadata's, else private (the same default as
/// the multipart upload's, reference §3.1).
pub(crate) fn network(metadata: &UploadMetadata) -> Network {
    metadata
        .network
        .as_deref()
        .and_then(|network| network.parse().ok())
        .unwrap_or(Network::Private)
}

/// The MIME type the record gets, by the multipart upload's rule: the declared
/// `filetype` unless empty or generic, else by the name's extension, else
/// `application/octet-stream`.
pub(crate) fn mime_type(metadata: &UploadMetadata) -> String {
    rules::recorded_mime(metadata.filetype.as_deref(), metadata.filename.as_deref())
}

/// Hashes, keeps and records the complete upload `upload` (the caller holds its lock
/// and has synced all `upload.length` bytes). On success the upload row records the
/// CID. A refusal at this point (the MIME type a signed URL does not allow, detected
/// from the bytes; a group deleted meanwhile) ends the upload: its row and bytes are
/// removed, and the client must start over.
pub(crate) async fn finish(
    state: &AppState,
    upload: &TusUpload,
    parts: &PartFiles,
) -> Result<Finished, Response> {
    let metadata = &upload.metadata;
    let mut recorded_mime = mime_type(metadata);
    let path = parts.path(&upload.id);
    let blobs_owner = state.clone();
    let hashed = tokio::task::spawn_blocking(move || {
        let head = presigned::read_head(&path)?;
        let file = blobs_owner.blobs.adopt(path)?;
        Ok::<_, crate::blobs::IngestError>((head, file))
    })
    .await;
    let (head, file) = match hashed {
        Ok(Ok(hashed)) => hashed,
        Ok(Err(error)) => return Err(internal(crate::EmulatorError::Store(error.to_string()))),
        Err(join) => return Err(internal(crate::EmulatorError::Store(join.to_string()))),
    };

    let refused = |response: Response| {
        let _ = state.write(|tx| {
            tx.delete::<TusUpload>(&upload.id);
        });
        Err(response)
    };
    if let UploadAuthority::Grant { grant } = &upload.authority {
        let grant = state.read(|data| data.tus.grants.get(grant).cloned());
        if let Some(grant) = grant {
            // As for a multipart upload to a signed URL: the detected type is checked
            // and recorded.
            let detected = presigned::detect_mime(&head, &recorded_mime);
            if let Err(response) = presigned::check_mime(&grant, &detected) {
                drop(file);
                return refused(response);
            }
            recorded_mime = detected;
        }
    }

    // The metadata's `cid_version` was checked when the upload was created.
    let version = rules::cid_version(metadata.cid_version.as_deref()).unwrap_or(V3_DEFAULT);
    let assembled = match content::assemble(
        vec![("file".to_owned(), file)],
        version,
        false,
        &state.blobs,
    ) {
        Ok(assembled) => assembled,
        Err(AssembleError::Io(why)) => return Err(internal(crate::EmulatorError::Store(why))),
        Err(other) => return refused(V3Reason::InvalidRequest.error(other.to_string())),
    };
    let new = NewFile {
        id: Some(upload.id.clone()),
        network: network(metadata),
        name: metadata.filename.clone(),
        group_id: metadata.group_id.clone(),
        keyvalues: rules::recorded_keyvalues(&metadata.keyvalues),
        mime_type: Some(recorded_mime),
        expires_at: metadata.expires_at,
    };
    let recorded = match record_file(state, assembled, new) {
        Ok(recorded) => recorded,
        Err(response) => return refused(response),
    };
    let cid = recorded.cid;
    state
        .write(|tx| {
            tx.update::<TusUpload>(&upload.id, |row| {
                row.offset = row.length;
                row.cid = Some(cid.clone());
            });
        })
        .map_err(internal)?;
    Ok(Finished { cid })
}
