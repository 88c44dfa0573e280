//! The `tinyim-server` command line: flags, config file and environment resolved into a
//! [`Config`], and the `serve` and `token` commands. `main.rs` only calls [`main`].

use crate::{accept, config, fdlimit, guard, server, token};

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, DevApp, FileConfig, LogFormat, TlsFiles};
use crate::fdlimit::FdLimit;
use crate::guard::Limits;

#[derive(Parser)]
#[command(
    name = "tinyim-server",
    version,
    about = "Self-hosted IM server for the tinyim SDK"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the server (the default when no command is given).
    Serve(Box<ServeArgs>),
    /// Print a Token04 login token (AES-256-GCM form) for a user.
    Token(TokenArgs),
}

#[derive(Args, Default)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "TINYIM_LISTEN", value_name = "HOST:PORT")]
    listen: Option<String>,
    /// Directory for the database and the dev app [default: ./data].
    #[arg(long, env = "TINYIM_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// An app and its 32-character server secret; repeat for more apps. Without any, the
    /// server runs in dev mode.
    #[arg(
        long = "app",
        env = "TINYIM_APPS",
        value_name = "APPID:SECRET",
        value_delimiter = ','
    )]
    apps: Vec<String>,
    /// TOML config file: each option below as a key of the same name with `_` (listen,
    /// data_dir, tls_cert, login_timeout_seconds, allowed_origins = [...], ...) and
    /// [[app]] id/secret entries; flags win over it.
    #[arg(long, env = "TINYIM_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Seconds a disconnected room member keeps its membership [default: 30].
    #[arg(long, env = "TINYIM_ROOM_GRACE_SECONDS", value_name = "SECONDS")]
    room_grace_seconds: Option<u64>,
    /// Seconds of silence after which a connection is closed with 4004 [default: 60].
    #[arg(long, env = "TINYIM_HEARTBEAT_TIMEOUT_SECONDS", value_name = "SECONDS")]
    heartbeat_timeout_seconds: Option<u64>,
    /// Seconds after sending during which the sender may revoke a message [default: 120].
    #[arg(long, env = "TINYIM_REVOKE_WINDOW_SECONDS", value_name = "SECONDS")]
    revoke_window_seconds: Option<u64>,
    /// Seconds after sending during which the sender may edit a message [default: 86400].
    #[arg(long, env = "TINYIM_EDIT_WINDOW_SECONDS", value_name = "SECONDS")]
    edit_window_seconds: Option<u64>,
    /// Serve the files of DIR at `/` (for example a web chat page).
    #[arg(long, env = "TINYIM_STATIC_DIR", value_name = "DIR")]
    static_dir: Option<PathBuf>,
    /// A media upload cap, TYPE=BYTES (image, file, audio, video); repeat for more
    /// [default: image=10485760 file=104857600 audio=6291456 video=104857600].
    #[arg(
        long = "max-upload-bytes",
        env = "TINYIM_MAX_UPLOAD_BYTES",
        value_name = "TYPE=BYTES",
        value_delimiter = ','
    )]
    max_upload_bytes: Vec<String>,
    /// Turn off the server-side send rate limit (benchmarks only).
    #[arg(long, hide = true)]
    no_rate_limit: bool,
    /// This server's name: the `node` label of every series on /metrics [default: the host
    /// name, else the listen address].
    #[arg(long, env = "TINYIM_NODE_NAME", value_name = "NAME")]
    node_name: Option<String>,
    /// How log lines (stderr) are written: text, or json (one object per line)
    /// [default: text].
    #[arg(long, env = "TINYIM_LOG_FORMAT", value_name = "FORMAT")]
    log_format: Option<LogFormat>,

    /// PEM certificate chain: serve wss:// and https:// on --listen (needs --tls-key).
    /// SIGHUP reloads both files; open connections are kept.
    #[arg(
        long,
        env = "TINYIM_TLS_CERT",
        value_name = "FILE",
        help_heading = "TLS"
    )]
    tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(
        long,
        env = "TINYIM_TLS_KEY",
        value_name = "FILE",
        help_heading = "TLS"
    )]
    tls_key: Option<PathBuf>,

    /// Seconds a new socket has to log in; no frame or ping extends it. A WebSocket still
    /// not logged in is closed with 4004 [default: 10].
    #[arg(long, env = "TINYIM_LOGIN_TIMEOUT_SECONDS", value_name = "SECONDS", help_heading = BOUNDS)]
    login_timeout_seconds: Option<u64>,
    /// Sockets open at once, in all; more are closed at once [default: the open-file limit
    /// less 64]. 0: no cap.
    #[arg(long, env = "TINYIM_MAX_CONNECTIONS", value_name = "N", help_heading = BOUNDS)]
    max_connections: Option<usize>,
    /// Sockets open at once from one address (IPv4, or IPv6 /64) [default: a quarter of
    /// --max-connections, at most 4096]. 0: no cap.
    #[arg(long, env = "TINYIM_MAX_CONNECTIONS_PER_ADDR", value_name = "N", help_heading = BOUNDS)]
    max_connections_per_addr: Option<usize>,
    /// Sockets not yet logged in, in all; when full the oldest is closed to make room
    /// [default: a quarter of --max-connections, at most 10000]. 0: no cap.
    #[arg(long, env = "TINYIM_MAX_UNAUTHENTICATED", value_name = "N", help_heading = BOUNDS)]
    max_unauthenticated: Option<usize>,
    /// Sockets not yet logged in from one address; more are closed at once [default: an
    /// eighth of --max-unauthenticated, 2 to 128]. 0: no cap.
    #[arg(long, env = "TINYIM_MAX_UNAUTHENTICATED_PER_ADDR", value_name = "N", help_heading = BOUNDS)]
    max_unauthenticated_per_addr: Option<usize>,
    /// Failed logins one address may make per minute (and in a burst); beyond, its logins
    /// are refused with 6000005 unchecked until the budget refills [default: 20]. 0: off.
    #[arg(long, env = "TINYIM_FAILED_LOGINS_PER_MINUTE", value_name = "N", help_heading = BOUNDS)]
    failed_logins_per_minute: Option<u32>,
    /// Seconds an HTTP request line and headers (and a TLS handshake) may take; also how long
    /// an idle keep-alive connection is kept [default: 10].
    #[arg(long, env = "TINYIM_HTTP_HEADER_TIMEOUT_SECONDS", value_name = "SECONDS", help_heading = BOUNDS)]
    http_header_timeout_seconds: Option<u64>,
    /// Largest HTTP request head in bytes; larger gets 431 [default: 16384].
    #[arg(long, env = "TINYIM_HTTP_MAX_HEADER_BYTES", value_name = "BYTES", help_heading = BOUNDS)]
    http_max_header_bytes: Option<usize>,
    /// An origin (https://host[:port]) whose pages may open the WebSocket; repeat for more.
    /// Upgrades with another Origin header get 403; ones without the header pass
    /// [default: any origin].
    #[arg(
        long = "allowed-origin",
        env = "TINYIM_ALLOWED_ORIGINS",
        value_name = "ORIGIN",
        value_delimiter = ',',
        help_heading = BOUNDS
    )]
    allowed_origins: Vec<String>,
    /// Serve /metrics (and /healthz) on this plain-HTTP address only, not on --listen.
    #[arg(long, env = "TINYIM_METRICS_LISTEN", value_name = "HOST:PORT", help_heading = BOUNDS)]
    metrics_listen: Option<String>,
    /// Refuse tokens (login and renewToken) that expire more than SECONDS from now
    /// (6000103) [default: any lifetime].
    #[arg(long, env = "TINYIM_MAX_TOKEN_LIFETIME_SECONDS", value_name = "SECONDS", help_heading = BOUNDS)]
    max_token_lifetime_seconds: Option<u64>,
}

