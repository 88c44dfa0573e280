//! `wss://` and `https://` served by the server itself (`--tls-cert`, `--tls-key`), with a
//! test CA made by rcgen: the SDK core (the native host, rustls) logs in over `wss://`, and
//! SIGHUP swaps the certificate without dropping open connections.

mod support;

use std::time::{Duration, Instant};

use support::pki::{PkiFiles, TestPki};
use support::*;
use tinyim::Reply;
use tinyim_bench::host::Driver;

fn tls_args(files: &PkiFiles) -> Vec<String> {
    // Logged-in test clients here are quiet for a while.
    let mut args = args_with_heartbeat(30);
    args.extend([
        "--tls-cert".to_string(),
        files.cert.display().to_string(),
        "--tls-key".to_string(),
        files.key.display().to_string(),
    ]);
    args
}

fn wss_url(s: &Server) -> String {
    format!("wss://{}/ws", s.addr)
}

#[tokio::test]
async fn the_sdk_logs_in_over_wss_and_https_serves_the_routes() {
    let dir = temp_dir("tls");
    let pki = TestPki::new("tinyim test CA");
    let files = pki.write(&dir.join("pki"));
    let s = Server::start_in(&dir, &tls_args(&files));
    let trust = tls_client_config(&pki.ca_pem);

    let (status, body) = https_get(&s.addr, "/healthz", trust.clone()).await.unwrap();
    assert_eq!(status, 200, "{body}");

    let mut alice = Driver::new(APP, &wss_url(&s), 1).with_tls(trust.clone());
    let mut bob = Driver::new(APP, &wss_url(&s), 2).with_tls(trust.clone());
    alice
        .login("alice", &token("alice"))
        .await
        .expect("alice over wss");
    bob.login("bob", &token("bob")).await.expect("bob over wss");
    let sent = alice.send_text("bob", "over TLS").await.unwrap();
    assert!(matches!(sent, Reply::Sent(_)), "{sent:?}");
    assert!(bob.wait_peer_messages(1, WAIT).await);
    assert_eq!(bob.peer_messages()[0].payload, b"over TLS");

    // A client that does not trust the CA is refused in the handshake.
    let stranger = tls_client_config(&TestPki::new("another CA").ca_pem);
    assert!(tls_connect(&s.addr, stranger).await.is_err());
    // Plain HTTP on the TLS port is not served.
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut tcp = tokio::net::TcpStream::connect(&s.addr).await.unwrap();
        tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = Vec::new();
        let read = tokio::time::timeout(WAIT, tcp.read_to_end(&mut buf)).await;
        assert!(read.is_ok(), "the connection was not closed");
        assert!(!String::from_utf8_lossy(&buf).contains("200 OK"));
    }
    let (_, metrics) = https_get(&s.addr, "/metrics", trust).await.unwrap();
    assert!(metric_in(&metrics, "tinyim_refusals_total{reason=\"tls_handshake\"}") >= 2.0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn sighup_reloads_the_certificate_and_keeps_open_connections() {
    let dir = temp_dir("tls-reload");
    let old = TestPki::new("old CA");
    let files = old.write(&dir.join("pki"));
    // The files come from the config file here (tls_cert / tls_key), the rest from flags.
    let config = dir.join("tinyim.toml");
    std::fs::write(
        &config,
        format!(
            "tls_cert = {:?}\ntls_key = {:?}\n",
            files.cert.display().to_string(),
            files.key.display().to_string()
        ),
    )
    .unwrap();
    let mut args = args_with_heartbeat(30);
    args.extend(["--config".into(), config.display().to_string()]);
    let s = Server::start_in(&dir, &args);
    let trust_old = tls_client_config(&old.ca_pem);
    let mut alice = Driver::new(APP, &wss_url(&s), 1).with_tls(trust_old.clone());
    alice.login("alice", &token("alice")).await.unwrap();

    // A renewed certificate from another CA replaces the files; SIGHUP loads it.
    let new = TestPki::new("new CA");
    new.write(&dir.join("pki"));
    let trust_new = tls_client_config(&new.ca_pem);
    sighup(&s);
    let until = Instant::now() + WAIT;
    while tls_connect(&s.addr, trust_new.clone()).await.is_err() {
        assert!(Instant::now() < until, "the new certificate was not served");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        tls_connect(&s.addr, trust_old.clone()).await.is_err(),
        "the old certificate is still served"
    );

    // The connection opened under the old certificate still works.
    let mut bob = Driver::new(APP, &wss_url(&s), 2).with_tls(trust_new.clone());
    bob.login("bob", &token("bob")).await.unwrap();
    alice.send_text("bob", "still here").await.unwrap();
    assert!(bob.wait_peer_messages(1, WAIT).await);

    // A broken file is refused on reload and the certificate in use stays.
    std::fs::write(&files.key, "not a key").unwrap();
    sighup(&s);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, _) = https_get(&s.addr, "/healthz", trust_new).await.unwrap();
    assert_eq!(status, 200);
    let _ = std::fs::remove_dir_all(&dir);
}

fn sighup(s: &Server) {
    let ok = std::process::Command::new("kill")
        .arg("-HUP")
        .arg(s.pid().to_string())
        .status()
        .unwrap();
    assert!(ok.success());
}

#[tokio::test]
async fn tls_flags_are_checked_at_start() {
    let dir = temp_dir("tls-flags");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tinyim-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&dir)
        .args(["--tls-cert", "/nonexistent/cert.pem"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tls-key"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tinyim-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&dir)
        .args([
            "--tls-cert",
            "/nonexistent/cert.pem",
            "--tls-key",
            "/nonexistent/key.pem",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/cert.pem"));
    let _ = std::fs::remove_dir_all(&dir);
}
