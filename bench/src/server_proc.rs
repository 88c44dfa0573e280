//! Starts and stops the real `tinyim-server` (release build) for one scenario.
//!
//! Every scenario gets a fresh process and an empty temp data dir, so its CPU and peak RSS
//! (`VmHWM`) belong to that run alone, and no scenario's stored messages affect another's.
//! The server listens on an ephemeral loopback port and prints it; nothing else is targeted.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The app every simulated user logs in to.
pub const APP_ID: u32 = 1_234_567_890;
/// Its 32-character server secret.
pub const SECRET: &str = "0123456789abcdef0123456789abcdef";

/// A running tinyim-server.
pub struct ServerProc {
    child: Child,
    pub addr: String,
    data_dir: PathBuf,
    bin: PathBuf,
    extra: Vec<String>,
}

impl ServerProc {
    /// Starts `bin serve` on 127.0.0.1:0 with the bench app and `extra` flags; waits (at most
    /// 20 s) for its "listening on" line.
    pub fn start(bin: &Path, tag: &str, extra: &[&str]) -> Result<ServerProc, String> {
        let data_dir = std::env::temp_dir().join(format!(
            "tinyim-bench-{tag}-{}-{}",
            std::process::id(),
            crate::scenario::micros_since(*crate::scenario::PROCESS_EPOCH)
        ));
        let _ = std::fs::remove_dir_all(&data_dir);
        std::fs::create_dir_all(&data_dir).map_err(|e| format!("temp dir: {e}"))?;
        let started = ServerProc::start_at(bin, &data_dir, "127.0.0.1:0", extra);
        if started.is_err() {
            let _ = std::fs::remove_dir_all(&data_dir);
        }
        started
    }

    /// [`ServerProc::start`] on a given address and data dir (a restart after
    /// [`ServerProc::sigkill`]: the same port and store). The dir is removed on drop.
    pub fn start_at(
        bin: &Path,
        data_dir: &Path,
        listen: &str,
        extra: &[&str],
    ) -> Result<ServerProc, String> {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let (child, addr) = spawn(bin, listen, data_dir, &extra)?;
        Ok(ServerProc {
            child,
            addr,
            data_dir: data_dir.to_path_buf(),
            bin: bin.to_owned(),
            extra,
        })
    }

    /// Kills the server with SIGKILL (a crash: no shutdown, no final flush) and hands back
    /// its data dir, kept for a restart ([`ServerProc::start_at`]).
    pub fn sigkill(mut self) -> PathBuf {
        let _ = self.child.kill();
        let _ = self.child.wait();
        crate::guard::unregister_child(self.child.id());
        std::mem::take(&mut self.data_dir)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Bytes in the data dir now (the database with its write-ahead log).
    pub fn data_bytes(&self) -> u64 {
        std::fs::read_dir(&self.data_dir)
            .map(|dir| {
                dir.filter_map(|e| e.ok()?.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// SIGKILL (no shutdown, no flush: a crash), then start again on the same address and
    /// data dir, as a supervisor would.
    pub fn kill_and_restart(&mut self) -> Result<(), String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        crate::guard::unregister_child(self.child.id());
        let (child, addr) = spawn(&self.bin, &self.addr, &self.data_dir, &self.extra)?;
        self.child = child;
        self.addr = addr;
        Ok(())
    }
}

/// Starts `bin serve --listen listen --data-dir data_dir` and waits for its banner; returns
/// the child and the address it listens on.
fn spawn(
    bin: &Path,
    listen: &str,
    data_dir: &Path,
    extra: &[String],
) -> Result<(Child, String), String> {
    let mut child = Command::new(bin)
        .arg("serve")
        .arg("--listen")
        .arg(listen)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--app")
        .arg(format!("{APP_ID}:{SECRET}"))
        // Every simulated user comes from 127.0.0.1: the per-address caps that protect a
        // real server from one abusive host would refuse the load generator itself, and a
        // ramp of thousands of logins may wait longer than the default login deadline.
        .args(["--max-connections-per-addr", "0"])
        .args(["--max-unauthenticated-per-addr", "0"])
        .args(["--login-timeout-seconds", "60"])
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    // Reads the banner, then keeps draining so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("tinyim-server listening on ") {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(rest.split_whitespace().next().unwrap_or("").to_owned());
                }
            }
        }
    });
    crate::guard::register_child(child.id());
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(addr) => Ok((child, addr)),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            crate::guard::unregister_child(child.id());
            Err("tinyim-server did not start listening within 20 s".into())
        }
    }
}

impl Drop for ServerProc {
    /// SIGTERM for a clean shutdown, SIGKILL after 5 s; then the data dir goes (unless
    /// [`ServerProc::sigkill`] handed it on).
    fn drop(&mut self) {
        stop_child(&mut self.child);
        if !self.data_dir.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.data_dir);
        }
    }
}

/// Stops a process the bench started (a server or the broker): SIGTERM for a clean
/// shutdown, SIGKILL after 5 s, then forgets it in the memory guard.
pub fn stop_child(child: &mut std::process::Child) {
    // Already reaped (killed earlier): its pid may belong to another process by now.
    if let Ok(Some(_)) = child.try_wait() {
        crate::guard::unregister_child(child.id());
        return;
    }
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    crate::guard::unregister_child(child.id());
}

/// The `tinyim-server` next to this executable (both come from the same `cargo build
/// --release`), unless `--server-bin` says otherwise.
pub fn default_bin() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("tinyim-server")))
        .unwrap_or_else(|| PathBuf::from("target/release/tinyim-server"))
}
