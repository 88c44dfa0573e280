//! `tinyim-bench`: measures tinyim against itself and against a peer system.
//!
//! Every simulated user is a full SDK core session (`tinyim::Client`: login, heartbeats,
//! acks, de-duplication) over a real WebSocket on loopback, driven by [`host::Driver`]. The
//! bench starts its own `tinyim-server` (and Mosquitto) per scenario on an ephemeral
//! 127.0.0.1 port and stops it afterwards; it never targets any other address.
//!
//! `tinyim-bench all` is what `make bench` runs: the default set for a 2-core machine, then
//! BENCHMARKS.md and bench/peer-latency.svg. Each scenario also runs alone with its flags.

use tinyim_bench::{all, client_cost, guard, mqtt, report, scenario, server_proc};

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use tinyim_bench::scenario::peer::PeerParams;

#[derive(Parser)]
#[command(name = "tinyim-bench", about = "tinyim load generator and cost report")]
struct Cli {
    /// The tinyim-server binary [default: next to this executable].
    #[arg(long, global = true)]
    server_bin: Option<PathBuf>,
    /// The Mosquitto binary.
    #[arg(long, global = true, default_value = "/usr/sbin/mosquitto")]
    mosquitto_bin: String,
    /// Stop (killing the servers it started) if this process's RSS passes this many MB.
    #[arg(long, global = true, default_value_t = 8192)]
    max_rss_mb: u64,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Args, Clone, Copy)]
struct PeerArgs {
    /// Connected users.
    #[arg(long, default_value_t = 1000)]
    users: u32,
    /// Aggregate messages per second (each user sends at most 10/s, the SDK's text limit).
    #[arg(long, default_value_t = 2000.0)]
    rate: f64,
    /// Seconds of sending.
    #[arg(long, default_value_t = 20)]
    duration: u64,
    /// Payload bytes per message.
    #[arg(long, default_value_t = 100)]
    payload: usize,
}

impl PeerArgs {
    fn params(self) -> PeerParams {
        PeerParams {
            users: self.users,
            rate: self.rate,
            duration: Duration::from_secs(self.duration),
            payload: self.payload,
        }
    }
}

#[derive(Args, Clone, Copy)]
struct RoomArgs {
    /// Room members (all logged in and entered).
    #[arg(long, default_value_t = 200)]
    members: u32,
    /// Members who send.
    #[arg(long, default_value_t = 20)]
    senders: u32,
    /// Aggregate messages per second over all senders (each at most 10/s).
    #[arg(long, default_value_t = 50.0)]
    rate: f64,
    /// Seconds of sending.
    #[arg(long, default_value_t = 15)]
    duration: u64,
    /// Payload bytes per message.
    #[arg(long, default_value_t = 100)]
    payload: usize,
}

impl RoomArgs {
    fn group_params(self) -> scenario::group::GroupParams {
        scenario::group::GroupParams {
            members: self.members,
            senders: self.senders,
            rate: self.rate,
            duration: Duration::from_secs(self.duration),
            payload: self.payload,
        }
    }

    fn params(self) -> scenario::room::RoomParams {
        scenario::room::RoomParams {
            members: self.members,
            senders: self.senders,
            rate: self.rate,
            duration: Duration::from_secs(self.duration),
            payload: self.payload,
        }
    }
}

#[derive(Args, Clone, Copy)]
struct GroupCostArgs {
    /// Group members (the first sends).
    #[arg(long, default_value_t = 500)]
    members: u32,
    /// Messages stored.
    #[arg(long, default_value_t = 200)]
    messages: u32,
    /// Messages per transaction.
    #[arg(long, default_value_t = 16)]
    batch: u32,
}

#[derive(Args, Clone, Copy)]
struct ConnectArgs {
    /// Idle logged-in connections to ramp to.
    #[arg(long, default_value_t = 5000)]
    connections: u32,
    /// Seconds to hold them idle while measuring CPU (heartbeats every 20 s).
    #[arg(long, default_value_t = 25)]
    idle: u64,
}

impl ConnectArgs {
    fn params(self) -> scenario::connect::ConnectParams {
        scenario::connect::ConnectParams {
            connections: self.connections,
            idle: Duration::from_secs(self.idle),
        }
    }
}

#[derive(Args, Clone, Copy)]
struct OfflineArgs {
    /// Messages queued for the offline user.
    #[arg(long, default_value_t = 5000)]
    messages: u32,
    /// Users sending them (each at just under 10/s, the SDK's text limit).
    #[arg(long, default_value_t = 100)]
    senders: u32,
    /// Payload bytes per message.
    #[arg(long, default_value_t = 100)]
    payload: usize,
}

impl OfflineArgs {
    fn params(self) -> scenario::offline::OfflineParams {
        scenario::offline::OfflineParams {
            messages: self.messages,
            senders: self.senders,
            payload: self.payload,
        }
    }
}

