//! The HTTP side: the WebSocket endpoint and the plain routes, all on one port.
//!
//! - `GET /ws`: upgrade to a protocol session ([`crate::connection`]). The frame cap is set on
//!   the WebSocket reader itself, so an oversized frame is refused from its header, before
//!   its payload is read or allocated. With `--allowed-origin`, an upgrade whose `Origin`
//!   header names another site is refused with 403 (one without the header is let through:
//!   the list keeps other web pages from using a visitor's browser, and clients that are not
//!   browsers, mini program runtimes among them, may send none and could send any).
//! - `GET /healthz`: 200 once the server is ready (the store is open and the port bound,
//!   since routes are served only after both).
//! - `GET /metrics`: Prometheus text; on `--metrics-listen` instead when that is set
//!   ([`metrics_router`]), and then 404 here.
//! - `GET /dev/token?user=ID`: dev mode only; mints a token for the dev app (CORS open so a
//!   browser page on another origin can fetch it).
//! - `POST /files`, `GET /files/<app>/<id>`: media message files ([`crate::files`]).
//! - anything else: a file under `--static-dir`, if one was given (e.g. a web chat page served
//!   from the same origin as its WebSocket); 404 otherwise.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Extension;
use axum::Router;
use serde::Deserialize;
use tinyim_protocol::limits::{is_valid_user_id, MAX_CLIENT_FRAME_LEN};

use crate::guard::{Admission, Refusal};
use crate::server::{now_secs, Shared};
use crate::{connection, token};

/// Initial WebSocket read buffer per connection: every idle connection keeps it, so 512
/// bytes (pings, acks and ordinary sends fit; a larger frame grows it). At 4 KiB it was a
/// quarter of an idle connection's memory.
const READ_BUFFER: usize = 512;
/// WebSocket write buffer per connection before frames are flushed.
const WRITE_BUFFER: usize = 16 * 1024;

/// Lifetime of tokens minted by `/dev/token`.
const DEV_TOKEN_TTL: u64 = 24 * 3600;

/// All routes of `--listen`.
pub fn router(shared: Arc<Shared>) -> Router {
    let mut r = Router::new()
        .route("/ws", get(ws))
        .route("/healthz", get(healthz))
        .route("/dev/token", get(dev_token))
        .merge(crate::files::router(&shared));
    if shared.config.metrics_listen.is_none() {
        r = r.route("/metrics", get(metrics));
    }
    r.fallback(get(static_file)).with_state(shared)
}

/// The routes of `--metrics-listen`.
pub fn metrics_router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .with_state(shared)
}

async fn ws(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Extension(admission): Extension<Admission>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    if shared.shutdown.is_cancelled() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        if !origin_allowed(&shared.config.allowed_origins, origin.as_bytes()) {
            let shown = String::from_utf8_lossy(origin.as_bytes());
            shared.guard.refuse(Refusal::Origin, Some(peer), &shown);
            return (StatusCode::FORBIDDEN, "origin not allowed\n").into_response();
        }
    }
    let tracker = shared.tracker.clone();
    upgrade
        // Most frames are small: a 128 KiB default read buffer per idle connection would
        // dominate memory (the buffer grows on demand up to the frame cap).
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .max_message_size(MAX_CLIENT_FRAME_LEN)
        .max_frame_size(MAX_CLIENT_FRAME_LEN)
        .on_upgrade(move |socket| {
            tracker.track_future(connection::run(socket, shared, peer, admission))
        })
}

/// `true` if `origin` is on `allowed` (an empty list allows every origin). Origins are
/// compared as browsers send them, ignoring ASCII case.
fn origin_allowed(allowed: &[String], origin: &[u8]) -> bool {
    allowed.is_empty()
        || allowed
            .iter()
            .any(|a| a.as_bytes().eq_ignore_ascii_case(origin))
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    (
        [(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)],
        shared.metrics.render(shared.registry.len()),
    )
        .into_response()
}

#[derive(Deserialize)]
struct DevTokenQuery {
    user: Option<String>,
    ttl: Option<u64>,
}

async fn dev_token(State(shared): State<Arc<Shared>>, Query(q): Query<DevTokenQuery>) -> Response {
    let cors = [(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")];
    let Some((app_id, secret)) = shared.dev_app() else {
        return (StatusCode::NOT_FOUND, cors, "dev mode is off\n").into_response();
    };
    let user = q.user.unwrap_or_default();
    if !is_valid_user_id(&user) {
        return (
            StatusCode::BAD_REQUEST,
            cors,
            "?user=ID required: 1-32 letters, digits or ZIM's punctuation\n",
        )
            .into_response();
    }
    let now = now_secs();
    let ttl = q.ttl.unwrap_or(DEV_TOKEN_TTL).clamp(1, 30 * 24 * 3600);
    let token = token::mint(app_id, secret, &user, ttl, now, "");
    let body = serde_json::json!({
        "token": token,
        "appID": app_id,
        "userID": user,
        "expire": now + ttl,
    });
    (
        cors,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Serves `GET /path` from the static dir. Only plain relative paths are served: any `..`,
/// backslash or NUL is refused, so nothing outside the dir is reachable.
async fn static_file(State(shared): State<Arc<Shared>>, uri: axum::http::Uri) -> Response {
    let Some(root) = shared.config.static_dir.as_ref() else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let mut rel = uri.path().trim_start_matches('/').to_owned();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    let unsafe_path = rel
        .split('/')
        .any(|c| c.is_empty() || c == ".." || c == "." || c.contains(['\\', '\0']));
    if unsafe_path {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    let path = root.join(&rel);
    match tokio::fs::read(&path).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, content_type(&rel))], bytes).into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
