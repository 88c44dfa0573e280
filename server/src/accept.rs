//! Accepting sockets and serving HTTP/1.1 on them: admission by the guard, TLS, and the
//! HTTP limits that bound slow or oversized requests.
//!
//! Each connection is served with hyper's HTTP/1.1 connection builder directly (rather than
//! `axum::serve`), because the limits live there:
//!
//! - **header read timeout**: the request line and headers must arrive within
//!   `--http-header-timeout-seconds`, counted from the connection's start or the end of the
//!   previous response, so a half-sent request line, dripped headers or an idle keep-alive
//!   connection are closed; the same bound applies to the TLS handshake.
//! - **header size limit**: headers over `--http-max-header-bytes` get 431 and a close.
//! - **login deadline**: a connection that is still plain HTTP at its admission's deadline
//!   finishes the response in flight and is closed; one that upgraded to a WebSocket is
//!   bounded by its session instead ([`crate::connection`]).
//!
//! The socket's [`Admission`] and its peer address ride along in the request extensions, so
//! the WebSocket endpoint can hand the admission to the session.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

use crate::guard::{Admission, Guard, Refusal};
use crate::tls::Tls;

/// How long a failed `accept` (out of file descriptors) waits before the next: the listener
/// stays readable while the connection waits in the backlog, so retrying at once would spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(20);
/// How long a connection told to close gets to finish the response in flight.
const CLOSE_GRACE: Duration = Duration::from_secs(5);
/// Connections the metrics listener serves at once (scrapers and probes, not users).
const METRICS_CONNECTIONS: usize = 16;

/// The HTTP limits (`--http-header-timeout-seconds`, `--http-max-header-bytes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpLimits {
    pub header_timeout: Duration,
    pub max_header_bytes: usize,
}

/// Default header read timeout.
pub const DEFAULT_HEADER_TIMEOUT_SECONDS: u64 = 10;
/// Default header size limit: far above what a browser or the SDK sends (well under 2 KiB).
pub const DEFAULT_MAX_HEADER_BYTES: usize = 16 * 1024;
/// hyper's smallest read buffer.
const MIN_READ_BUFFER: usize = 8 * 1024;

/// What every connection of one listener needs.
pub struct Listener {
    pub router: axum::Router,
    pub http: HttpLimits,
    pub tls: Option<Arc<Tls>>,
    pub guard: Arc<Guard>,
    pub shutdown: CancellationToken,
    /// The HTTP connection tasks, so shutdown can wait for them.
    pub tracker: TaskTracker,
}

impl Listener {
    fn builder(&self) -> http1::Builder {
        let mut b = http1::Builder::new();
        b.timer(TokioTimer::new())
            .header_read_timeout(self.http.header_timeout)
            .max_header_size(self.http.max_header_bytes)
            .max_buf_size(self.http.max_header_bytes.max(MIN_READ_BUFFER));
        b
    }

