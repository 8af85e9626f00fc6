//! Pin metadata: the `pinataMetadata` object sent with pins, and updates of a pin's
//! name, key-values and replication policy.

use serde_json::{Map, Value};

use super::{Client, types};
use crate::Error;
use crate::args::{rule, scalar_keyvalues};

/// The `pinataMetadata` of a new pin: at most 10 key-values, each a string, a number or
/// a boolean.
pub(super) fn pinata_metadata(
    name: Option<&str>,
    keyvalues: &Map<String, Value>,
) -> Result<types::PinataMetadata, Error> {
    pinion_rules::metadata::check_keyvalue_count(keyvalues.len()).map_err(rule)?;
    let mut out = types::PinataMetadata {
        name: name.map(str::to_owned),
        ..types::PinataMetadata::default()
    };
    for (key, value) in keyvalues {
        let value = match value {
            Value::String(s) => types::KeyValue::String(s.clone()),
            Value::Bool(b) => types::KeyValue::Boolean(*b),
            Value::Number(n) => types::KeyValue::Number(n.as_f64().unwrap_or_default()),
            _ => {
                return Err(Error::invalid_input(
                    format!("keyvalue `{key}`"),
                    "must be a string, a number or a boolean",
                ));
            }
        };
        out.keyvalues.insert(key.clone(), value);
    }
    Ok(out)
}

impl Client {
    /// Renames a pin and merges key-values into its metadata; a `null` value removes a
    /// key (`PUT /pinning/hashMetadata`).
    pub async fn update_metadata(
        &self,
        cid: &str,
        name: Option<&str>,
        keyvalues: Map<String, Value>,
    ) -> Result<(), Error> {
        let cid = crate::cid::parse_input(cid)?;
        scalar_keyvalues(&keyvalues, true)?;
        let body = types::HashMetadataRequest {
            ipfs_pin_hash: cid.to_string(),
            name: name.map(str::to_owned),
            keyvalues,
        };
        self.engine()
            .call_text(self.api().update_hash_metadata().body(body).send())
            .await?;
        Ok(())
    }

    /// Replaces one pin's replication policy (deprecated by Pinata).
    pub async fn update_hash_pin_policy(
        &self,
        cid: &str,
        policy: types::PinPolicy,
    ) -> Result<(), Error> {
        let cid = crate::cid::parse_input(cid)?;
        let body = types::HashPinPolicyRequest {
            ipfs_pin_hash: cid.to_string(),
            new_pin_policy: policy,
        };
        self.engine()
            .call_text(self.api().update_hash_pin_policy().body(body).send())
            .await?;
        Ok(())
    }

    /// Sets the account's default replication policy (deprecated by Pinata).
    pub async fn update_user_pin_policy(&self, policy: types::PinPolicy) -> Result<(), Error> {
        let body = types::UserPinPolicyRequest {
            new_pin_policy: policy,
        };
        self.engine()
            .call_text(self.api().update_user_pin_policy().body(body).send())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_keeps_to_ten_scalar_key_values() {
        let many: Map<String, Value> = (0..11).map(|i| (format!("k{i}"), Value::from(i))).collect();
        let error = pinata_metadata(None, &many).unwrap_err();
        assert!(error.to_string().contains("at most 10"), "{error}");
        let nested: Map<String, Value> = [("k".to_owned(), serde_json::json!({"a": 1}))]
            .into_iter()
            .collect();
        assert!(pinata_metadata(None, &nested).is_err());
        let ok: Map<String, Value> = [("k".to_owned(), Value::from(true))].into_iter().collect();
        let metadata = pinata_metadata(Some("n"), &ok).unwrap();
        assert_eq!(metadata.keyvalues["k"], types::KeyValue::Boolean(true));
    }
}