/// The `--help` heading of the bounds on unauthenticated and abusive clients.
const BOUNDS: &str = "Bounds on strangers (0 turns a cap off)";

#[derive(Args)]
pub struct TokenArgs {
    /// The app ID (a number).
    #[arg(long)]
    app_id: u32,
    /// The app's 32-character server secret.
    #[arg(long)]
    secret: String,
    /// The user the token is for.
    #[arg(long)]
    user: String,
    /// Lifetime in seconds.
    #[arg(long, default_value_t = 86_400)]
    ttl: u64,
    /// Free-form payload carried in the token.
    #[arg(long, default_value = "")]
    payload: String,
}

/// Parses the command line and runs the command it names.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Token(t)) => token_command(t),
        Some(Command::Serve(s)) => serve_command(*s),
        None => serve_command(ServeArgs::default()),
    }
}

fn token_command(t: TokenArgs) -> ExitCode {
    if let Err(e) = config::check_secret(t.app_id, &t.secret) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    if !tinyim_protocol::limits::is_valid_user_id(&t.user) {
        eprintln!("error: --user must be 1-32 letters, digits or ZIM's punctuation");
        return ExitCode::from(2);
    }
    println!(
        "{}",
        token::mint(
            t.app_id,
            &t.secret,
            &t.user,
            t.ttl,
            server::now_secs(),
            &t.payload
        )
    );
    ExitCode::SUCCESS
}

