//! Server configuration: command-line flags, an optional TOML file, and the dev app.
//!
//! Precedence: flags (and their `TINYIM_*` environment variables, handled by clap) win over
//! the TOML file, which wins over the defaults. Apps from flags and file are merged. With no
//! app at all the server runs in dev mode with an app it creates once and keeps in the data
//! dir, so restarting a dev server does not invalidate the tokens a developer already minted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::distr::Alphanumeric;
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::accept::HttpLimits;
use crate::fdlimit::FdLimit;
use crate::guard::Limits;
use crate::token;

/// Default listen address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Default data directory.
pub const DEFAULT_DATA_DIR: &str = "./data";
/// How long a disconnected room member stays a member (docs/protocol.md: 30 s).
pub const DEFAULT_ROOM_GRACE_SECONDS: u64 = 30;
/// Silence after which the server closes a connection with 4004 (docs/protocol.md: 60 s).
pub const DEFAULT_HEARTBEAT_TIMEOUT_SECONDS: u64 = 60;
/// How long after sending a message its sender may revoke it: ZIM's documented default
/// ("only allows recalling messages within 2 minutes"), so apps keep the rule they know.
pub const DEFAULT_REVOKE_WINDOW_SECONDS: u64 = 120;
/// How long after sending a message its sender may edit it: ZIM's 24 hours.
pub const DEFAULT_EDIT_WINDOW_SECONDS: u64 = 86_400;

/// Everything `serve` needs, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: String,
    pub data_dir: PathBuf,
    /// App ID -> 32-byte server secret.
    pub apps: BTreeMap<u32, String>,
    /// No app was configured: a dev app was created and `/dev/token` is served.
    pub dev_mode: bool,
    pub room_grace: Duration,
    pub heartbeat_timeout: Duration,
    /// A sender may revoke a message this long after sending it.
    pub revoke_window: Duration,
    /// A sender may edit a message this long after sending it.
    pub edit_window: Duration,
    /// Server-side send rate limit (ZIM-API.md §6); off only for benchmarks.
    pub rate_limit: bool,
    /// Files served at `/` (a web page next to its WebSocket), if any.
    pub static_dir: Option<PathBuf>,
    /// Caps, login deadline and failed-login throttle (crate::guard).
    pub limits: Limits,
    /// Header timeout and size limit (crate::accept).
    pub http: HttpLimits,
    /// Origins allowed to open the WebSocket; empty: any.
    pub allowed_origins: Vec<String>,
    /// Where `/metrics` is served instead of `listen`, if set.
    pub metrics_listen: Option<String>,
    /// Tokens expiring further ahead than this are refused, if set.
    pub max_token_lifetime: Option<Duration>,
    /// Serve `wss://` and `https://` with these files (crate::tls).
    pub tls: Option<TlsFiles>,
    /// The open-file limit the server runs with (crate::fdlimit).
    pub fd_limit: FdLimit,
    /// This server's name: the `node` label of every `/metrics` series.
    pub node_name: String,
    /// How log lines are written.
    pub log_format: LogFormat,
    /// Upload caps per media type (crate::files).
    pub file_limits: crate::files::FileLimits,
}

/// `--log-format`: how the server writes its log lines (one line per event either way).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable: time, level, message, then the fields as `key=value`.
    #[default]
    Text,
    /// One JSON object per line (`timestamp`, `level`, `fields.message`, the other fields
    /// in `fields`, and `span`/`spans` inside a span), for log collectors.
    Json,
}

/// The default `--node-name`: the host name, or else the listen address (which tells apart
/// servers that share a host).
pub fn default_node_name(listen: &str) -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|h| h.trim().to_owned())
        .find(|h| !h.is_empty())
        .unwrap_or_else(|| listen.to_owned())
}

