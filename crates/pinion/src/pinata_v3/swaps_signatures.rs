//! Hot swaps (`/files/{network}/swap/{cid}`: a gateway with the Hot Swaps plugin serves
//! another CID in place of one) and EIP-712 content signatures
//! (`/files/{network}/signature/{cid}`).

use super::{Client, Network, types};
use crate::Error;
use crate::args::non_empty;

impl Client {
    /// Serves `swap_cid` in place of `cid` on swap-enabled gateways
    /// (`PUT /files/{network}/swap/{cid}`); `cid` must be one of the account's files.
    ///
    /// ```no_run
    /// # async fn run(client: pinion::pinata_v3::Client) -> Result<(), pinion::Error> {
    /// use pinion::pinata_v3::Network;
    /// client.add_swap(Network::Public, "bafy…old", "bafy…new").await?;
    /// for swap in client.swap_history(Network::Public, "bafy…old", "example.mypinata.cloud").await? {
    ///     println!("{:?} since {:?}", swap.mapped_cid, swap.created_at);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn add_swap(
        &self,
        network: Network,
        cid: &str,
        swap_cid: &str,
    ) -> Result<types::Swap, Error> {
        let cid = crate::cid::parse_input(cid)?.to_string();
        let swap_cid = crate::cid::parse_input(swap_cid)?.to_string();
        let answer = self
            .engine()
            .call(
                self.api()
                    .add_swap()
                    .network(network)
                    .cid(cid)
                    .body(types::SwapRequest { swap_cid })
                    .send(),
            )
            .await?;
        Ok(answer.data)
    }

    /// The swaps of `cid` as the gateway `domain` saw them, newest first
    /// (`GET /files/{network}/swap/{cid}?domain=`); a `None` `mapped_cid` records a
    /// removal.
    pub async fn swap_history(
        &self,
        network: Network,
        cid: &str,
        domain: &str,
    ) -> Result<Vec<types::Swap>, Error> {
        let cid = crate::cid::parse_input(cid)?.to_string();
        non_empty("gateway domain", domain)?;
        let answer = self
            .engine()
            .call(
                self.api()
                    .get_swap_history()
                    .network(network)
                    .cid(cid)
                    .domain(domain.trim())
                    .send(),
            )
            .await?;
        Ok(answer.data)
    }

    /// Stops swapping `cid` (`DELETE /files/{network}/swap/{cid}`).
    pub async fn remove_swap(&self, network: Network, cid: &str) -> Result<(), Error> {
        let cid = crate::cid::parse_input(cid)?.to_string();
        self.engine()
            .call_removal(self.api().delete_swap().network(network).cid(cid).send())
            .await
    }

    /// Attaches an EIP-712 signature by `address` to `cid`
    /// (`POST /files/{network}/signature/{cid}`); the CID must be the account's and
    /// not signed yet.
    pub async fn add_signature(
        &self,
        network: Network,
        cid: &str,
        signature: &str,
        address: &str,
    ) -> Result<types::Signature, Error> {
        let cid = crate::cid::parse_input(cid)?.to_string();
        for (what, value) in [("signature", signature), ("address", address)] {
            if !value.starts_with("0x") || value.len() < 4 {
                return Err(Error::invalid_input(
                    what,
                    "must be a 0x-prefixed hex string",
                ));
            }
        }
        let body = types::SignatureRequest {
            address: address.to_owned(),
            signature: signature.to_owned(),
        };
        let answer = self
            .engine()
            .call(
                self.api()
                    .add_signature()
                    .network(network)
                    .cid(cid)
                    .body(body)
                    .send(),
            )
            .await?;
        Ok(answer.data)
    }

    /// The signature of `cid` (`GET /files/{network}/signature/{cid}`; any account's).
    pub async fn signature(&self, network: Network, cid: &str) -> Result<types::Signature, Error> {
        let cid = crate::cid::parse_input(cid)?.to_string();
        let answer = self
            .engine()
            .call(self.api().get_signature().network(network).cid(cid).send())
            .await?;
        Ok(answer.data)
    }

    /// Removes the signature of `cid` (`DELETE /files/{network}/signature/{cid}`).
    pub async fn remove_signature(&self, network: Network, cid: &str) -> Result<(), Error> {
        let cid = crate::cid::parse_input(cid)?.to_string();
        self.engine()
            .call_removal(
                self.api()
                    .delete_signature()
                    .network(network)
                    .cid(cid)
                    .send(),
            )
            .await
    }
}
