//! Quick figures (ignored by default; the benchmark issue does this properly):
//!
//! ```sh
//! cargo test -p tinyim-server --release --test bench -- --ignored --nocapture
//! ```
//!
//! - messages per second, one sender -> one receiver over loopback (server rate limit off);
//! - server RSS with 1,000 idle logged-in connections.

mod support;

use std::time::Instant;

use support::*;
use tinyim_protocol::{Body, PushAck};

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn bench_one_sender_one_receiver() {
    const N: u64 = 20_000;
    const WINDOW: u64 = 256;
    let mut args = default_args();
    args.push("--no-rate-limit".into());
    let s = Server::start_in(&temp_dir("bench-rate"), &args);
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    let payload = "x".repeat(100);
    let receiver = tokio::spawn(async move {
        let mut got = 0u64;
        while got < N {
            let f = b.wait_for(|f| matches!(f.body, Body::Push(_))).await;
            if let Body::Push(p) = f.body {
                got += p.deliveries.len() as u64;
                let last = p.deliveries.last().map(|d| d.inbox_seq).unwrap_or(0);
                b.send0(Body::PushAck(PushAck { inbox_seq: last })).await;
            }
        }
        got
    });
    let start = Instant::now();
    let mut in_flight = std::collections::VecDeque::new();
    for i in 1..=N {
        in_flight.push_back(a.send(text_to("bob", i, &payload)).await);
        if in_flight.len() as u64 >= WINDOW {
            let id = in_flight.pop_front().unwrap();
            assert!(matches!(a.answer(id).await.body, Body::SendAck(_)));
        }
    }
    while let Some(id) = in_flight.pop_front() {
        assert!(matches!(a.answer(id).await.body, Body::SendAck(_)));
    }
    let acked = start.elapsed();
    let got = receiver.await.unwrap();
    let delivered = start.elapsed();
    let (_, m) = s.http_get("/metrics").await;
    let batches = metric_in(&m, "tinyim_store_batches_total");
    println!(
        "one sender -> one receiver: {N} messages of 100 B; all acked (stored) in {:.2?} = {:.0} msg/s; \
         all delivered in {:.2?} = {:.0} msg/s; {batches} store transactions; server RSS {} KiB",
        acked,
        N as f64 / acked.as_secs_f64(),
        delivered,
        got as f64 / delivered.as_secs_f64(),
        rss_kib(s.pid())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn bench_rss_with_1000_idle_connections() {
    // Idle for the whole measurement: the server's default heartbeat timeout.
    let mut args = args_with_heartbeat(60);
    // All 1000 come from 127.0.0.1: lift the per-address cap meant for one abusive host.
    args.extend(["--max-connections-per-addr".into(), "0".into()]);
    let mut s = Server::start_in(&temp_dir("bench-rss"), &args);
    let before = rss_kib(s.pid());
    let users: Vec<String> = (0..1000).map(|i| format!("idle{i}")).collect();
    let toks = tokens(APP, SECRET, &users);
    let mut clients = Vec::new();
    for (u, t) in users.iter().zip(&toks) {
        clients.push(RawClient::login(&s.ws_url(), APP, u, t, 0).await.0);
    }
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let after = rss_kib(s.pid());
    println!(
        "server RSS: {before} KiB idle, {after} KiB with {} logged-in idle connections ({:.1} KiB each)",
        clients.len(),
        (after.saturating_sub(before)) as f64 / clients.len() as f64
    );
    // SIGTERM with all of them connected (they read concurrently, as real clients would).
    let readers: Vec<_> = clients
        .into_iter()
        .map(|mut c| tokio::spawn(async move { c.until_closed().await.1 }))
        .collect();
    let t = Instant::now();
    let status = tokio::task::spawn_blocking(move || s.terminate())
        .await
        .unwrap();
    let exit = t.elapsed();
    let mut codes = std::collections::BTreeMap::new();
    for r in readers {
        *codes.entry(r.await.unwrap()).or_insert(0) += 1;
    }
    println!(
        "SIGTERM with 1000 connections: exit {status} after {exit:.2?}; close codes {codes:?}"
    );
}
