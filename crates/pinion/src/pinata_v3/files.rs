//! One file record: get (`GET /files/{network}/{id}`), update with a key-value merge
//! (`PUT`) and delete (`DELETE`).

use std::collections::BTreeMap;

use super::{Client, Network, types};
use crate::Error;
use crate::args::non_empty;

/// Changes of [`Client::update_file`]: only what is set changes.
///
/// Key-values are merged into the file's: a key set to `Some` is added or replaced, a
/// key set to `None` is removed, keys not named stay as they are.
///
/// ```
/// use pinion::pinata_v3::FileUpdate;
/// let update = FileUpdate::default().name("v2.pdf").keyvalue("stage", "final").remove_keyvalue("draft");
/// assert_eq!(update.keyvalues.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileUpdate {
    /// A new name.
    pub name: Option<String>,
    /// Key-values to set (`Some`) or remove (`None`).
    pub keyvalues: BTreeMap<String, Option<String>>,
    /// When the service deletes the file (Unix seconds, in the future).
    pub expires_at: Option<i64>,
}

impl FileUpdate {
    /// Sets [`name`](Self::name).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds or replaces a key-value.
    pub fn keyvalue(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.keyvalues.insert(key.into(), Some(value.into()));
        self
    }

    /// Removes a key-value.
    pub fn remove_keyvalue(mut self, key: impl Into<String>) -> Self {
        self.keyvalues.insert(key.into(), None);
        self
    }
}

impl Client {
    /// One file (`GET /files/{network}/{id}`).
    pub async fn file(&self, network: Network, id: &str) -> Result<types::File, Error> {
        non_empty("file id", id)?;
        let answer = self
            .engine()
            .call(self.api().get_file().network(network).id(id.trim()).send())
            .await?;
        Ok(answer.data)
    }

    /// Renames a file, merges key-values into its own or sets its expiry
    /// (`PUT /files/{network}/{id}`); returns the file as it now is. An update that
    /// changes nothing is refused before any request.
    ///
    /// ```no_run
    /// # async fn run(client: pinion::pinata_v3::Client) -> Result<(), pinion::Error> {
    /// use pinion::pinata_v3::{FileUpdate, Network};
    /// let update = FileUpdate::default().keyvalue("stage", "final").remove_keyvalue("draft");
    /// let file = client.update_file(Network::Private, "0191…", update).await?;
    /// println!("{:?}", file.keyvalues);
    /// # Ok(()) }
    /// ```
    pub async fn update_file(
        &self,
        network: Network,
        id: &str,
        update: FileUpdate,
    ) -> Result<types::File, Error> {
        non_empty("file id", id)?;
        if update.name.is_none() && update.keyvalues.is_empty() && update.expires_at.is_none() {
            return Err(Error::invalid_input(
                "file update",
                "changes nothing: set a name, key-values or an expiry",
            ));
        }
        if let Some(name) = &update.name {
            non_empty("name", name)?;
        }
        let kept = update.keyvalues.values().filter(|v| v.is_some()).count();
        if kept > pinion_rules::metadata::MAX_KEYVALUES {
            return Err(Error::invalid_input(
                "keyvalues",
                format!(
                    "{kept} given: a file has at most {}",
                    pinion_rules::metadata::MAX_KEYVALUES
                ),
            ));
        }
        let body = types::UpdateFileRequest {
            expires_at: update.expires_at,
            keyvalues: update.keyvalues,
            name: update.name,
        };
        let answer = self
            .engine()
            .call(
                self.api()
                    .update_file()
                    .network(network)
                    .id(id.trim())
                    .body(body)
                    .send(),
            )
            .await?;
        Ok(answer.data)
    }

    /// Deletes a file (`DELETE /files/{network}/{id}`). A retry that finds it already
    /// gone (an earlier attempt deleted it but its answer was lost) is a success.
    pub async fn delete_file(&self, network: Network, id: &str) -> Result<(), Error> {
        non_empty("file id", id)?;
        self.engine()
            .call_removal(
                self.api()
                    .delete_file()
                    .network(network)
                    .id(id.trim())
                    .send(),
            )
            .await
    }
}
