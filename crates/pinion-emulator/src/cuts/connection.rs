//! Connections that can be cut from a request handler: a [`CutSwitch`] per accepted
//! connection, which makes its reads and writes fail and resets the socket.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use futures::task::AtomicWaker;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// Cuts one connection: once thrown, every read and write of the connection fails and
/// its socket is reset when the server drops it.
#[derive(Clone, Debug, Default)]
pub(crate) struct CutSwitch(Arc<Switch>);

#[derive(Debug, Default)]
struct Switch {
    thrown: AtomicBool,
    /// The connection task, woken when the switch is thrown so it notices at once.
    waker: AtomicWaker,
}

impl CutSwitch {
    /// Cuts the connection.
    pub(crate) fn throw(&self) {
        self.0.thrown.store(true, Ordering::SeqCst);
        self.0.waker.wake();
    }

    /// Whether the switch was thrown.
    #[cfg(test)]
    pub(crate) fn is_thrown(&self) -> bool {
        self.0.thrown.load(Ordering::SeqCst)
    }

    /// Whether the connection was cut; registers `cx` to be woken when it is.
    fn poll_thrown(&self, cx: &mut Context<'_>) -> bool {
        if self.0.thrown.load(Ordering::SeqCst) {
            return true;
        }
        self.0.waker.register(cx.waker());
        self.0.thrown.load(Ordering::SeqCst)
    }
}

/// The plain port's listener: a [`TcpListener`] whose connections carry a
/// [`CutSwitch`].
#[derive(Debug)]
pub(crate) struct CuttableListener(pub(crate) TcpListener);

impl Listener for CuttableListener {
    type Io = CuttableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = Listener::accept(&mut self.0).await;
        let stream = CuttableStream {
            io,
            switch: CutSwitch::default(),
            reset: false,
        };
        (stream, addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

impl Connected<IncomingStream<'_, CuttableListener>> for CutSwitch {
    fn connect_info(stream: IncomingStream<'_, CuttableListener>) -> Self {
        stream.io().switch.clone()
    }
}

/// An accepted connection with its [`CutSwitch`].
#[derive(Debug)]
pub(crate) struct CuttableStream {
    io: TcpStream,
    switch: CutSwitch,
    /// `SO_LINGER` 0 is set: closing the socket sends a reset.
    reset: bool,
}

impl CuttableStream {
    /// The error of every read and write once the switch is thrown (making the socket
    /// reset when closed, as a dead connection looks to the client).
    fn cut(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        if !self.switch.poll_thrown(cx) {
            return None;
        }
        if !self.reset {
            self.reset = true;
            if let Err(error) = self.io.set_zero_linger() {
                tracing::debug!(%error, "could not set SO_LINGER on a cut connection");
            }
        }
        Some(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "connection cut by the emulator's fault injection",
        ))
    }
}

impl AsyncRead for CuttableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if let Some(error) = self.cut(cx) {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl AsyncWrite for CuttableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Some(error) = self.cut(cx) {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if let Some(error) = self.cut(cx) {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(error) = self.cut(cx) {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(error) = self.cut(cx) {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