/// `--tls-cert` and `--tls-key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// The optional TOML file (`--config FILE`).
///
/// ```toml
/// listen = "0.0.0.0:8080"
/// data_dir = "/var/lib/tinyim"
/// room_grace_seconds = 30
/// heartbeat_timeout_seconds = 60
/// tls_cert = "/etc/tinyim/fullchain.pem"
/// tls_key = "/etc/tinyim/key.pem"
/// login_timeout_seconds = 10
/// allowed_origins = ["https://chat.example.com"]
/// metrics_listen = "127.0.0.1:9100"
/// revoke_window_seconds = 120
/// edit_window_seconds = 86400
/// node_name = "im-eu-1"
/// log_format = "json"
///
/// [[app]]
/// id = 1234567890
/// secret = "0123456789abcdef0123456789abcdef"
/// ```
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub room_grace_seconds: Option<u64>,
    pub heartbeat_timeout_seconds: Option<u64>,
    pub revoke_window_seconds: Option<u64>,
    pub edit_window_seconds: Option<u64>,
    pub static_dir: Option<PathBuf>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub login_timeout_seconds: Option<u64>,
    pub max_connections: Option<usize>,
    pub max_connections_per_addr: Option<usize>,
    pub max_unauthenticated: Option<usize>,
    pub max_unauthenticated_per_addr: Option<usize>,
    pub failed_logins_per_minute: Option<u32>,
    pub http_header_timeout_seconds: Option<u64>,
    pub http_max_header_bytes: Option<usize>,
    pub allowed_origins: Option<Vec<String>>,
    pub metrics_listen: Option<String>,
    pub max_token_lifetime_seconds: Option<u64>,
    pub node_name: Option<String>,
    pub log_format: Option<LogFormat>,
    #[serde(default, rename = "app")]
    pub apps: Vec<FileApp>,
}

/// One `[[app]]` entry of the TOML file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileApp {
    pub id: u32,
    pub secret: String,
}

impl FileConfig {
    /// Reads and parses `path`.
    pub fn load(path: &Path) -> Result<FileConfig, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("bad config file {}: {e}", path.display()))
    }
}

/// Parses one `--app APPID:SECRET`.
pub fn parse_app(s: &str) -> Result<(u32, String), String> {
    let (id, secret) = s
        .split_once(':')
        .ok_or_else(|| format!("--app {s:?}: expected APPID:SECRET"))?;
    let id: u32 = id
        .trim()
        .parse()
        .map_err(|_| format!("--app {s:?}: APPID must be a number below 2^32"))?;
    check_secret(id, secret)?;
    Ok((id, secret.to_owned()))
}

/// Checks one `--allowed-origin`: an origin as browsers send it (`https://host[:port]`),
/// without a path; a trailing `/` is dropped.
pub fn parse_origin(s: &str) -> Result<String, String> {
    let o = s.trim().trim_end_matches('/');
    let host = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"))
        .unwrap_or("");
    if host.is_empty() || host.contains(['/', '?', '#', ' ']) {
        return Err(format!(
            "--allowed-origin {s:?}: expected an origin such as https://chat.example.com"
        ));
    }
    Ok(o.to_owned())
}

/// The smallest `--http-max-header-bytes`: a WebSocket upgrade from a browser is ~1 KiB.
pub const MIN_HEADER_BYTES: usize = 2048;

/// A Token04 secret is exactly 32 bytes (used as an AES-256 key).
pub fn check_secret(app_id: u32, secret: &str) -> Result<(), String> {
    if token::is_valid_secret(secret) {
        Ok(())
    } else {
        Err(format!(
            "app {app_id}: the secret must be exactly 32 characters (it is the AES-256 key), got {}",
            secret.len()
        ))
    }
}

/// The dev app, kept in `DATA_DIR/dev-app.json` across restarts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DevApp {
    pub app_id: u32,
    pub secret: String,
}

impl DevApp {
    /// Loads the dev app from `data_dir`, creating (and saving) a new one if there is none.
    pub fn load_or_create(data_dir: &Path) -> Result<DevApp, String> {
        let path = data_dir.join("dev-app.json");
        if let Ok(text) = std::fs::read_to_string(&path) {
            let app: DevApp = serde_json::from_str(&text).map_err(|e| {
                format!("bad {}: {e} (delete it to make a new one)", path.display())
            })?;
            check_secret(app.app_id, &app.secret)?;
            return Ok(app);
        }
        let mut rng = rand::rng();
        let app = DevApp {
            // ZEGO app IDs are 9-10 digit numbers; stay in that shape.
            app_id: rng.random_range(1_000_000_000..=4_000_000_000u32),
            secret: (&mut rng)
                .sample_iter(Alphanumeric)
                .take(32)
                .map(char::from)
                .collect(),
        };
        let json = serde_json::to_string_pretty(&app).map_err(|e| e.to_string())?;
        std::fs::write(&path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(app)
    }
}
