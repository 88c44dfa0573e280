//! `tinyim-bench all`: the default set `make bench` runs, sized for a 2-core machine (the
//! whole run takes about half an hour; `--quick` is a smoke run of every scenario in a few
//! minutes), then the report and the charts.
//!
//! In order: the everyday peer load on tinyim, Mosquitto and ejabberd; a saturation sweep
//! of each; tinyim and Mosquitto at half of Mosquitto's saturation rate (latency and CPU at
//! the same load); the store path alone; the fsync audit; the crash audit on tinyim and
//! ejabberd; a 500-member room; idle connections on all three, then tinyim at 50,000 and
//! 100,000; a 10,000-message offline inbox; a minute of SIGKILLs under load (chaos); the
//! client cost. Scenarios run one after another, each with its own fresh server, so none
//! measures another's leftovers.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::report::{Report, Run};
use crate::scenario::connect::ConnectParams;
use crate::scenario::crash::CrashParams;
use crate::scenario::offline::OfflineParams;
use crate::scenario::peer::{PeerParams, PeerResult};
use crate::scenario::room::RoomParams;
use crate::store_cost::{self, StoreCostParams};
use crate::{chart, client_cost, fsync, mqtt, scenario, sweep, xmpp};

fn peer_cmd(sub: &str, p: &PeerParams) -> String {
    format!(
        "tinyim-bench {sub} --users {} --rate {} --duration {} --payload {}",
        p.users,
        p.rate,
        p.duration.as_secs(),
        p.payload
    )
}

/// A pause between scenarios so sockets in TIME_WAIT and the last process's exit settle.
async fn settle() {
    tokio::time::sleep(Duration::from_secs(1)).await;
}