    /// The next accepted socket, or `None` at shutdown. A failed `accept` is counted and
    /// retried after [`ACCEPT_BACKOFF`].
    async fn accept(&self, listener: &TcpListener) -> Option<(TcpStream, SocketAddr)> {
        loop {
            let accepted = tokio::select! {
                _ = self.shutdown.cancelled() => return None,
                a = listener.accept() => a,
            };
            match accepted {
                Ok(a) => return Some(a),
                Err(e) => {
                    self.guard
                        .refuse(Refusal::AcceptFailed, None, &e.to_string());
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            }
        }
    }

    /// Accepts on `listener` until shutdown: every socket is admitted by the guard or
    /// closed at once.
    pub async fn run(self: Arc<Self>, listener: TcpListener) {
        let builder = Arc::new(self.builder());
        while let Some((tcp, peer)) = self.accept(&listener).await {
            let admission = match self.guard.admit(peer) {
                Ok(a) => a,
                Err(reason) => {
                    // Closed before anything is read: the cheapest answer there is.
                    drop(tcp);
                    self.guard.refuse(reason, Some(peer), "");
                    continue;
                }
            };
            // Nagle off: a push is one small write that must leave now. With Nagle on, a
            // second push to a client whose kernel is still delaying its ACK of the first
            // waits up to 40 ms.
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "cannot set TCP_NODELAY");
            }
            let this = Arc::clone(&self);
            let builder = Arc::clone(&builder);
            self.tracker
                .spawn(async move { this.connection(&builder, tcp, peer, Some(admission)).await });
        }
    }

    /// Accepts on the metrics listener until shutdown: plain HTTP, a few connections at a
    /// time, no admission (its routes are `/metrics` and `/healthz` only).
    pub async fn run_metrics(self: Arc<Self>, listener: TcpListener) {
        let builder = Arc::new(self.builder());
        let slots = Arc::new(Semaphore::new(METRICS_CONNECTIONS));
        while let Some((tcp, peer)) = self.accept(&listener).await {
            let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
                drop(tcp);
                self.guard
                    .refuse(Refusal::MetricsConnections, Some(peer), "");
                continue;
            };
            let this = Arc::clone(&self);
            let builder = Arc::clone(&builder);
            self.tracker.spawn(async move {
                this.serve(&builder, tcp, peer, None).await;
                drop(slot);
            });
        }
    }

    /// One accepted socket: the TLS handshake if configured, then HTTP.
    async fn connection(
        &self,
        builder: &http1::Builder,
        tcp: TcpStream,
        peer: SocketAddr,
        admission: Option<Admission>,
    ) {
        let Some(tls) = &self.tls else {
            return self.serve(builder, tcp, peer, admission).await;
        };
        let handshake = tokio::time::timeout(self.http.header_timeout, tls.acceptor().accept(tcp));
        let stream = tokio::select! {
            s = handshake => s,
            why = expired(admission.as_ref()) => {
                self.guard.refuse(why, Some(peer), "during the TLS handshake");
                return;
            }
            _ = self.shutdown.cancelled() => return,
        };
        match stream {
            Ok(Ok(s)) => self.serve(builder, s, peer, admission).await,
            Ok(Err(e)) => self
                .guard
                .refuse(Refusal::TlsHandshake, Some(peer), &e.to_string()),
            Err(_) => self
                .guard
                .refuse(Refusal::TlsHandshake, Some(peer), "timed out"),
        }
    }

    /// Serves HTTP/1.1 on `io` until the client is done, the connection upgrades to a
    /// WebSocket, its login deadline passes, or the server stops.
    async fn serve<I>(
        &self,
        builder: &http1::Builder,
        io: I,
        peer: SocketAddr,
        admission: Option<Admission>,
    ) where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let router = self.router.clone();
        let for_requests = admission.clone();
        let served = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let served_in = Arc::clone(&served);
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            served_in.store(true, std::sync::atomic::Ordering::Relaxed);
            req.extensions_mut().insert(ConnectInfo(peer));
            if let Some(a) = &for_requests {
                req.extensions_mut().insert(a.clone());
            }
            router.clone().oneshot(req)
        });
        let conn = builder
            .serve_connection(TokioIo::new(io), service)
            .with_upgrades();
        tokio::pin!(conn);
        let why = tokio::select! {
            r = conn.as_mut() => {
                if let Err(e) = r {
                    self.http_error(&e, peer, served.load(std::sync::atomic::Ordering::Relaxed));
                }
                return;
            }
            why = expired(admission.as_ref()) => Some(why),
            _ = self.shutdown.cancelled() => None,
        };
        if let Some(why) = why {
            self.guard.refuse(why, Some(peer), "plain HTTP connection");
            if why == Refusal::UnauthenticatedEvicted {
                return; // dropped at once: its place is already someone else's
            }
        }
        conn.as_mut().graceful_shutdown();
        let _ = tokio::time::timeout(CLOSE_GRACE, conn).await;
    }

    /// Counts what hyper gave up on. A header timeout on a connection that was already
    /// served is a keep-alive connection going idle, not a refusal.
    fn http_error(&self, e: &hyper::Error, peer: SocketAddr, served: bool) {
        if e.is_timeout() {
            if served {
                tracing::debug!(%peer, "idle keep-alive connection closed");
            } else {
                self.guard
                    .refuse(Refusal::HeaderTimeout, Some(peer), &e.to_string());
            }
        } else if e.is_parse_too_large() {
            self.guard
                .refuse(Refusal::HeaderTooLarge, Some(peer), &e.to_string());
        } else {
            tracing::debug!(%peer, error = %e, "http connection ended with an error");
        }
    }
}

/// The admission's expiry, or never (the metrics listener has none).
async fn expired(admission: Option<&Admission>) -> Refusal {
    match admission {
        Some(a) => a.expired().await,
        None => std::future::pending().await,
    }
}
