//! Host nodes of a Pinata pin by CID (`pinataOptions.hostNodes`).

use crate::RuleError;

/// The most host nodes a pin by CID may name.
pub const MAX_HOST_NODES: usize = 5;

/// Refuses more than [`MAX_HOST_NODES`] host nodes, or one that is not a multiaddr
/// (a multiaddr starts with `/`).
///
/// ```
/// use pinion_rules::host_nodes::check_host_nodes;
/// assert!(check_host_nodes(&["/ip4/1.2.3.4/tcp/4001/p2p/QmPeer"]).is_ok());
/// assert!(check_host_nodes(&["1.2.3.4:4001"]).is_err());
/// ```
pub fn check_host_nodes<S: AsRef<str>>(nodes: &[S]) -> Result<(), RuleError> {
    if nodes.len() > MAX_HOST_NODES {
        return Err(RuleError::TooManyHostNodes { given: nodes.len() });
    }
    if let Some(bad) = nodes.iter().find(|node| !node.as_ref().starts_with('/')) {
        return Err(RuleError::HostNodeNotMultiaddr {
            given: bad.as_ref().to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_multiaddrs_pass_and_more_or_bare_addresses_are_refused() {
        let node = "/ip4/1.2.3.4/tcp/4001/p2p/QmPeer";
        assert_eq!(check_host_nodes::<&str>(&[]), Ok(()));
        assert_eq!(check_host_nodes(&[node; MAX_HOST_NODES]), Ok(()));
        assert_eq!(
            check_host_nodes(&[node; 6]),
            Err(RuleError::TooManyHostNodes { given: 6 })
        );
        let error = check_host_nodes(&[node, "peer.example:4001"]).unwrap_err();
        assert_eq!(error.subject(), "host node");
        assert!(error.to_string().contains("peer.example:4001"), "{error}");
    }
}
