//! Wiring: open the store, start the store thread, bind, serve, and shut down in order.
//!
//! [`Shared`] is the state every connection task sees: configuration, the session registry,
//! rooms, the store handle, metrics, the guard, the ID generator and the shutdown token.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::accept::Listener;
use crate::calls::CallTimers;
use crate::config::Config;
use crate::guard::Guard;
use crate::metrics::Metrics;
use crate::rooms::Rooms;
use crate::router::Router;
use crate::send_state::SendStates;
use crate::session::Registry;
use crate::store::presence::PresenceStore;
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, StoreHandle};
use crate::tls::{self, Tls};
use crate::{http, shutdown};

/// How long shutdown waits for connections to say goodbye before flushing the store.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(3);

/// State shared by all connections.
pub struct Shared {
    pub config: Config,
    pub registry: Arc<Registry>,
    pub send_states: SendStates,
    pub rooms: Arc<Rooms>,
    /// The timers of the call invitations that ring.
    pub calls: CallTimers,
    pub store: StoreHandle,
    pub metrics: Arc<Metrics>,
    /// Caps, login deadline, failed-login throttle and the refusal log.
    pub guard: Arc<Guard>,
    pub ids: IdGen,
    pub shutdown: CancellationToken,
    pub tracker: TaskTracker,
    /// Group turns and member lists (the groups area).
    pub groups: crate::areas::groups::Groups,
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
    let presence = sqlite
        .load_presence(now_millis())
        .map_err(|e| e.to_string())?;

    let metrics = Arc::new(Metrics::new(&config.node_name));
    let fds = config.fd_limit;
    metrics.open_files_limit.store(fds.soft, Ordering::Relaxed);
    let l = &config.limits;
    tracing::info!(
        open_files = fds.soft,
        was = fds.before,
        hard = fds.hard,
        max_connections = l.max_connections,
        max_connections_per_addr = l.max_connections_per_addr,
        max_unauthenticated = l.max_unauthenticated,
        max_unauthenticated_per_addr = l.max_unauthenticated_per_addr,
        login_timeout_s = l.login_timeout.as_secs(),
        "bounds"
    );
    let tls = match &config.tls {
        Some(f) => Some(Arc::new(Tls::load(&f.cert, &f.key)?)),
        None => None,
    };
    let guard = Guard::new(config.limits.clone(), Arc::clone(&metrics));
    let registry = Arc::new(Registry::default());
    registry.presence.load(presence);
    let router = Router::new(Arc::clone(&registry));
    let (store, store_thread) = StoreHandle::start(
        Box::new(sqlite),
        Box::new(move |stored| router.deliver(stored)),
        Arc::clone(&metrics),
    );
    let shutdown = CancellationToken::new();
    let shared = Arc::new(Shared {
        rooms: Rooms::new(config.room_grace, Arc::clone(&metrics)),
        calls: CallTimers::default(),
        config: config.clone(),
        registry,
        send_states: SendStates::default(),
        store: store.clone(),
        metrics,
        guard: Arc::clone(&guard),
        ids: IdGen::new(max_id),
        shutdown: shutdown.clone(),
        tracker: TaskTracker::new(),
        groups: Default::default(),
    });

    // Calls are stored; their timers are not: arm them again before anyone can log in.
    crate::areas::calls::rearm(&shared).await?;

    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let metrics_listener = match &config.metrics_listen {
        Some(m) => Some(
            tokio::net::TcpListener::bind(m)
                .await
                .map_err(|e| format!("cannot listen on {m} (--metrics-listen): {e}"))?,
        ),
        None => None,
    };
    shutdown::watch_signals(shutdown.clone());
    tls::reload_on_sighup(tls.clone(), shutdown.clone());

    tracing::info!(%addr, data_dir = %config.data_dir.display(), apps = config.apps.len(), tls = tls.is_some(), "tinyim-server ready");
    if let Some(m) = &metrics_listener {
        let maddr = m.local_addr().map_err(|e| e.to_string())?;
        println!("metrics on http://{maddr}/metrics");
    }
    // A stable line on stdout for scripts and tests (the port may have been 0).
    let (ws, web) = if tls.is_some() {
        ("wss", "https")
    } else {
        ("ws", "http")
    };
    println!("tinyim-server listening on {addr} (WebSocket {ws}://{addr}/ws)");
    if let Some((app_id, _)) = shared.dev_app() {
        println!("dev tokens: curl '{web}://{addr}/dev/token?user=alice'  (app id {app_id})");
    }

    let http_tasks = TaskTracker::new();
    let listener_for = |router, tls| {
        Arc::new(Listener {
            router,
            http: config.http.clone(),
            tls,
            guard: Arc::clone(&guard),
            shutdown: shutdown.clone(),
            tracker: http_tasks.clone(),
        })
    };
    if let Some(m) = metrics_listener {
        let l = listener_for(http::metrics_router(Arc::clone(&shared)), None);
        http_tasks.spawn(l.run_metrics(m));
    }
    listener_for(http::router(Arc::clone(&shared)), tls)
        .run(listener)
        .await;

    // Plain HTTP connections finish their responses; WebSocket connections saw the token
    // and are closing with 1001. Give both a moment.
    http_tasks.close();
    shared.tracker.close();
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, http_tasks.wait()).await;
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
