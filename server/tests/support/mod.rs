//! Test support: start the real `tinyim-server` binary on an ephemeral loopback port, make
//! tokens with an independent Token04 implementation (Node's crypto), and talk the wire
//! protocol with a small raw client (tokio-tungstenite + tinyim_protocol).

#![allow(dead_code)]

pub mod pki;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use tinyim_protocol::limits::MAX_SERVER_FRAME_LEN;
use tinyim_protocol::{Body, Frame, HistoryQuery, Login, LoginOk};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const APP: u32 = 1_234_567_890;
pub const SECRET: &str = "0123456789abcdef0123456789abcdef";
pub const APP2: u32 = 987_654_321;
pub const SECRET2: &str = "fedcba9876543210fedcba9876543210";

/// How long a test waits for any one frame.
pub const WAIT: Duration = Duration::from_secs(10);

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A fresh, empty data directory under the system temp dir.
pub fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "tinyim-server-test-{}-{}-{}",
        tag,
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The server binary, running.
pub struct Server {
    child: Option<Child>,
    pub addr: String,
    pub data_dir: PathBuf,
    /// stdout lines printed before "listening".
    pub banner: Vec<String>,
    /// Remove `data_dir` on drop (it was made for this server alone).
    owns_dir: bool,
    /// stderr lines, when [`Launch::log`] asked for them.
    pub log: Arc<Mutex<Vec<String>>>,
}

/// How to start the server, beyond its arguments ([`Server::launch`]).
#[derive(Default)]
pub struct Launch<'a> {
    /// A command the server runs under, such as `["prlimit", "--nofile=512"]`.
    pub prefix: &'a [&'a str],
    /// `RUST_LOG` for the server; its stderr is then kept in [`Server::log`].
    pub log: Option<&'a str>,
}

impl Server {
    /// Starts the server with the two test apps and short timers.
    pub fn start(tag: &str) -> Server {
        let dir = temp_dir(tag);
        let mut s = Server::start_in(&dir, &default_args());
        s.owns_dir = true;
        s
    }

    /// Starts the server on `data_dir` with `extra` arguments after `serve` (an ephemeral
    /// loopback port unless `extra` has `--listen`).
    pub fn start_in(data_dir: &Path, extra: &[String]) -> Server {
        Server::launch(data_dir, extra, Launch::default())
    }

    /// [`Server::start_in`] with a command prefix or a captured log.
    pub fn launch(data_dir: &Path, extra: &[String], how: Launch) -> Server {
        let bin = env!("CARGO_BIN_EXE_tinyim-server");
        let mut cmd = match how.prefix.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(bin);
                c
            }
            None => Command::new(bin),
        };
        cmd.arg("serve");
        if !extra.iter().any(|a| a == "--listen") {
            cmd.arg("--listen").arg("127.0.0.1:0");
        }
        cmd.arg("--data-dir")
            .arg(data_dir)
            .args(extra)
            .env(
                "RUST_LOG",
                how.log
                    .map(str::to_owned)
                    .or_else(|| std::env::var("TINYIM_TEST_LOG").ok())
                    .unwrap_or_else(|| "warn".into()),
            )
            .stdout(Stdio::piped())
            .stderr(if how.log.is_some() {
                Stdio::piped()
            } else {
                Stdio::inherit()
            });
        let mut child = cmd.spawn().expect("spawn tinyim-server");
        let log = Arc::new(Mutex::new(Vec::new()));
        if let Some(stderr) = child.stderr.take() {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    log.lock().unwrap().push(line);
                }
            });
        }
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let mut banner = Vec::new();
        let addr = loop {
            let line = lines
                .next()
                .expect("server exited before listening")
                .unwrap();
            if let Some(rest) = line.strip_prefix("tinyim-server listening on ") {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
            banner.push(line);
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child: Some(child),
            addr,
            data_dir: data_dir.to_owned(),
            banner,
            owns_dir: false,
            log,
        }
    }

    /// The server's stderr lines so far that contain `needle` (with [`Launch::log`]).
    pub fn log_lines(&self, needle: &str) -> Vec<String> {
        let log = self.log.lock().unwrap();
        log.iter().filter(|l| l.contains(needle)).cloned().collect()
    }

    /// The value of the metric line that starts with `series` (a name with its labels).
    pub async fn metric(&self, series: &str) -> f64 {
        let (_, text) = self.http_get("/metrics").await;
        metric_in(&text, series)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// Sends SIGTERM and waits for the exit status (panics after 10 s).
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        let ok = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(ok.success());
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("server did not exit within 10 s of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the process with SIGKILL (no shutdown, no flush: a crash) and reaps it.
    pub fn kill(&mut self) {
        let mut child = self.child.take().unwrap();
        child.kill().expect("SIGKILL tinyim-server");
        child.wait().expect("reap tinyim-server");
    }

    /// `true` while the process runs.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.as_mut().map(|c| c.try_wait()), Some(Ok(None)))
    }

    /// GET `path` over plain HTTP/1.1; returns (status, headers+body text).
    pub async fn http_get(&self, path: &str) -> (u16, String) {
        let s = TcpStream::connect(&self.addr).await.unwrap();
        get_on(s, &self.addr, path).await.unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        if self.owns_dir {
            let _ = std::fs::remove_dir_all(&self.data_dir);
        }
    }
}

