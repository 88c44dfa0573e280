//! `tinyim-server`: the self-hosted IM server for the tinyim SDK.
//!
//! ```text
//! tinyim-server serve --listen HOST:PORT --data-dir DIR --app APPID:SECRET [--app ...]
//! tinyim-server token --app-id APPID --secret SECRET --user USERID [--ttl SECONDS]
//! ```
//!
//! Module map (each file says why it exists):
//! - [`config`]: flags, TOML file, dev app.
//! - [`server`]: wiring and the shutdown sequence; [`shutdown`]: signals.
//! - [`http`]: `/ws`, `/healthz`, `/metrics`, `/dev/token`.
//! - [`connection`]: one WebSocket session; [`session`]: the live-session registry.
//! - [`router`]: peer delivery; [`rooms`]: live rooms and fan-out.
//! - [`store`]: the storage trait, its batching thread, and SQLite.
//! - [`token`]: Token04; [`rate_limit`]; [`metrics`].

mod areas;
mod config;
mod connection;
mod http;
mod metrics;
mod rate_limit;
mod rooms;
mod router;
mod rpc;
mod send_state;
mod server;
mod session;
mod shutdown;
mod store;

use tinyim_server::token;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, DevApp, FileConfig};

#[derive(Parser)]
#[command(
    name = "tinyim-server",
    version,
    about = "Self-hosted IM server for the tinyim SDK"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default when no command is given).
    Serve(ServeArgs),
    /// Print a Token04 login token (AES-256-GCM form) for a user.
    Token(TokenArgs),
}

#[derive(Args, Default)]
struct ServeArgs {
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
    /// TOML config file (listen, data_dir, [[app]] id/secret, ...); flags win over it.
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
    /// Turn off the server-side send rate limit (benchmarks only).
    #[arg(long, hide = true)]
    no_rate_limit: bool,
}

#[derive(Args)]
struct TokenArgs {
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Token(t)) => token_command(t),
        Some(Command::Serve(s)) => serve_command(s),
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

fn resolve(s: ServeArgs) -> Result<Config, String> {
    let file = match &s.config {
        Some(path) => FileConfig::load(path)?,
        None => FileConfig::default(),
    };
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
    Ok(Config {
        listen: s
            .listen
            .or(file.listen)
            .unwrap_or_else(|| config::DEFAULT_LISTEN.to_owned()),
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
    })
}

fn serve_command(s: ServeArgs) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let config = match resolve(s) {
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