#[derive(Args, Clone, Copy)]
struct ChaosArgs {
    /// Users sending, each 8 texts/s to the receivers in turn.
    #[arg(long, default_value_t = 40)]
    senders: u32,
    /// Users receiving.
    #[arg(long, default_value_t = 40)]
    receivers: u32,
    /// Seconds of sending, during which the server is SIGKILLed and restarted.
    #[arg(long, default_value_t = 60)]
    duration: u64,
    /// Seeds the outage schedule (up 2-8 s, down 0.1-5 s).
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

impl ChaosArgs {
    fn params(self) -> scenario::chaos::ChaosParams {
        scenario::chaos::ChaosParams {
            senders: self.senders,
            receivers: self.receivers,
            duration: Duration::from_secs(self.duration),
            seed: self.seed,
        }
    }
}

#[derive(Args, Clone, Copy)]
struct CrashArgs {
    /// Connected users.
    #[arg(long, default_value_t = 500)]
    users: u32,
    /// Aggregate messages per second.
    #[arg(long, default_value_t = 1000.0)]
    rate: f64,
    /// Seconds of sending (the kills are spread over it).
    #[arg(long, default_value_t = 20)]
    duration: u64,
    /// SIGKILLs of the server during the run.
    #[arg(long, default_value_t = 3)]
    kills: u32,
}

impl CrashArgs {
    fn params(self) -> scenario::crash::CrashParams {
        scenario::crash::CrashParams {
            users: self.users,
            rate: self.rate,
            duration: Duration::from_secs(self.duration),
            kills: self.kills,
            payload: 100,
        }
    }
}

#[derive(Args, Clone, Copy)]
struct StoreCostArgs {
    /// Messages to store.
    #[arg(long, default_value_t = 100_000)]
    messages: u32,
    /// Users they go between (random pairs).
    #[arg(long, default_value_t = 2000)]
    users: u32,
    /// Sends in flight at once.
    #[arg(long, default_value_t = 256)]
    in_flight: u32,
    /// Payload bytes per message.
    #[arg(long, default_value_t = 100)]
    payload: usize,
}

#[derive(Args, Clone)]
struct CostArgs {
    /// The codec wasm (built by `make bench`).
    #[arg(
        long,
        default_value = "target/wasm32-unknown-unknown/wasm-release/tinyim_bench_wasm_codec.wasm"
    )]
    codec_wasm: PathBuf,
    /// The npm package folder (`make package`).
    #[arg(long, default_value = "target/npm/tinyim")]
    package: PathBuf,
}