// ----- TLS ------------------------------------------------------------------------------------

/// A TLS client configuration that trusts only `ca_pem` (ring as the crypto provider).
pub fn tls_client_config(ca_pem: &str) -> Arc<tokio_rustls::rustls::ClientConfig> {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::CertificateDer;
    use tokio_rustls::rustls::{crypto, ClientConfig, RootCertStore};
    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(ca_pem.as_bytes()).expect("CA PEM"))
        .expect("CA certificate");
    let config = ClientConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// A TLS connection to `addr` (a loopback `IP:PORT`) trusting `config`'s roots.
pub async fn tls_connect(
    addr: &str,
    config: Arc<tokio_rustls::rustls::ClientConfig>,
) -> std::io::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    let tcp = TcpStream::connect(addr).await?;
    let ip = addr
        .rsplit_once(':')
        .map(|(h, _)| h)
        .unwrap_or(addr)
        .to_owned();
    let name = tokio_rustls::rustls::pki_types::ServerName::try_from(ip)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
}

/// GET `path` over HTTPS/1.1; returns (status, headers+body text).
pub async fn https_get(
    addr: &str,
    path: &str,
    config: Arc<tokio_rustls::rustls::ClientConfig>,
) -> std::io::Result<(u16, String)> {
    get_on(tls_connect(addr, config).await?, addr, path).await
}

/// One `GET path` with `Connection: close` on `stream`; returns (status, headers+body text)
/// once the server closes (status 0 if it answered nothing).
pub async fn get_on(
    mut stream: impl tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    host: &str,
    path: &str,
) -> std::io::Result<(u16, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(req.as_bytes()).await?;
    let mut buf = Vec::new();
    // A TLS server may end the connection without close_notify after `Connection: close`;
    // what was read until then is the answer.
    if let Err(e) = stream.read_to_end(&mut buf).await {
        if buf.is_empty() {
            return Err(e);
        }
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((status, text))
}

/// The value of the sample of Prometheus `text` that `series` names (`name` or
/// `name{label="value",...}`): the first sample of that name that has those labels, whatever
/// other labels it has (every series also carries `node`); 0 if absent.
pub fn metric_in(text: &str, series: &str) -> f64 {
    let want = parse_sample(&format!("{series} 0")).expect("a series name with its labels");
    parse_prometheus(http_body(text))
        .expect("/metrics is Prometheus text")
        .into_iter()
        .find(|s| s.name == want.name && want.labels.iter().all(|l| s.labels.contains(l)))
        .map_or(0.0, |s| s.value)
}

/// The body of an HTTP response as [`get_on`] returns it (the text itself if it has no head).
pub fn http_body(response: &str) -> &str {
    response
        .split_once("\r\n\r\n")
        .map_or(response, |(_, body)| body)
}

/// One sample line of the Prometheus text format.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: Vec<(String, String)>,
    pub value: f64,
}

