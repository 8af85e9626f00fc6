//! Hot swaps as the gateway honours them (reference §5.3, §7): only once the gateway's
//! Hot Swaps plugin is installed (the emulator's control route, [`super::plugins`]), a
//! request for a CID whose swap is in force on that network serves the target's content
//! instead, and the response's `etag` names the target. Without the plugin, swaps have
//! no effect on the gateway. The swap is followed once (a target's own swap is not),
//! and only to content the emulator can serve publicly or as one of the account's
//! private files: a target whose bytes are private elsewhere, or unknown, is a 404.

use crate::content;
use crate::pinata_v3::Network;
use crate::pinata_v3::files::find_by_cid;
use crate::state::Data;
use crate::state::gateway::the_gateway;
use crate::state::pinata::swap_target;

/// The CID the gateway serves for a request of `cid` (which the caller has allowed) on
/// `network`: the swap target when the plugin is installed and a swap is in force, else
/// `cid` itself. `None` when the target is not content the gateway may serve.
pub(super) fn served_cid(data: &Data, network: Network, cid: &str) -> Option<String> {
    let plugin = the_gateway(data).is_some_and(|gateway| gateway.hot_swaps);
    let Some(target) = swap_target(data, network, cid).filter(|_| plugin) else {
        return Some(cid.to_owned());
    };
    let servable = content::published(data, target).is_some()
        || (network == Network::Private && find_by_cid(data, network, target).is_some());
    servable.then(|| target.to_owned())
}
