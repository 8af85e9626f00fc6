//! Groups of files per network (`/groups/{network}`): create, list (a [`Stream`] over
//! `pageToken` pages), get, update, delete, and adding or removing a file.

use futures::{Stream, StreamExt, stream};

use super::{Client, Network, types};
use crate::Error;
use crate::args::{non_empty, page_limit};

/// Filters of [`Client::groups`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupFilter {
    /// Only groups of this name.
    pub name: Option<String>,
    /// Only groups flagged `is_public`.
    pub public_only: bool,
    /// Page size (1 to 1000; the service's default when unset).
    pub limit: Option<u64>,
}

impl Client {
    /// Creates a group on `network` (`POST /groups/{network}`).
    ///
    /// ```no_run
    /// # async fn run(client: pinion::pinata_v3::Client, file_id: &str) -> Result<(), pinion::Error> {
    /// use pinion::pinata_v3::Network;
    /// let group = client.create_group(Network::Private, "invoices", None).await?;
    /// client.add_to_group(Network::Private, &group.id, file_id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_group(
        &self,
        network: Network,
        name: &str,
        is_public: Option<bool>,
    ) -> Result<types::Group, Error> {
        non_empty("group name", name)?;
        let body = types::CreateGroupRequest {
            is_public,
            name: name.to_owned(),
        };
        let answer = self
            .engine()
            .call(self.api().create_group().network(network).body(body).send())
            .await?;
        Ok(answer.data)
    }

    /// One page of groups (`GET /groups/{network}`) and the next page's token.
    pub async fn groups_page(
        &self,
        network: Network,
        filter: &GroupFilter,
        page_token: Option<&str>,
    ) -> Result<(Vec<types::Group>, Option<String>), Error> {
        let mut request = self.api().list_groups().network(network);
        if let Some(name) = &filter.name {
            non_empty("group name", name)?;
            request = request.name(name.clone());
        }
        if filter.public_only {
            request = request.is_public(true);
        }
        if let Some(limit) = page_limit(filter.limit)? {
            request = request.limit(limit);
        }
        if let Some(token) = page_token.filter(|t| !t.is_empty()) {
            request = request.page_token(token.to_owned());
        }
        let answer = self.engine().call(request.send()).await?;
        let next = answer.data.next_page_token.filter(|t| !t.is_empty());
        Ok((answer.data.groups, next))
    }

    /// Every group of `network` matching `filter`, page after page.
    pub fn groups(
        &self,
        network: Network,
        filter: GroupFilter,
    ) -> impl Stream<Item = Result<types::Group, Error>> + Send + '_ {
        stream::try_unfold(Some(None::<String>), move |token| {
            let filter = filter.clone();
            async move {
                let Some(token) = token else {
                    return Ok::<_, Error>(None);
                };
                let (groups, next) = self.groups_page(network, &filter, token.as_deref()).await?;
                let next = next.filter(|next| Some(next) != token.as_ref()).map(Some);
                Ok(Some((groups, next)))
            }
        })
        .map(|page| match page {
            Ok(groups) => stream::iter(groups.into_iter().map(Ok)).left_stream(),
            Err(error) => stream::iter([Err(error)]).right_stream(),
        })
        .flatten()
        .boxed()
    }

    /// One group (`GET /groups/{network}/{id}`).
    pub async fn group(&self, network: Network, id: &str) -> Result<types::Group, Error> {
        non_empty("group id", id)?;
        let answer = self
            .engine()
            .call(self.api().get_group().network(network).id(id.trim()).send())
            .await?;
        Ok(answer.data)
    }

    /// Renames a group or changes its `is_public` flag (`PUT /groups/{network}/{id}`).
    pub async fn update_group(
        &self,
        network: Network,
        id: &str,
        name: Option<&str>,
        is_public: Option<bool>,
    ) -> Result<types::Group, Error> {
        non_empty("group id", id)?;
        if name.is_none() && is_public.is_none() {
            return Err(Error::invalid_input(
                "group update",
                "changes nothing: give a name or is_public",
            ));
        }
        if let Some(name) = name {
            non_empty("group name", name)?;
        }
        let body = types::UpdateGroupRequest {
            is_public,
            name: name.map(str::to_owned),
        };
        let answer = self
            .engine()
            .call(
                self.api()
                    .update_group()
                    .network(network)
                    .id(id.trim())
                    .body(body)
                    .send(),
            )
            .await?;
        Ok(answer.data)
    }

    /// Deletes a group, not its files (`DELETE /groups/{network}/{id}`).
    pub async fn delete_group(&self, network: Network, id: &str) -> Result<(), Error> {
        non_empty("group id", id)?;
        self.engine()
            .call_removal(
                self.api()
                    .delete_group()
                    .network(network)
                    .id(id.trim())
                    .send(),
            )
            .await
    }

    /// Puts a file of the same network in a group
    /// (`PUT /groups/{network}/{id}/ids/{file_id}`).
    pub async fn add_to_group(
        &self,
        network: Network,
        group_id: &str,
        file_id: &str,
    ) -> Result<(), Error> {
        non_empty("group id", group_id)?;
        non_empty("file id", file_id)?;
        self.engine()
            .call(
                self.api()
                    .add_file_to_group()
                    .network(network)
                    .id(group_id.trim())
                    .file_id(file_id.trim())
                    .send(),
            )
            .await
            .map(drop)
    }

    /// Takes a file out of a group (`DELETE /groups/{network}/{id}/ids/{file_id}`).
    pub async fn remove_from_group(
        &self,
        network: Network,
        group_id: &str,
        file_id: &str,
    ) -> Result<(), Error> {
        non_empty("group id", group_id)?;
        non_empty("file id", file_id)?;
        self.engine()
            .call_removal(
                self.api()
                    .remove_file_from_group()
                    .network(network)
                    .id(group_id.trim())
                    .file_id(file_id.trim())
                    .send(),
            )
            .await
    }
}
