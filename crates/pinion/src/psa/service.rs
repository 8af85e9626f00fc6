//! [`PinningService`] on a Pinning Service API endpoint: a pin's handle is its request
//! id. The standard has no keys and no uploads, so the client offers neither
//! [`KeyManagement`](crate::KeyManagement) nor [`FileUpload`](crate::FileUpload).

use futures::TryStreamExt;

use super::{Client, ListFilter, PinRequest, Status, types};
use crate::Error;
use crate::scopes::Service;
use crate::service::{PinInfo, PinningService};

fn pin_info(pin: types::PinStatus) -> PinInfo {
    PinInfo {
        pinned: Status::parse(&pin.status) == Some(Status::Pinned),
        handle: pin.requestid,
        cid: pin.pin.cid,
        name: pin.pin.name.map(|name| String::clone(&name)),
        size: None,
    }
}

impl PinningService for Client {
    fn service(&self) -> Service {
        Client::service(self)
    }

    async fn test_authentication(&self) -> Result<String, Error> {
        Client::test_authentication(self).await
    }

    async fn pin_cid(&self, cid: &str, name: Option<&str>) -> Result<(), Error> {
        let mut request = PinRequest::new(cid);
        request.name = name.map(str::to_owned);
        self.add(&request).await.map(drop)
    }

    /// Every request not `failed`: pinned, and on its way (`queued`, `pinning`).
    async fn list_pins(&self) -> Result<Vec<PinInfo>, Error> {
        let filter = ListFilter::default()
            .status(Status::Queued)
            .status(Status::Pinning)
            .status(Status::Pinned);
        self.list(filter).map_ok(pin_info).try_collect().await
    }

    async fn get_pin(&self, handle: &str) -> Result<PinInfo, Error> {
        self.get(handle).await.map(pin_info)
    }

    async fn unpin(&self, handle: &str) -> Result<(), Error> {
        self.delete(handle).await
    }
}