/// The `--config` file, or an empty one.
fn load_file(s: &ServeArgs) -> Result<FileConfig, String> {
    match &s.config {
        Some(path) => FileConfig::load(path),
        None => Ok(FileConfig::default()),
    }
}

fn resolve(s: ServeArgs, file: FileConfig, fd_limit: FdLimit) -> Result<Config, String> {
    let limits = limits(&s, &file, fd_limit)?;
    let http = http_limits(&s, &file)?;
    let mut apps = std::collections::BTreeMap::new();
    for a in &file.apps {
        config::check_secret(a.id, &a.secret)?;
        apps.insert(a.id, a.secret.clone());
    }
    for a in s.apps.iter().filter(|a| !a.trim().is_empty()) {
        let (id, secret) = config::parse_app(a.trim())?;
        apps.insert(id, secret);
    }
    let data_dir = s
        .data_dir
        .or(file.data_dir)
        .unwrap_or_else(|| PathBuf::from(config::DEFAULT_DATA_DIR));
    let dev_mode = apps.is_empty();
    if dev_mode {
        std::fs::create_dir_all(&data_dir)
            .map_err(|e| format!("cannot create data dir {}: {e}", data_dir.display()))?;
        let dev = DevApp::load_or_create(&data_dir)?;
        apps.insert(dev.app_id, dev.secret);
    }
    let listen = s
        .listen
        .or(file.listen)
        .unwrap_or_else(|| config::DEFAULT_LISTEN.to_owned());
    // An empty name (`TINYIM_NODE_NAME=`) means "not set", as for the other variables.
    let node_name = [s.node_name, file.node_name]
        .into_iter()
        .flatten()
        .map(|n| n.trim().to_owned())
        .find(|n| !n.is_empty())
        .unwrap_or_else(|| config::default_node_name(&listen));
    Ok(Config {
        listen,
        data_dir,
        apps,
        dev_mode,
        room_grace: Duration::from_secs(
            s.room_grace_seconds
                .or(file.room_grace_seconds)
                .unwrap_or(config::DEFAULT_ROOM_GRACE_SECONDS),
        ),
        heartbeat_timeout: Duration::from_secs(
            s.heartbeat_timeout_seconds
                .or(file.heartbeat_timeout_seconds)
                .unwrap_or(config::DEFAULT_HEARTBEAT_TIMEOUT_SECONDS)
                .max(1),
        ),
        revoke_window: Duration::from_secs(
            s.revoke_window_seconds
                .or(file.revoke_window_seconds)
                .unwrap_or(config::DEFAULT_REVOKE_WINDOW_SECONDS),
        ),
        edit_window: Duration::from_secs(
            s.edit_window_seconds
                .or(file.edit_window_seconds)
                .unwrap_or(config::DEFAULT_EDIT_WINDOW_SECONDS),
        ),
        rate_limit: !s.no_rate_limit,
        static_dir: s.static_dir.or(file.static_dir),
        limits,
        http,
        allowed_origins: {
            let flags = s.allowed_origins.iter().filter(|o| !o.trim().is_empty());
            let listed: Vec<&String> = flags.collect();
            let chosen: Vec<String> = if listed.is_empty() {
                file.allowed_origins.clone().unwrap_or_default()
            } else {
                listed.into_iter().cloned().collect()
            };
            chosen
                .iter()
                .map(|o| config::parse_origin(o))
                .collect::<Result<_, _>>()?
        },
        metrics_listen: s.metrics_listen.or(file.metrics_listen),
        max_token_lifetime: s
            .max_token_lifetime_seconds
            .or(file.max_token_lifetime_seconds)
            .map(Duration::from_secs),
        tls: match (s.tls_cert.or(file.tls_cert), s.tls_key.or(file.tls_key)) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
            (None, None) => None,
            _ => return Err("--tls-cert and --tls-key go together".into()),
        },
        fd_limit,
        node_name,
        log_format: s.log_format.or(file.log_format).unwrap_or_default(),
        file_limits: {
            let mut l = crate::files::FileLimits::default();
            for setting in &s.max_upload_bytes {
                l.set(setting)?;
            }
            l
        },
    })
}

