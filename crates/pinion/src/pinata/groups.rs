//! Pinata groups: creation, listing, renaming, deletion and their CIDs.

use std::num::NonZeroU64;

use futures::Stream;

use super::{Client, types};
use crate::Error;
use crate::args::{non_empty, to_i64};
use crate::listing::{self, Listing, Shape};
use crate::paginate::paginate;

/// `listGroups` answers a bare array of groups.
const GROUPS: Shape = Shape {
    what: "group",
    rows: "",
    total: None,
};

fn group_cids(id: &str, cids: &[&str]) -> Result<types::GroupCidsRequest, Error> {
    non_empty("group id", id)?;
    if cids.is_empty() {
        return Err(Error::invalid_input(
            "CIDs",
            "the list is empty: give at least one CID",
        ));
    }
    let cids = cids
        .iter()
        .map(|cid| crate::cid::parse_input(cid).map(|c| c.to_string()))
        .collect::<Result<_, _>>()?;
    Ok(types::GroupCidsRequest { cids })
}

impl Client {
    /// Creates a group (`POST /groups`).
    pub async fn create_group(&self, name: &str) -> Result<types::Group, Error> {
        non_empty("group name", name)?;
        let body = types::GroupRequest {
            name: name.to_owned(),
        };
        self.engine()
            .call(self.api().create_group().body(body).send())
            .await
    }

    /// One page of groups (`GET /groups`).
    pub async fn groups_page(
        &self,
        name_contains: Option<&str>,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<Listing<types::Group>, Error> {
        let mut request = self.api().list_groups().offset(to_i64("offset", offset)?);
        match limit.map(NonZeroU64::new) {
            None => {}
            Some(Some(limit)) => request = request.limit(limit),
            Some(None) => return Err(Error::invalid_input("page size", "must be at least 1")),
        }
        if let Some(name) = name_contains {
            request = request.name_contains(name.to_owned());
        }
        let answer = listing::fetch(self.engine(), request.send()).await?;
        GROUPS.listing(self.engine(), answer, |groups| (groups.0, None))
    }

    /// Every group (whose name contains `name_contains`), page by page.
    pub fn groups(
        &self,
        name_contains: Option<String>,
    ) -> impl Stream<Item = Result<types::Group, Error>> + Send + '_ {
        const PAGE: u64 = 100;
        paginate(0, Some(PAGE), move |offset| {
            let name = name_contains.clone();
            async move { self.groups_page(name.as_deref(), offset, Some(PAGE)).await }
        })
    }

    /// One group (`GET /groups/{id}`).
    pub async fn get_group(&self, id: &str) -> Result<types::Group, Error> {
        non_empty("group id", id)?;
        self.engine()
            .call(self.api().get_group().id(id.to_owned()).send())
            .await
    }

    /// Renames a group (`PUT /groups/{id}`).
    pub async fn update_group(&self, id: &str, name: &str) -> Result<types::Group, Error> {
        non_empty("group id", id)?;
        non_empty("group name", name)?;
        let body = types::GroupRequest {
            name: name.to_owned(),
        };
        self.engine()
            .call(
                self.api()
                    .update_group()
                    .id(id.to_owned())
                    .body(body)
                    .send(),
            )
            .await
    }

    /// Deletes a group; its pins stay pinned (`DELETE /groups/{id}`).
    pub async fn delete_group(&self, id: &str) -> Result<(), Error> {
        non_empty("group id", id)?;
        self.engine()
            .call_text(self.api().delete_group().id(id.to_owned()).send())
            .await?;
        Ok(())
    }

    /// Adds pinned CIDs to a group (`PUT /groups/{id}/cids`).
    pub async fn add_cids_to_group(&self, id: &str, cids: &[&str]) -> Result<(), Error> {
        let body = group_cids(id, cids)?;
        self.engine()
            .call_text(
                self.api()
                    .add_cids_to_group()
                    .id(id.to_owned())
                    .body(body)
                    .send(),
            )
            .await?;
        Ok(())
    }

    /// Removes CIDs from a group (`DELETE /groups/{id}/cids`).
    pub async fn remove_cids_from_group(&self, id: &str, cids: &[&str]) -> Result<(), Error> {
        let body = group_cids(id, cids)?;
        self.engine()
            .call_text(
                self.api()
                    .remove_cids_from_group()
                    .id(id.to_owned())
                    .body(body)
                    .send(),
            )
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_cids_are_checked_before_any_request() {
        assert!(group_cids("g", &[]).is_err());
        let error = group_cids("g", &["not-a-cid"]).unwrap_err();
        assert!(error.to_string().contains("CID"), "{error}");
        assert!(
            group_cids(
                " ",
                &["bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"]
            )
            .is_err()
        );
    }
}