impl Sample {
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses the Prometheus text exposition format (0.0.4) strictly: `# HELP` and `# TYPE`
/// lines (a family's TYPE before its samples, one TYPE per family), and samples
/// `name{label="value",...} value` with the format's escapes; an error names the bad line.
pub fn parse_prometheus(text: &str) -> Result<Vec<Sample>, String> {
    let mut types = std::collections::HashMap::<String, String>::new();
    let mut samples = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let bad = |why: &str| format!("line {}: {why}: {line:?}", n + 1);
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').ok_or_else(|| bad("TYPE"))?;
            if !is_metric_name(name)
                || !["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind)
            {
                return Err(bad("TYPE"));
            }
            if types.insert(name.to_owned(), kind.to_owned()).is_some() {
                return Err(bad("second TYPE for a family"));
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let name = rest.split(' ').next().unwrap_or("");
            if !is_metric_name(name) {
                return Err(bad("HELP"));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let s = parse_sample(line).map_err(|e| bad(&e))?;
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| {
                let base = s.name.strip_suffix(suffix)?;
                (types.get(base).map(String::as_str) == Some("histogram")).then_some(base)
            })
            .unwrap_or(&s.name);
        if !types.contains_key(family) {
            return Err(bad("a sample before its family's TYPE"));
        }
        samples.push(s);
    }
    Ok(samples)
}

fn is_metric_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// One sample line: `name`, optional `{k="v",...}`, a space, the value.
fn parse_sample(line: &str) -> Result<Sample, String> {
    let end = line.find(['{', ' ']).ok_or("no value")?;
    let name = &line[..end];
    if !is_metric_name(name) {
        return Err("metric name".into());
    }
    let mut rest = &line[end..];
    let mut labels = Vec::new();
    if let Some(mut r) = rest.strip_prefix('{') {
        loop {
            if let Some(after) = r.strip_prefix('}') {
                rest = after;
                break;
            }
            let eq = r.find('=').ok_or("label without =")?;
            let key = &r[..eq];
            if !is_metric_name(key) || key.contains(':') {
                return Err(format!("label name {key:?}"));
            }
            r = r[eq + 1..]
                .strip_prefix('"')
                .ok_or("unquoted label value")?;
            let mut value = String::new();
            let mut chars = r.char_indices();
            let close = loop {
                match chars.next().ok_or("unterminated label value")? {
                    (i, '"') => break i,
                    (_, '\\') => match chars.next().ok_or("dangling escape")?.1 {
                        'n' => value.push('\n'),
                        c @ ('\\' | '"') => value.push(c),
                        c => return Err(format!("bad escape \\{c}")),
                    },
                    (_, c) => value.push(c),
                }
            };
            labels.push((key.to_owned(), value));
            r = &r[close + 1..];
            r = r.strip_prefix(',').unwrap_or(r);
        }
    }
    let value = rest.strip_prefix(' ').ok_or("no space before the value")?;
    let value = value.split(' ').next().unwrap_or("");
    let value = match value {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        v => v.parse().map_err(|_| format!("value {v:?}"))?,
    };
    Ok(Sample {
        name: name.to_owned(),
        labels,
        value,
    })
}

/// Arguments for the two test apps, with short grace and heartbeat timers. The heartbeat
/// timeout (10 s) leaves a client that waits on token minting (Node) and logins on a busy
/// machine room to stay silent for a few seconds; the heartbeat test sets its own.
pub fn default_args() -> Vec<String> {
    [
        "--app",
        &format!("{APP}:{SECRET}"),
        "--app",
        &format!("{APP2}:{SECRET2}"),
        "--room-grace-seconds",
        "2",
        // Long enough that a raw client silent between its requests is not closed while a
        // loaded machine runs the suite; the heartbeat test sets its own.
        "--heartbeat-timeout-seconds",
        "10",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// [`default_args`] with another heartbeat timeout (for clients that stay quiet a while).
pub fn args_with_heartbeat(seconds: u64) -> Vec<String> {
    let mut args = default_args();
    let at = args
        .iter()
        .position(|a| a == "--heartbeat-timeout-seconds")
        .unwrap();
    args[at + 1] = seconds.to_string();
    args
}

// ----- Token04 made independently, with Node's crypto -------------------------------------

const NODE_MINT: &str = r#"
const c = require('crypto');
const [mode, appId, secret, user, expire] = process.argv.slice(1);
const json = JSON.stringify({ app_id: Number(appId), user_id: user, nonce: 424242,
  ctime: Math.floor(Date.now() / 1000), expire: Number(expire), payload: '' });
const key = Buffer.from(secret, 'ascii');
let nonce, ct;
if (mode === 'gcm') {
  nonce = c.randomBytes(12);
  const k = c.createCipheriv('aes-256-gcm', key, nonce);
  ct = Buffer.concat([k.update(json, 'utf8'), k.final(), k.getAuthTag()]);
} else {
  nonce = c.randomBytes(16);
  const k = c.createCipheriv('aes-256-cbc', key, nonce);
  ct = Buffer.concat([k.update(json, 'utf8'), k.final()]);
}
const e = Buffer.alloc(8); e.writeBigInt64BE(BigInt(expire));
const nl = Buffer.alloc(2); nl.writeUInt16BE(nonce.length);
const cl = Buffer.alloc(2); cl.writeUInt16BE(ct.length);
const parts = [e, nl, nonce, cl, ct];
if (mode === 'gcm') parts.push(Buffer.from([1]));
process.stdout.write('04' + Buffer.concat(parts).toString('base64'));
"#;

const NODE_OPEN: &str = r#"
const c = require('crypto');
const [token, secret] = process.argv.slice(1);
if (!token.startsWith('04')) throw new Error('no 04 prefix');
const b = Buffer.from(token.slice(2), 'base64');
let o = 0;
const expire = b.readBigInt64BE(o); o += 8;
const nl = b.readUInt16BE(o); o += 2;
const nonce = b.subarray(o, o + nl); o += nl;
const cl = b.readUInt16BE(o); o += 2;
const ct = b.subarray(o, o + cl); o += cl;
const mode = b[o];
if (mode !== 1 || o + 1 !== b.length || nl !== 12) throw new Error('not the GCM form');
const d = c.createDecipheriv('aes-256-gcm', Buffer.from(secret, 'ascii'), nonce);
d.setAuthTag(ct.subarray(ct.length - 16));
const plain = Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
process.stdout.write(JSON.stringify({ outer_expire: Number(expire), payload: JSON.parse(plain.toString('utf8')) }));
"#;

fn node(script: &str, args: &[&str]) -> String {
    let out = Command::new("node")
        .arg("-e")
        .arg(script)
        .args(args)
        .output()
        .expect("node must be installed for the token tests");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A Token04 in the GCM form, made by Node's crypto.
pub fn node_token_gcm(app: u32, secret: &str, user: &str, expire: u64) -> String {
    node(
        NODE_MINT,
        &["gcm", &app.to_string(), secret, user, &expire.to_string()],
    )
}

/// A Token04 in the legacy CBC form, made by Node's crypto.
pub fn node_token_cbc(app: u32, secret: &str, user: &str, expire: u64) -> String {
    node(
        NODE_MINT,
        &["cbc", &app.to_string(), secret, user, &expire.to_string()],
    )
}

const NODE_MINT_CBC_RAW: &str = r#"
const c = require('crypto');
const [secret, plainHex, expire] = process.argv.slice(1);
const iv = c.randomBytes(16);
const k = c.createCipheriv('aes-256-cbc', Buffer.from(secret, 'ascii'), iv);
k.setAutoPadding(false);
const ct = Buffer.concat([k.update(Buffer.from(plainHex, 'hex')), k.final()]);
const e = Buffer.alloc(8); e.writeBigInt64BE(BigInt(expire));
const nl = Buffer.alloc(2); nl.writeUInt16BE(16);
const cl = Buffer.alloc(2); cl.writeUInt16BE(ct.length);
process.stdout.write('04' + Buffer.concat([e, nl, iv, cl, ct]).toString('base64'));
"#;

/// A legacy CBC Token04 whose plaintext is exactly `plain` (a multiple of 16 bytes, padding
/// included or not), encrypted by Node's crypto with `secret`.
pub fn node_token_cbc_raw(secret: &str, plain: &[u8], expire: u64) -> String {
    let hex: String = plain.iter().map(|b| format!("{b:02x}")).collect();
    node(NODE_MINT_CBC_RAW, &[secret, &hex, &expire.to_string()])
}

/// Decrypts a GCM Token04 with Node's crypto; returns `{outer_expire, payload}`.
pub fn node_open_token(token: &str, secret: &str) -> serde_json::Value {
    serde_json::from_str(&node(NODE_OPEN, &[token, secret])).unwrap()
}

/// A valid token for `user` of the first test app, good for an hour.
pub fn token(user: &str) -> String {
    node_token_gcm(APP, SECRET, user, now_secs() + 3600)
}

/// Tokens for many users in one Node run (spawning Node per user is slow).
pub fn tokens(app: u32, secret: &str, users: &[String]) -> Vec<String> {
    let script = format!(
        "{}\n",
        r#"
const c = require('crypto');
const [appId, secret, expire, ...users] = process.argv.slice(1);
const out = users.map(user => {
  const json = JSON.stringify({ app_id: Number(appId), user_id: user, nonce: 1,
    ctime: 0, expire: Number(expire), payload: '' });
  const nonce = c.randomBytes(12);
  const k = c.createCipheriv('aes-256-gcm', Buffer.from(secret, 'ascii'), nonce);
  const ct = Buffer.concat([k.update(json, 'utf8'), k.final(), k.getAuthTag()]);
  const e = Buffer.alloc(8); e.writeBigInt64BE(BigInt(expire));
  const nl = Buffer.alloc(2); nl.writeUInt16BE(12);
  const cl = Buffer.alloc(2); cl.writeUInt16BE(ct.length);
  return '04' + Buffer.concat([e, nl, nonce, cl, ct, Buffer.from([1])]).toString('base64');
});
process.stdout.write(out.join('\n'));
"#
    );
    let expire = (now_secs() + 3600).to_string();
    let app = app.to_string();
    let mut args: Vec<&str> = vec![&app, secret, &expire];
    args.extend(users.iter().map(String::as_str));
    node(&script, &args).lines().map(str::to_owned).collect()
}

// ----- the raw protocol client --------------------------------------------------------------

/// A WebSocket client that speaks frames directly.
pub struct RawClient {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u32,
    /// Frames that arrived while waiting for something else.
    pub queued: VecDeque<Frame>,
    /// The close code, once the server closed.
    pub closed: Option<u16>,
}

impl RawClient {
    pub async fn connect(url: &str) -> RawClient {
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("websocket connect");
        RawClient {
            ws,
            next_id: 0,
            queued: VecDeque::new(),
            closed: None,
        }
    }

    /// Connects to `server_addr` from the loopback address `source` (any of 127.0.0.0/8).
    pub async fn connect_from(server_addr: &str, source: &str) -> RawClient {
        let sock = tokio::net::TcpSocket::new_v4().unwrap();
        sock.bind(format!("{source}:0").parse().unwrap()).unwrap();
        let tcp = sock.connect(server_addr.parse().unwrap()).await.unwrap();
        let url = format!("ws://{server_addr}/ws");
        let (ws, _) = tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(tcp))
            .await
            .expect("websocket connect");
        RawClient {
            ws,
            next_id: 0,
            queued: VecDeque::new(),
            closed: None,
        }
    }

    /// Connects and logs in; panics unless the login succeeds.
    pub async fn login(
        url: &str,
        app: u32,
        user: &str,
        token: &str,
        last_seq: u64,
    ) -> (RawClient, LoginOk) {
        let mut c = RawClient::connect(url).await;
        let r = c.login_raw(app, user, token, last_seq).await;
        match r.body {
            Body::LoginOk(ok) => (c, ok),
            other => panic!("login of {user} failed: {other:?}"),
        }
    }

    /// Sends Login and returns the answer frame.
    pub async fn login_raw(&mut self, app: u32, user: &str, token: &str, last_seq: u64) -> Frame {
        self.request(Body::Login(Login {
            app_id: app,
            user_id: user.into(),
            user_name: format!("{user} name"),
            token: token.into(),
            last_inbox_seq: last_seq,
            sync_conversations: false,
        }))
        .await
    }

    pub async fn send_bytes(&mut self, bytes: Vec<u8>) {
        self.ws.send(Message::Binary(bytes.into())).await.unwrap();
    }

    pub async fn send_text(&mut self, text: &str) {
        self.ws.send(Message::Text(text.into())).await.unwrap();
    }

    /// The client message IDs of every message stored in the peer conversation with `peer`,
    /// paging through its history from the oldest.
    pub async fn stored_client_message_ids(
        &mut self,
        peer: &str,
    ) -> std::collections::BTreeSet<u64> {
        let mut stored = std::collections::BTreeSet::new();
        let mut anchor = 0;
        loop {
            let f = self
                .request(Body::History(HistoryQuery {
                    conversation_type: 0,
                    conversation_id: peer.into(),
                    anchor_order_key: anchor,
                    count: 100,
                    reverse: false,
                }))
                .await;
            let Body::HistoryPage(p) = f.body else {
                panic!("{f:?}")
            };
            let Some(last) = p.messages.last() else {
                return stored;
            };
            anchor = last.order_key;
            stored.extend(p.messages.iter().map(|m| m.client_message_id));
        }
    }

    /// Sends a request with a fresh id; returns the id.
    pub async fn send(&mut self, body: Body) -> u32 {
        self.next_id += 1;
        let id = self.next_id;
        self.send_bytes(Frame::new(id, body).encode()).await;
        id
    }

    /// Sends a request, ignoring a socket the server already closed; returns the id.
    pub async fn try_send(&mut self, body: Body) -> Option<u32> {
        self.next_id += 1;
        let bytes = Frame::new(self.next_id, body).encode();
        self.ws.send(Message::Binary(bytes.into())).await.ok()?;
        Some(self.next_id)
    }

    /// Sends a frame with request id 0 (PushAck).
    pub async fn send0(&mut self, body: Body) {
        self.send_bytes(Frame::new(0, body).encode()).await;
    }

    /// The next frame from the socket (not the queue). `None` once closed.
    async fn read(&mut self) -> Option<Frame> {
        loop {
            let msg = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("timed out waiting for a frame");
            match msg {
                Some(Ok(Message::Binary(b))) => {
                    return Some(
                        Frame::decode(&b, MAX_SERVER_FRAME_LEN).expect("server frame decodes"),
                    )
                }
                Some(Ok(Message::Close(cf))) => {
                    self.closed = Some(cf.map(|c| u16::from(c.code)).unwrap_or(1005));
                    return None;
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => {
                    if self.closed.is_none() {
                        self.closed = Some(1006);
                    }
                    return None;
                }
            }
        }
    }

    /// The next frame, queued first.
    pub async fn next(&mut self) -> Option<Frame> {
        if let Some(f) = self.queued.pop_front() {
            return Some(f);
        }
        self.read().await
    }

    /// Sends `body` and waits for the frame answering it (others are queued).
    pub async fn request(&mut self, body: Body) -> Frame {
        let id = self.send(body).await;
        self.answer(id).await
    }

    /// Waits for the answer to request `id`, queueing everything else.
    pub async fn answer(&mut self, id: u32) -> Frame {
        if let Some(pos) = self.queued.iter().position(|f| f.request_id == id) {
            return self.queued.remove(pos).unwrap();
        }
        loop {
            let f = self
                .read()
                .await
                .unwrap_or_else(|| panic!("closed ({:?}) before answering {id}", self.closed));
            if f.request_id == id {
                return f;
            }
            self.queued.push_back(f);
        }
    }

    /// The next frame that matches `pred` (others stay queued).
    pub async fn wait_for(&mut self, pred: impl Fn(&Frame) -> bool) -> Frame {
        if let Some(pos) = self.queued.iter().position(&pred) {
            return self.queued.remove(pos).unwrap();
        }
        loop {
            let f = self
                .read()
                .await
                .unwrap_or_else(|| panic!("closed ({:?}) while waiting", self.closed));
            if pred(&f) {
                return f;
            }
            self.queued.push_back(f);
        }
    }

    /// Reads until the server closes; returns every frame seen and the close code.
    pub async fn until_closed(&mut self) -> (Vec<Frame>, u16) {
        let mut frames: Vec<Frame> = self.queued.drain(..).collect();
        while let Some(f) = self.read().await {
            frames.push(f);
        }
        (frames, self.closed.unwrap_or(1006))
    }

    /// Closes politely.
    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

/// A peer text message body.
pub fn text_to(to: &str, cmid: u64, text: &str) -> Body {
    Body::Send(tinyim_protocol::Send {
        conversation_type: tinyim_protocol::conversation_type::PEER,
        to: to.into(),
        client_message_id: cmid,
        prev_client_message_id: 0,
        message_type: tinyim_protocol::message_type::TEXT,
        priority: 1,
        payload: text.as_bytes().to_vec(),
        extended_data: String::new(),
        ext: None,
    })
}

/// A room text message body.
pub fn room_text(room: &str, cmid: u64, text: &str) -> Body {
    Body::Send(tinyim_protocol::Send {
        conversation_type: tinyim_protocol::conversation_type::ROOM,
        to: room.into(),
        client_message_id: cmid,
        prev_client_message_id: 0,
        message_type: tinyim_protocol::message_type::TEXT,
        priority: 1,
        payload: text.as_bytes().to_vec(),
        extended_data: String::new(),
        ext: None,
    })
}

/// `send` (a `Send` body) naming `prev` as the message it follows (docs/protocol.md,
/// "Sender order").
pub fn following(prev: u64, mut send: Body) -> Body {
    if let Body::Send(s) = &mut send {
        s.prev_client_message_id = prev;
    }
    send
}

/// The error code of an Error frame (panics otherwise).
pub fn error_code(f: &Frame) -> u32 {
    match &f.body {
        Body::Error(e) => e.code,
        other => panic!("expected an Error frame, got {other:?}"),
    }
}

// ----- a slow network path ------------------------------------------------------------------

/// A TCP relay on loopback that delays every byte by `delay` in each direction, as a long
/// mobile path would (real sockets both sides; the stream's order is kept). It outlives
/// the server behind it: while the server is down it accepts and at once closes, so the
/// client sees failed connects, as it would through a load balancer.
pub struct SlowLink {
    pub addr: String,
    task: tokio::task::JoinHandle<()>,
}

impl SlowLink {
    /// Relays to `upstream` (`HOST:PORT`).
    pub async fn start(upstream: &str, delay: Duration) -> SlowLink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let upstream = upstream.to_owned();
        let task = tokio::spawn(async move {
            while let Ok((down, _)) = listener.accept().await {
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let Ok(up) = TcpStream::connect(&upstream).await else {
                        return; // the server is down: drop the client's connection
                    };
                    let _ = (down.set_nodelay(true), up.set_nodelay(true));
                    let (down_r, down_w) = down.into_split();
                    let (up_r, up_w) = up.into_split();
                    tokio::join!(
                        Self::pipe(down_r, up_w, delay),
                        Self::pipe(up_r, down_w, delay)
                    );
                });
            }
        });
        SlowLink { addr, task }
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// Copies `from` to `to`, each chunk `delay` after it was read; at the end of `from`
    /// (after what is in transit), shuts `to` down.
    async fn pipe(
        mut from: tokio::net::tcp::OwnedReadHalf,
        mut to: tokio::net::tcp::OwnedWriteHalf,
        delay: Duration,
    ) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let reader = async move {
            let mut buf = vec![0u8; 16 * 1024];
            while let Ok(n) = from.read(&mut buf).await {
                if n == 0
                    || tx
                        .send((tokio::time::Instant::now() + delay, buf[..n].to_vec()))
                        .is_err()
                {
                    break;
                }
            }
        };
        let writer = async move {
            while let Some((at, chunk)) = rx.recv().await {
                tokio::time::sleep_until(at).await;
                if to.write_all(&chunk).await.is_err() {
                    break;
                }
            }
            let _ = to.shutdown().await;
        };
        tokio::join!(reader, writer);
    }
}

impl Drop for SlowLink {
    fn drop(&mut self) {
        self.task.abort();
    }
}