pub async fn run(
    server_bin: &Path,
    mosquitto_bin: &str,
    quick: bool,
    cost: &client_cost::Inputs,
    charts: (&Path, &Path),
    findings: &Path,
) -> Report {
    let t0 = Instant::now();
    let scale = |full: u32, small: u32| if quick { small } else { full };
    let secs = |full: u64, small: u64| Duration::from_secs(if quick { small } else { full });
    let mut report = Report {
        machine: crate::report::machine(),
        quick,
        ..Report::default()
    };

    // The everyday comparison: the same load on all three systems.
    let everyday = PeerParams {
        users: scale(1000, 100),
        rate: f64::from(scale(2000, 200)),
        duration: secs(20, 3),
        payload: 100,
    };
    report
        .peer
        .push(compare(server_bin, mosquitto_bin, everyday).await);
    if let Some([Run { result: Ok(t), .. }, Run { result: Ok(m), .. }, ..]) =
        report.peer.first().map(Vec::as_slice)
    {
        let title = format!(
            "Peer latency, {} users, {:.0} msg/s, 100-byte texts",
            t.params.users, t.params.rate
        );
        let mut runs = vec![t, m];
        if let Some(Run { result: Ok(x), .. }) = report.peer[0].get(2) {
            runs.push(x);
        }
        let svg = chart::peer_latency_svg(&title, &runs);
        if std::fs::write(charts.0, svg).is_ok() {
            report.chart = Some(charts.0.display().to_string());
        }
    }

    // The saturation sweeps, one system after another.
    let rates: Vec<f64> = if quick {
        vec![500.0, 1000.0]
    } else {
        vec![
            500.0, 1000.0, 2000.0, 4000.0, 6000.0, 8000.0, 10_000.0, 12_500.0, 15_000.0, 20_000.0,
            25_000.0, 30_000.0, 40_000.0,
        ]
    };
    let step = secs(10, 3);
    let bin = server_bin.to_owned();
    let t = sweep::sweep("tinyim", &rates, step, |p| {
        let bin = bin.clone();
        async move { scenario::peer::run(&bin, p).await }
    })
    .await;
    let mq = mosquitto_bin.to_owned();
    let m = sweep::sweep("mosquitto", &rates, step, |p| {
        let mq = mq.clone();
        async move { mqtt::run_peer(&mq, p).await }
    })
    .await;
    let x = sweep::sweep("ejabberd", &rates, step, xmpp::run_peer).await;
    report.sweeps = vec![t, m, x];
    let svg = chart::sweep_svg(
        "Saturation sweep: 1:1 text, 100-byte payloads, 5 msg/s per user",
        &report.sweeps,
    );
    if std::fs::write(charts.1, svg).is_ok() {
        report.sweep_chart = Some(charts.1.display().to_string());
    }

    // Latency and CPU at the same load: half of Mosquitto's saturation rate.
    let half_rate = (report.sweeps[1].saturation() / 2.0).max(f64::from(scale(1000, 200)));
    let half = sweep::params(half_rate, secs(20, 3));
    eprintln!(
        "half of mosquitto's saturation: {}",
        peer_cmd("peer", &half)
    );
    let ht = scenario::peer::run(server_bin, half).await;
    report_line(&ht, crate::report::peer_line);
    settle().await;
    let hm = mqtt::run_peer(mosquitto_bin, half).await;
    report_line(&hm, crate::report::peer_line);
    settle().await;
    report.half = Some((
        Run {
            command: peer_cmd("peer", &half),
            result: ht,
        },
        Run {
            command: peer_cmd("mqtt-peer", &half),
            result: hm,
        },
    ));

    // The store path alone.
    let sc = StoreCostParams {
        messages: scale(100_000, 5000),
        users: 2000,
        in_flight: 256,
        payload: 100,
    };
    let cmd = format!(
        "tinyim-bench store-cost --messages {} --users {} --in-flight {} --payload {}",
        sc.messages, sc.users, sc.in_flight, sc.payload
    );
    eprintln!("store cost: {cmd}");
    let r = store_cost::run(sc).await;
    report_line(&r, store_cost::line);
    report.store_cost = Some(Run {
        command: cmd,
        result: r,
    });

    // fsync before every ack.
    let fp = PeerParams {
        users: 100,
        rate: 200.0,
        duration: secs(5, 2),
        payload: 100,
    };
    eprintln!("fsync audit");
    let r = fsync::run(server_bin, fp).await;
    report_line(&r, fsync::line);
    report.fsync = r.ok();
    settle().await;

    // The crash audit.
    let cp = CrashParams {
        users: scale(1000, 100),
        rate: f64::from(scale(2000, 200)),
        duration: secs(20, 6),
        kills: 3,
        payload: 100,
    };
    let crash_cmd = |sub: &str| {
        format!(
            "tinyim-bench {sub} --users {} --rate {} --duration {} --kills {}",
            cp.users,
            cp.rate,
            cp.duration.as_secs(),
            cp.kills
        )
    };
    eprintln!("crash audit: {}", crash_cmd("crash"));
    let r = scenario::crash::run_tinyim(server_bin, cp).await;
    report_line(&r, scenario::crash::line);
    report.crash.push(Run {
        command: crash_cmd("crash"),
        result: r,
    });
    settle().await;
    eprintln!("crash audit: {}", crash_cmd("xmpp-crash"));
    let r = scenario::crash::run_ejabberd(cp).await;
    report_line(&r, scenario::crash::line);
    report.crash.push(Run {
        command: crash_cmd("xmpp-crash"),
        result: r,
    });
    settle().await;

    let room = RoomParams {
        members: scale(500, 50),
        senders: scale(20, 5),
        rate: f64::from(scale(100, 20)),
        duration: secs(15, 3),
        payload: 100,
    };
    let cmd = format!(
        "tinyim-bench room --members {} --senders {} --rate {} --duration {} --payload {}",
        room.members,
        room.senders,
        room.rate,
        room.duration.as_secs(),
        room.payload
    );
    eprintln!("room: {cmd}");
    let r = scenario::room::run(server_bin, room).await;
    report_line(&r, crate::report::room_line);
    report.room = Some(Run {
        command: cmd,
        result: r,
    });
    settle().await;

    // Durable groups: the room's sizes, then one of 10,000 members (ZIM's largest).
    for (members, senders, rate) in [
        (scale(500, 50), scale(20, 5), scale(100, 20)),
        (scale(10_000, 1000), 5, 2),
    ] {
        let group = RoomParams {
            members,
            senders,
            rate: f64::from(rate),
            duration: secs(15, 3),
            payload: 100,
        };
        let cmd = format!(
            "tinyim-bench group --members {} --senders {} --rate {} --duration {} --payload {}",
            group.members,
            group.senders,
            group.rate,
            group.duration.as_secs(),
            group.payload
        );
        eprintln!("group: {cmd}");
        let r = scenario::group::run(
            server_bin,
            scenario::group::GroupParams {
                members: group.members,
                senders: group.senders,
                rate: group.rate,
                duration: group.duration,
                payload: group.payload,
            },
        )
        .await;
        report_line(&r, crate::report::group_line);
        report.group.push(Run {
            command: cmd,
            result: r,
        });
        settle().await;
    }

    // Idle connections: the three systems at the same count, then tinyim at 50,000 (memory
    // per connection) and 100,000 (held).
    let conn = ConnectParams {
        connections: scale(5000, 300),
        idle: secs(25, 3),
    };
    let connect_cmd = |sub: &str, c: &ConnectParams| {
        format!(
            "tinyim-bench {sub} --connections {} --idle {}",
            c.connections,
            c.idle.as_secs()
        )
    };
    for sub in ["connect", "mqtt-connect", "xmpp-connect"] {
        let cmd = connect_cmd(sub, &conn);
        eprintln!("connect: {cmd}");
        let r = match sub {
            "connect" => scenario::connect::run(server_bin, conn).await,
            "mqtt-connect" => mqtt::run_connect(mosquitto_bin, conn).await,
            _ => xmpp::run_connect(conn).await,
        };
        report_line(&r, crate::report::connect_line);
        report.connect.push(Run {
            command: cmd,
            result: r,
        });
        settle().await;
    }
    // Each connection is a descriptor in this process and one in the server: without the
    // privilege to raise the hard limit (CAP_SYS_RESOURCE), the counts are capped by it.
    let fd_limit = scenario::raise_fd_limit();
    let max_conns = fd_limit.saturating_sub(1000).min(u64::from(u32::MAX)) as u32;
    let mut last = 0;
    for n in [scale(50_000, 1000), scale(100_000, 2000)] {
        if n.min(max_conns) == last {
            continue;
        }
        last = n.min(max_conns);
        if n > max_conns {
            report.notes.push(format!(
                "{n} connections need {n} open files per process; this machine's hard limit is \
                 {fd_limit} (RLIMIT_NOFILE, not raisable here: no CAP_SYS_RESOURCE), so the run \
                 below holds {max_conns} instead."
            ));
        }
        let c = ConnectParams {
            connections: n.min(max_conns),
            idle: secs(25, 3),
        };
        let cmd = connect_cmd("connect", &c);
        eprintln!("connect: {cmd}");
        let r = scenario::connect::run(server_bin, c).await;
        report_line(&r, crate::report::connect_line);
        report.connect.push(Run {
            command: cmd,
            result: r,
        });
        // Sockets in TIME_WAIT from 100,000 closes take a while to clear.
        tokio::time::sleep(Duration::from_secs(if quick { 1 } else { 5 })).await;
    }

    let off = OfflineParams {
        messages: scale(10_000, 500),
        senders: scale(200, 50),
        payload: 100,
    };
    let cmd = format!(
        "tinyim-bench offline --messages {} --senders {} --payload {}",
        off.messages, off.senders, off.payload
    );
    eprintln!("offline: {cmd}");
    let r = scenario::offline::run(server_bin, off).await;
    report_line(&r, crate::report::offline_line);
    report.offline = Some(Run {
        command: cmd,
        result: r,
    });
    settle().await;

    let chaos = crate::scenario::chaos::ChaosParams {
        senders: scale(40, 10),
        receivers: scale(40, 10),
        duration: secs(60, 15),
        seed: 1,
    };
    let cmd = crate::report::chaos_command(&chaos);
    eprintln!("chaos: {cmd}");
    let r = scenario::chaos::run(server_bin, chaos).await;
    report_line(&r, crate::report::chaos_line);
    report.chaos = Some(Run {
        command: cmd,
        result: r,
    });

    eprintln!("client cost");
    let inputs = client_cost::Inputs {
        codec_wasm: cost.codec_wasm.clone(),
        package: cost.package.clone(),
    };
    let c = tokio::task::spawn_blocking(move || client_cost::measure(&inputs))
        .await
        .unwrap_or_default();
    report.client = Some((
        format!(
            "tinyim-bench client-cost --codec-wasm {} --package {}",
            cost.codec_wasm.display(),
            cost.package.display()
        ),
        c,
    ));
    report.findings = std::fs::read_to_string(findings).ok();
    report.total_s = t0.elapsed().as_secs_f64();
    report
}

