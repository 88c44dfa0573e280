//! fsync before every ack, shown: a short peer run on a tinyim-server traced with
//! `strace -f -c -e trace=fdatasync,fsync`, against the acks the clients received and the
//! commits the server counted (`tinyim_store_batches_total` on `/metrics`).
//!
//! The store thread answers a send only after `COMMIT` returned, and with SQLite's WAL and
//! `synchronous = FULL` a commit returns after the WAL is synced (`fsync(2)` in the bundled
//! SQLite, `fdatasync(2)` where it is built to use it); so sync calls must be at least the
//! commits. (strace slows the traced server: the rate here is low on purpose.)

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::scenario::peer::{run_on, PeerParams};
use crate::server_proc::ServerProc;

#[derive(Debug, Clone)]
pub struct FsyncResult {
    pub command: String,
    pub acked: u64,
    pub delivered: u64,
    pub commits: u64,
    pub fdatasync: u64,
    pub fsync: u64,
}

/// A counter from the server's `/metrics`.
fn metric(addr: &str, name: &str) -> Option<u64> {
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET /metrics HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    // `name` or `name{labels}`: every series carries a `node` label.
    body.lines()
        .find(|l| {
            l.strip_prefix(name)
                .is_some_and(|r| r.starts_with(' ') || r.starts_with('{'))
        })
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse::<f64>().ok())
        .map(|v| v as u64)
}

pub async fn run(server_bin: &std::path::Path, p: PeerParams) -> Result<FsyncResult, String> {
    let server = ServerProc::start(server_bin, "fsync", &[])?;
    let out = std::env::temp_dir().join(format!("tinyim-bench-strace-{}.txt", server.pid()));
    let mut strace = Command::new("strace")
        .args(["-f", "-c", "-e", "trace=fdatasync,fsync", "-o"])
        .arg(&out)
        .arg("-p")
        .arg(server.pid().to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start strace: {e} (apt-get install strace)"))?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let commits0 = metric(&server.addr, "tinyim_store_batches_total").unwrap_or(0);
    let r = run_on(&server, p).await;
    let commits = metric(&server.addr, "tinyim_store_batches_total").unwrap_or(0) - commits0;
    // SIGINT makes strace detach and write its summary.
    let _ = Command::new("kill")
        .arg("-INT")
        .arg(strace.id().to_string())
        .status();
    let _ = strace.wait();
    let r = r?;
    let summary = std::fs::read_to_string(&out).unwrap_or_default();
    let _ = std::fs::remove_file(&out);
    // "% time  seconds  usecs/call  calls  errors syscall": calls is the 4th column.
    let calls = |name: &str| {
        summary
            .lines()
            .find(|l| l.split_whitespace().last() == Some(name))
            .and_then(|l| l.split_whitespace().nth(3))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Ok(FsyncResult {
        command: format!(
            "strace -f -c -e trace=fdatasync,fsync -p <server> during `tinyim-bench peer --users {} --rate {} --duration {}`",
            p.users,
            p.rate,
            p.duration.as_secs()
        ),
        acked: r.acked,
        delivered: r.delivered,
        commits,
        fdatasync: calls("fdatasync"),
        fsync: calls("fsync"),
    })
}

pub fn line(r: &FsyncResult) -> String {
    format!(
        "fsync: acked={} delivered={} commits={} fdatasync={} fsync={}",
        r.acked, r.delivered, r.commits, r.fdatasync, r.fsync
    )
}