impl CostArgs {
    fn inputs(&self) -> client_cost::Inputs {
        client_cost::Inputs {
            codec_wasm: self.codec_wasm.clone(),
            package: self.package.clone(),
        }
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// Peer messaging on tinyim.
    Peer(PeerArgs),
    /// The same peer scenario on Mosquitto (MQTT 5, QoS 1).
    MqttPeer(PeerArgs),
    /// The same peer scenario on ejabberd (XMPP, stream management, SQL offline storage).
    XmppPeer(PeerArgs),
    /// The connect scenario on ejabberd.
    XmppConnect(ConnectArgs),
    /// Peer on tinyim, Mosquitto and ejabberd, with ratios.
    Compare(PeerArgs),
    /// One room, many members, some sending.
    Room(RoomArgs),
    /// One durable group, many members, some sending (the same arguments as room).
    Group(RoomArgs),
    /// The store cost of a group message: fan-out on write against a timeline with cursors.
    GroupCost(GroupCostArgs),
    /// Ramp to many idle logged-in connections.
    Connect(ConnectArgs),
    /// The connect scenario on Mosquitto.
    MqttConnect(ConnectArgs),
    /// Queue messages for an offline user, then log it in and drain.
    Offline(OfflineArgs),
    /// SIGKILL the server again and again under load: lost, duplicated, out of order, false
    /// failures.
    Chaos(ChaosArgs),
    /// Codec cost natively and in wasm, SDK wasm instantiate time, package cost.
    ClientCost(CostArgs),
    /// The store path alone (no sockets): store-thread CPU per message against SQLite's.
    StoreCost(StoreCostArgs),
    /// SIGKILL tinyim-server under load several times; count acked-then-never-delivered.
    Crash(CrashArgs),
    /// The crash audit on ejabberd.
    XmppCrash(CrashArgs),
    /// A short peer run under `strace -c`: fdatasync calls against commits and acks.
    Fsync(PeerArgs),
    /// The default set; writes BENCHMARKS.md and bench/peer-latency.svg.
    All {
        /// Where to write the report.
        #[arg(long, default_value = "BENCHMARKS.md")]
        out: PathBuf,
        /// Where to write the latency chart (linked from the report by this path).
        #[arg(long, default_value = "bench/peer-latency.svg")]
        chart: PathBuf,
        /// Where to write the saturation-sweep chart.
        #[arg(long, default_value = "bench/saturation.svg")]
        sweep_chart: PathBuf,
        /// Hand-written findings appended to the report, if the file exists.
        #[arg(long, default_value = "bench/findings.md")]
        findings: PathBuf,
        /// Run smaller and shorter (a smoke run of every scenario).
        #[arg(long)]
        quick: bool,
        #[command(flatten)]
        cost: CostArgs,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    guard::start(cli.max_rss_mb << 20);
    // 100,000 connections need as many descriptors here and in the server (which inherits).
    scenario::raise_fd_limit();
    let server_bin = cli
        .server_bin
        .clone()
        .unwrap_or_else(server_proc::default_bin);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result: Result<(), String> = rt.block_on(async {
        match cli.command {
            Cmd::Peer(a) => {
                let r = scenario::peer::run(&server_bin, a.params()).await?;
                println!("{}", report::peer_line(&r));
            }
            Cmd::MqttPeer(a) => {
                let r = mqtt::run_peer(&cli.mosquitto_bin, a.params()).await?;
                println!("{}", report::peer_line(&r));
            }
            Cmd::XmppPeer(a) => {
                let r = tinyim_bench::xmpp::run_peer(a.params()).await?;
                println!("{}", report::peer_line(&r));
            }
            Cmd::XmppConnect(a) => {
                let r = tinyim_bench::xmpp::run_connect(a.params()).await?;
                println!("{}", report::connect_line(&r));
            }
            Cmd::Compare(a) => {
                let t = scenario::peer::run(&server_bin, a.params()).await?;
                println!("{}", report::peer_line(&t));
                let m = mqtt::run_peer(&cli.mosquitto_bin, a.params()).await?;
                println!("{}", report::peer_line(&m));
                println!("{}", report::ratio_line(&t, &m));
                let x = tinyim_bench::xmpp::run_peer(a.params()).await?;
                println!("{}", report::peer_line(&x));
                println!("{}", report::ratio_line(&t, &x));
            }
            Cmd::Room(a) => {
                let r = scenario::room::run(&server_bin, a.params()).await?;
                println!("{}", report::room_line(&r));
            }
            Cmd::GroupCost(a) => {
                let p = tinyim_bench::group_cost::GroupCostParams {
                    members: a.members,
                    messages: a.messages,
                    batch: a.batch,
                };
                let (fan_out, timeline) = tinyim_bench::group_cost::run(p)?;
                println!("{}", tinyim_bench::group_cost::line(&p, &fan_out));
                println!("{}", tinyim_bench::group_cost::line(&p, &timeline));
            }
            Cmd::Group(a) => {
                let r = scenario::group::run(&server_bin, a.group_params()).await?;
                println!("{}", report::group_line(&r));
                if r.lost != 0 || r.duplicates != 0 {
                    return Err("group: lost or duplicated deliveries".into());
                }
            }
            Cmd::Connect(a) => {
                let r = scenario::connect::run(&server_bin, a.params()).await?;
                println!("{}", report::connect_line(&r));
            }
            Cmd::MqttConnect(a) => {
                let r = mqtt::run_connect(&cli.mosquitto_bin, a.params()).await?;
                println!("{}", report::connect_line(&r));
            }
            Cmd::Offline(a) => {
                let r = scenario::offline::run(&server_bin, a.params()).await?;
                println!("{}", report::offline_line(&r));
            }
            Cmd::Chaos(a) => {
                let r = scenario::chaos::run(&server_bin, a.params()).await?;
                println!("{}", report::chaos_line(&r));
                if !r.clean() {
                    return Err("chaos: something besides acked is not 0".into());
                }
            }
            Cmd::Crash(a) => {
                let r = scenario::crash::run_tinyim(&server_bin, a.params()).await?;
                println!("{}", scenario::crash::line(&r));
            }
            Cmd::XmppCrash(a) => {
                let r = scenario::crash::run_ejabberd(a.params()).await?;
                println!("{}", scenario::crash::line(&r));
            }
            Cmd::Fsync(a) => {
                let r = tinyim_bench::fsync::run(&server_bin, a.params()).await?;
                println!("{}", tinyim_bench::fsync::line(&r));
            }
            Cmd::StoreCost(a) => {
                let r = tinyim_bench::store_cost::run(tinyim_bench::store_cost::StoreCostParams {
                    messages: a.messages,
                    users: a.users,
                    in_flight: a.in_flight,
                    payload: a.payload,
                })
                .await?;
                println!("{}", tinyim_bench::store_cost::line(&r));
            }
            Cmd::ClientCost(a) => {
                let c = client_cost::measure(&a.inputs());
                println!("{c:?}");
            }
            Cmd::All {
                out,
                chart,
                sweep_chart,
                findings,
                quick,
                cost,
            } => {
                let report = all::run(
                    &server_bin,
                    &cli.mosquitto_bin,
                    quick,
                    &cost.inputs(),
                    (&chart, &sweep_chart),
                    &findings,
                )
                .await;
                std::fs::write(&out, report.markdown())
                    .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
                println!("wrote {} and {}", out.display(), chart.display());
                if !report.clean() {
                    return Err(
                        "a scenario failed, lost / duplicated messages, or chaos counted more than acked (see the report)".into(),
                    );
                }
            }
        }
        Ok(())
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