/// The same peer load on tinyim, Mosquitto and ejabberd, one after another.
async fn compare(server_bin: &Path, mosquitto_bin: &str, p: PeerParams) -> Vec<Run<PeerResult>> {
    eprintln!("peer on tinyim: {}", peer_cmd("peer", &p));
    let t = scenario::peer::run(server_bin, p).await;
    report_line(&t, crate::report::peer_line);
    settle().await;
    eprintln!("peer on mosquitto: {}", peer_cmd("mqtt-peer", &p));
    let m = mqtt::run_peer(mosquitto_bin, p).await;
    report_line(&m, crate::report::peer_line);
    settle().await;
    eprintln!("peer on ejabberd: {}", peer_cmd("xmpp-peer", &p));
    let x = xmpp::run_peer(p).await;
    report_line(&x, crate::report::peer_line);
    settle().await;
    vec![
        Run {
            command: peer_cmd("peer", &p),
            result: t,
        },
        Run {
            command: peer_cmd("mqtt-peer", &p),
            result: m,
        },
        Run {
            command: peer_cmd("xmpp-peer", &p),
            result: x,
        },
    ]
}

/// Prints a scenario's one-line summary (or its error) as it finishes.
fn report_line<T>(r: &Result<T, String>, line: fn(&T) -> String) {
    match r {
        Ok(v) => eprintln!("  {}", line(v)),
        Err(e) => eprintln!("  failed: {e}"),
    }
}
