//! Operations: `/metrics` as Prometheus text with the `node` label, and JSON log lines.

mod support;

use std::time::{Duration, Instant};

use support::*;
use tinyim_protocol::Body;

/// Every sample of `/metrics` parses, carries `node`, and a message moves the counter.
#[tokio::test]
async fn metrics_are_prometheus_text_with_the_node_label() {
    let mut args = default_args();
    args.extend(["--node-name".to_owned(), "im-test-7".to_owned()]);
    let s = Server::start_in(&temp_dir("ops-metrics"), &args);

    let (_, before) = s.http_get("/metrics").await;
    assert!(
        before.contains("content-type: text/plain; version=0.0.4"),
        "{before}"
    );
    let samples = parse_prometheus(http_body(&before)).unwrap();
    assert!(samples.len() > 20, "{before}");
    for sample in &samples {
        assert_eq!(sample.label("node"), Some("im-test-7"), "{sample:?}");
    }
    let text = "tinyim_messages_total{conversation=\"peer\",type=\"text\"}";
    assert_eq!(metric_in(&before, text), 0.0);
    // The names the tests, bench/ and dashboards use are all there.
    for name in [
        "tinyim_connections",
        "tinyim_connections_total",
        "tinyim_sessions",
        "tinyim_logins_total",
        "tinyim_messages_total",
        "tinyim_refusals_total",
        "tinyim_store_batches_total",
        "tinyim_store_latency_seconds_count",
        "tinyim_open_files_limit",
        "tinyim_unauthenticated_sockets",
    ] {
        assert!(samples.iter().any(|x| x.name == name), "{name}");
    }

    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let r = a.request(text_to("bob", 1, "hello")).await;
    assert!(matches!(r.body, Body::SendAck(_)), "{r:?}");

    let (_, after) = s.http_get("/metrics").await;
    parse_prometheus(http_body(&after)).unwrap();
    assert_eq!(metric_in(&after, text), 1.0);
    assert_eq!(
        metric_in(&after, "tinyim_sessions{node=\"im-test-7\"}"),
        1.0
    );
    assert_eq!(metric_in(&after, "tinyim_logins_total{result=\"ok\"}"), 1.0);
    assert!(metric_in(&after, "tinyim_store_latency_seconds_count") >= 1.0);
}

/// Without `--node-name` the label is still there (the host name, or the listen address).
#[tokio::test]
async fn the_node_label_has_a_default() {
    let s = Server::start("ops-default-node");
    let (_, m) = s.http_get("/metrics").await;
    for sample in parse_prometheus(http_body(&m)).unwrap() {
        assert!(
            sample.label("node").is_some_and(|n| !n.is_empty()),
            "{sample:?}"
        );
    }
}

/// With `--log-format json` every stderr line is one JSON object with a level and a message.
#[tokio::test]
async fn json_log_lines() {
    let mut args = default_args();
    args.extend(["--log-format".to_owned(), "json".to_owned()]);
    let s = Server::launch(
        &temp_dir("ops-json-log"),
        &args,
        Launch {
            log: Some("info"),
            ..Launch::default()
        },
    );
    // A failed login logs a line with fields of its own.
    let mut c = RawClient::connect(&s.ws_url()).await;
    let r = c.login_raw(APP, "alice", "not-a-token", 0).await;
    assert!(matches!(r.body, Body::Error(_)), "{r:?}");
    let started = Instant::now();
    while s.log_lines("ready").is_empty() && started.elapsed() < WAIT {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let lines = s.log_lines("");
    assert!(lines.len() >= 2, "{lines:?}");
    for line in &lines {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(v["timestamp"].is_string(), "{line}");
        assert!(
            ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]
                .contains(&v["level"].as_str().unwrap_or("")),
            "{line}"
        );
        assert!(v["fields"]["message"].is_string(), "{line}");
    }
    let ready = lines
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["fields"]["message"] == "tinyim-server ready")
        .expect("the ready line");
    assert_eq!(ready["fields"]["addr"], s.addr.as_str());
}

/// The default stays the text format: not JSON.
#[tokio::test]
async fn text_log_lines_by_default() {
    let s = Server::launch(
        &temp_dir("ops-text-log"),
        &default_args(),
        Launch {
            log: Some("info"),
            ..Launch::default()
        },
    );
    let started = Instant::now();
    while s.log_lines("ready").is_empty() && started.elapsed() < WAIT {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let ready = s.log_lines("tinyim-server ready");
    assert_eq!(ready.len(), 1, "{:?}", s.log_lines(""));
    assert!(serde_json::from_str::<serde_json::Value>(&ready[0]).is_err());
    assert!(ready[0].contains(" INFO "), "{}", ready[0]);
}

/// The config file's `node_name` and `log_format` keys do what the flags do.
#[tokio::test]
async fn node_name_and_log_format_from_the_config_file() {
    let dir = temp_dir("ops-config");
    let file = dir.join("tinyim.toml");
    std::fs::write(&file, "node_name = \"from-file\"\nlog_format = \"json\"\n").unwrap();
    let mut args = default_args();
    args.extend(["--config".to_owned(), file.display().to_string()]);
    let s = Server::launch(
        &dir,
        &args,
        Launch {
            log: Some("info"),
            ..Launch::default()
        },
    );
    let (_, m) = s.http_get("/metrics").await;
    assert!(m.contains("tinyim_sessions{node=\"from-file\"} 0"), "{m}");
    let started = Instant::now();
    while s.log_lines("ready").is_empty() && started.elapsed() < WAIT {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let ready = s.log_lines("tinyim-server ready");
    assert_eq!(ready.len(), 1, "{:?}", s.log_lines(""));
    serde_json::from_str::<serde_json::Value>(&ready[0]).unwrap();
}
