//! What the executor knows about each v3 operation: whether it may be sent again and
//! which rate limit it counts against, read from `pinion-scopes`' v3 table.

use crate::operations::Operation;
use crate::rate_limit::Bucket;
use crate::scopes::Service;
use crate::scopes::pinata_v3::V3Operation;

/// The v3 operation the generated (snake case) name `name` stands for. Reads, updates
/// and deletes may be sent again; so may uploads (the service deduplicates by CID) and
/// signing requests (they create nothing that lasts). Anything else that creates (a
/// group, a key, a pin-by-CID job) is not, like an unknown name.
pub(crate) fn operation(name: &'static str) -> Operation {
    let found = V3Operation::ALL
        .iter()
        .copied()
        .find(|op| snake_case(op.operation_id()) == name);
    let resend_safe = found.is_some_and(|op| match op.method() {
        "GET" | "HEAD" | "PUT" | "DELETE" => true,
        _ => matches!(
            op,
            V3Operation::UploadFile
                | V3Operation::UploadToSignedUrl
                | V3Operation::CreateSignedUploadUrl
                | V3Operation::CreateDownloadLink
                | V3Operation::CreateDownloadLinkAlias
                | V3Operation::SignDownloadUrl
        ),
    });
    Operation {
        service: Service::Pinata,
        spec_id: found.map_or(name, V3Operation::operation_id),
        resend_safe,
        bucket: Bucket::General,
        v3: found,
        psa: None,
    }
}

/// `listFiles` → `list_files`, as progenitor names operations.
fn snake_case(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 4);
    for c in id.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operationId of both v3 specs, as the generated clients name it, finds its
    /// row: none falls back to the conservative default unnoticed.
    #[test]
    fn every_v3_spec_operation_is_known() {
        for file in ["pinata-v3.yaml", "pinata-v3-uploads.yaml"] {
            let path = format!("{}/../../spec/{file}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap();
            let ids: Vec<&str> = text
                .lines()
                .filter_map(|line| line.trim().strip_prefix("operationId: "))
                .map(str::trim)
                .collect();
            assert!(!ids.is_empty(), "{file}");
            for id in ids {
                let name: &'static str = Box::leak(snake_case(id).into_boxed_str());
                let found = operation(name);
                assert_eq!(
                    found.v3.map(V3Operation::operation_id),
                    Some(id),
                    "{file}: {id}"
                );
            }
        }
    }

    #[test]
    fn generated_names_find_their_v3_operation() {
        let list = operation("list_files");
        assert_eq!(list.v3, Some(V3Operation::ListFiles));
        assert!(list.resend_safe);
        // The legacy table has a `create_group` too; here it is v3's, not resent.
        let create = operation("create_group");
        assert_eq!(create.v3, Some(V3Operation::CreateGroup));
        assert!(!create.resend_safe);
        assert!(operation("upload_file").resend_safe);
        assert!(!operation("pin_by_cid").resend_safe);
        let unknown = operation("something_new");
        assert_eq!(unknown.v3, None);
        assert!(!unknown.resend_safe);
    }
}