/// The guard's bounds: flags, then the file, then defaults derived from the fd limit.
fn limits(s: &ServeArgs, file: &FileConfig, fd_limit: FdLimit) -> Result<Limits, String> {
    let d = Limits::for_fd_limit(fd_limit);
    let login = s
        .login_timeout_seconds
        .or(file.login_timeout_seconds)
        .unwrap_or(guard::DEFAULT_LOGIN_TIMEOUT_SECONDS);
    if login == 0 {
        return Err("--login-timeout-seconds must be at least 1".into());
    }
    let max_connections = s
        .max_connections
        .or(file.max_connections)
        .unwrap_or(d.max_connections);
    // The other caps' defaults follow an explicit total, so one flag scales them all.
    let d = match max_connections {
        0 => d,
        n => Limits::for_connections(n),
    };
    let max_unauthenticated = s
        .max_unauthenticated
        .or(file.max_unauthenticated)
        .unwrap_or(d.max_unauthenticated);
    Ok(Limits {
        login_timeout: Duration::from_secs(login),
        max_connections,
        max_connections_per_addr: s
            .max_connections_per_addr
            .or(file.max_connections_per_addr)
            .unwrap_or(d.max_connections_per_addr),
        max_unauthenticated,
        max_unauthenticated_per_addr: s
            .max_unauthenticated_per_addr
            .or(file.max_unauthenticated_per_addr)
            .unwrap_or(d.max_unauthenticated_per_addr),
        failed_logins_per_minute: s
            .failed_logins_per_minute
            .or(file.failed_logins_per_minute)
            .unwrap_or(d.failed_logins_per_minute),
    })
}

fn http_limits(s: &ServeArgs, file: &FileConfig) -> Result<accept::HttpLimits, String> {
    let timeout = s
        .http_header_timeout_seconds
        .or(file.http_header_timeout_seconds)
        .unwrap_or(accept::DEFAULT_HEADER_TIMEOUT_SECONDS);
    if timeout == 0 {
        return Err("--http-header-timeout-seconds must be at least 1".into());
    }
    let bytes = s
        .http_max_header_bytes
        .or(file.http_max_header_bytes)
        .unwrap_or(accept::DEFAULT_MAX_HEADER_BYTES);
    if bytes < config::MIN_HEADER_BYTES {
        return Err(format!(
            "--http-max-header-bytes must be at least {}",
            config::MIN_HEADER_BYTES
        ));
    }
    Ok(accept::HttpLimits {
        header_timeout: Duration::from_secs(timeout),
        max_header_bytes: bytes,
    })
}

/// Installs the log subscriber: stderr, one line per event, `RUST_LOG` filter (default
/// `info`), in `format`.
fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    match format {
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        // No colour codes inside JSON strings.
        LogFormat::Json => builder.json().with_ansi(false).init(),
    }
}

pub fn serve_command(s: ServeArgs) -> ExitCode {
    // The file is read first: it may choose the log format, and the subscriber has to be in
    // place before the first event.
    let file = match load_file(&s) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(s.log_format.or(file.log_format).unwrap_or_default());
    // Before anything opens a file, and before the caps are derived from it.
    let fd_limit = fdlimit::raise();
    let config = match resolve(s, file, fd_limit) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if config.dev_mode {
        if let Some((id, secret)) = config.apps.iter().next() {
            let bar = "=".repeat(72);
            tracing::warn!("DEV MODE: no --app configured; using the dev app {id}. Never run this in production.");
            println!("{bar}\n  DEV MODE: no app configured. Anyone can mint tokens at /dev/token.\n  NEVER RUN THIS IN PRODUCTION: pass --app APPID:SECRET instead.\n  dev app id:     {id}\n  dev app secret: {secret}\n  (kept in {}/dev-app.json)\n{bar}", config.data_dir.display());
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(server::serve(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
