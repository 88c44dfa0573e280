//! Wiring: open the store, start the store thread, bind, serve, and shut down in order.
//!
//! [`Shared`] is the state every connection task sees: configuration, the session registry,
//! rooms, the store handle, metrics, the ID generator and the shutdown token.

use axum::serve::ListenerExt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::metrics::Metrics;
use crate::rooms::Rooms;
use crate::router::Router;
use crate::send_state::SendStates;
use crate::session::Registry;
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, StoreHandle};
use crate::{http, shutdown};

/// How long shutdown waits for connections to say goodbye before flushing the store.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(3);

/// State shared by all connections.
pub struct Shared {
    pub config: Config,
    pub registry: Arc<Registry>,
    pub send_states: SendStates,
    pub rooms: Arc<Rooms>,
    pub store: StoreHandle,
    pub metrics: Arc<Metrics>,
    pub ids: IdGen,
    pub shutdown: CancellationToken,
    pub tracker: TaskTracker,
}

impl Shared {
    /// The dev app's (id, secret), in dev mode.
    pub fn dev_app(&self) -> Option<(u32, &str)> {
        if !self.config.dev_mode {
            return None;
        }
        self.config
            .apps
            .iter()
            .next()
            .map(|(id, s)| (*id, s.as_str()))
    }
}

/// Unique, increasing IDs for messages and sessions: at least the last ID + 1, and at least
/// the current Unix milliseconds times 1024, so IDs keep increasing across restarts (room
/// messages are never stored) and stay below 2^53 (they travel to JS as numbers or strings).
pub struct IdGen(AtomicU64);

impl IdGen {
    pub fn new(floor: u64) -> Self {
        IdGen(AtomicU64::new(floor))
    }

    pub fn next(&self) -> u64 {
        let base = now_millis() << 10;
        let prev = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |p| {
                Some(p.saturating_add(1).max(base))
            })
            .unwrap_or(0);
        prev.saturating_add(1).max(base)
    }
}

/// Unix time in milliseconds.
pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Unix time in seconds.
pub fn now_secs() -> u64 {
    now_millis() / 1000
}

/// Runs the server until SIGTERM/SIGINT, then shuts down cleanly.
pub async fn serve(config: Config) -> Result<(), String> {
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| format!("cannot create data dir {}: {e}", config.data_dir.display()))?;
    let db_path = config.data_dir.join("tinyim.db");
    let mut sqlite = SqliteStore::open(&db_path)
        .map_err(|e| format!("cannot open {}: {e}", db_path.display()))?;
    let max_id = sqlite.max_message_id().map_err(|e| e.to_string())?;

    let metrics = Arc::new(Metrics::default());
    let registry = Arc::new(Registry::default());
    let router = Router::new(Arc::clone(&registry));
    let (store, store_thread) = StoreHandle::start(
        sqlite,
        Box::new(move |stored| router.deliver(stored)),
        Arc::clone(&metrics),
    );
    let shutdown = CancellationToken::new();
    let shared = Arc::new(Shared {
        rooms: Arc::new(Rooms::new(config.room_grace, Arc::clone(&metrics))),
        config: config.clone(),
        registry,
        send_states: SendStates::default(),
        store: store.clone(),
        metrics,
        ids: IdGen::new(max_id),
        shutdown: shutdown.clone(),
        tracker: TaskTracker::new(),
    });

    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    shutdown::watch_signals(shutdown.clone());

    tracing::info!(%addr, data_dir = %config.data_dir.display(), apps = config.apps.len(), "tinyim-server ready");
    // A stable line on stdout for scripts and tests (the port may have been 0).
    println!("tinyim-server listening on {addr} (WebSocket ws://{addr}/ws)");
    if let Some((app_id, _)) = shared.dev_app() {
        println!("dev tokens: curl 'http://{addr}/dev/token?user=alice'  (app id {app_id})");
    }

    let app = http::router(Arc::clone(&shared));
    // Nagle off: a push is one small write that must leave now. With Nagle on, a second push
    // to a client whose kernel is still delaying its ACK of the first waits up to 40 ms.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "cannot set TCP_NODELAY");
        }
    });
    let result = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown.clone().cancelled_owned())
    .await;
    if let Err(e) = result {
        tracing::error!(error = %e, "http server failed");
        shutdown.cancel();
    }

    // Connections saw the token and are closing with 1001; give them a moment.
    shared.tracker.close();
    if tokio::time::timeout(DRAIN_TIMEOUT, shared.tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!("shutdown: some connections did not finish in time");
    }
    store.close().await;
    let _ = tokio::task::spawn_blocking(move || store_thread.join()).await;
    tracing::info!("shutdown complete");
    Ok(())
}
