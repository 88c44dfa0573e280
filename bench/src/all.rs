//! `tinyim-bench all`: the default set `make bench` runs, sized for a 2-core machine so the
//! whole run (after the build) takes about five minutes, then the report and the chart.
//!
//! Sizes: peer at a comfortable rate (the everyday comparison) and at a high one (capacity),
//! each on tinyim and on Mosquitto; a 500-member room; 5000 idle connections; a 10 000
//! message offline inbox; a minute of SIGKILLs under load (chaos); the client cost.
//! Scenarios run one after another, each with its own fresh server, so none measures
//! another's leftovers.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::report::{Report, Run};
use crate::scenario::connect::ConnectParams;
use crate::scenario::offline::OfflineParams;
use crate::scenario::peer::PeerParams;
use crate::scenario::room::RoomParams;
use crate::{chart, client_cost, mqtt, scenario};

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
    chart_path: &Path,
    findings: &Path,
) -> Report {
    let t0 = Instant::now();
    let scale = |full: u32, small: u32| if quick { small } else { full };
    let secs = |full: u64, small: u64| Duration::from_secs(if quick { small } else { full });
    let mut report = Report {
        machine: crate::report::machine(),
        ..Report::default()
    };

    let peers = [
        PeerParams {
            users: scale(1000, 100),
            rate: f64::from(scale(2000, 200)),
            duration: secs(20, 3),
            payload: 100,
        },
        PeerParams {
            users: scale(2000, 200),
            rate: f64::from(scale(10_000, 1000)),
            duration: secs(10, 3),
            payload: 100,
        },
    ];
    for p in peers {
        eprintln!("peer on tinyim: {}", peer_cmd("peer", &p));
        let t = scenario::peer::run(server_bin, p).await;
        report_line(&t, crate::report::peer_line);
        settle().await;
        eprintln!("peer on mosquitto: {}", peer_cmd("mqtt-peer", &p));
        let m = mqtt::run_peer(mosquitto_bin, p).await;
        report_line(&m, crate::report::peer_line);
        settle().await;
        report.peer.push((
            Run {
                command: peer_cmd("peer", &p),
                result: t,
            },
            Run {
                command: peer_cmd("mqtt-peer", &p),
                result: m,
            },
        ));
    }
    if let Some((Run { result: Ok(t), .. }, Run { result: Ok(m), .. })) = report.peer.first() {
        let title = format!(
            "Peer latency, {} users, {:.0} msg/s, 100-byte texts",
            t.params.users, t.params.rate
        );
        let svg = chart::peer_latency_svg(&title, &[t, m]);
        if std::fs::write(chart_path, svg).is_ok() {
            report.chart = Some(chart_path.display().to_string());
        }
    }

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

    let conn = ConnectParams {
        connections: scale(5000, 300),
        idle: secs(25, 3),
    };
    let cmd = format!(
        "tinyim-bench connect --connections {} --idle {}",
        conn.connections,
        conn.idle.as_secs()
    );
    eprintln!("connect: {cmd}");
    let r = scenario::connect::run(server_bin, conn).await;
    report_line(&r, crate::report::connect_line);
    report.connect.push(Run {
        command: cmd,
        result: r,
    });
    settle().await;
    let cmd = format!(
        "tinyim-bench mqtt-connect --connections {} --idle {}",
        conn.connections,
        conn.idle.as_secs()
    );
    eprintln!("connect on mosquitto: {cmd}");
    let r = mqtt::run_connect(mosquitto_bin, conn).await;
    report_line(&r, crate::report::connect_line);
    report.connect.push(Run {
        command: cmd,
        result: r,
    });
    settle().await;

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

/// Prints a scenario's one-line summary (or its error) as it finishes.
fn report_line<T>(r: &Result<T, String>, line: fn(&T) -> String) {
    match r {
        Ok(v) => eprintln!("  {}", line(v)),
        Err(e) => eprintln!("  failed: {e}"),
    }
}
