//! Client cost: what one message costs a client's CPU, natively and as wasm in Node, how long
//! the SDK's wasm takes to instantiate, and how many bytes the mini-program package adds.
//!
//! The codec figures time `tinyim_bench_wasm_codec::rounds` (encode the `Send`, decode the
//! `Push` of a 100-byte text message): natively by calling it, in wasm by running its
//! `codec_rounds` export in Node. Instantiate time is for the SDK's own wasm from the npm
//! package (`make package`), with the imports its wasm-bindgen glue provides. The package
//! cost is computed the way `pkg-template/build.js` computes it: the JS in
//! `miniprogram_dist/` plus its brotli-compressed `.wasm.br`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// zego-zim-miniprogram's index.js, bytes (the SDK tinyim replaces).
pub const ZEGO_ZIM_MP_BYTES: u64 = 837_599;
/// tim-wx-sdk's index.js, bytes (Tencent IM's mini program SDK).
pub const TIM_WX_SDK_BYTES: u64 = 606_496;

#[derive(Debug, Clone, Default)]
pub struct ClientCost {
    /// Encode + decode rounds per second, native.
    pub native_ops: f64,
    /// The same in wasm under Node (`None` if the codec wasm or Node is missing).
    pub wasm_ops: Option<f64>,
    pub node_version: Option<String>,
    /// SDK wasm (package `lib/tinyim_bg.wasm`) bytes and compile+instantiate time (ms):
    /// first (cold) and median of repeats.
    pub sdk_wasm_bytes: Option<u64>,
    pub sdk_instantiate_first_ms: Option<f64>,
    pub sdk_instantiate_median_ms: Option<f64>,
    /// Mini-program cost: JS bytes, `.wasm.br` bytes, total.
    pub mp_js: Option<u64>,
    pub mp_wasm_br: Option<u64>,
    pub mp_cost: Option<u64>,
    pub notes: Vec<String>,
}

/// Where the inputs are.
pub struct Inputs {
    /// The codec wasm (`cargo build -p tinyim-bench-wasm-codec --profile wasm-release
    /// --target wasm32-unknown-unknown`).
    pub codec_wasm: PathBuf,
    /// The npm package folder (`make package`).
    pub package: PathBuf,
}

/// Native encode+decode rounds per second over about `budget` of timed loops.
pub fn native_ops(budget: Duration) -> f64 {
    let push = tinyim_bench_wasm_codec::push_bytes();
    black_box(tinyim_bench_wasm_codec::rounds(20_000, &push));
    let start = Instant::now();
    let mut n: u64 = 0;
    // Bounded: stops after the budget or 100 M rounds, whichever is first.
    while start.elapsed() < budget && n < 100_000_000 {
        black_box(tinyim_bench_wasm_codec::rounds(
            black_box(10_000),
            black_box(&push),
        ));
        n += 10_000;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

const NODE_SCRIPT: &str = r#"
const fs = require('fs');
const path = require('path');
const [codecPath, pkgDir] = process.argv.slice(1);
const out = { node: process.version };
(async () => {
  try {
  if (fs.existsSync(codecPath)) {
    const bytes = fs.readFileSync(codecPath);
    const { instance } = await WebAssembly.instantiate(bytes, {});
    const f = instance.exports.codec_rounds;
    f(20000);
    let n = 0; const t0 = process.hrtime.bigint();
    let el = 0;
    while (el < 1.0 && n < 1e8) { f(10000); n += 10000; el = Number(process.hrtime.bigint() - t0) / 1e9; }
    out.wasm_ops = n / el;
  }
  } catch (e) { out.error = 'codec wasm: ' + e; }
  try {
  const sdk = path.join(pkgDir, 'lib', 'tinyim_bg.wasm');
  const glue = path.join(pkgDir, 'lib', 'tinyim.js');
  if (fs.existsSync(sdk) && fs.existsSync(glue)) {
    const bytes = fs.readFileSync(sdk);
    out.sdk_bytes = bytes.length;
    const times = [];
    for (let i = 0; i < 21; i++) {
      delete require.cache[require.resolve(glue)];
      const g = require(glue);
      const t0 = process.hrtime.bigint();
      const { instance } = await WebAssembly.instantiate(bytes, g.__tinyim_imports());
      g.__tinyim_init(instance);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    out.sdk_first_ms = times[0];
    const rest = times.slice(1).sort((a, b) => a - b);
    out.sdk_median_ms = rest[Math.floor(rest.length / 2)];
  }
  } catch (e) { out.error = 'SDK wasm: ' + e; }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { process.stdout.write(JSON.stringify({ error: String(e) })); });
"#;

/// A number field of the flat JSON object Node prints (no serde for one line).
fn json_num(json: &str, key: &str) -> Option<f64> {
    let at = json.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = &json[at..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    rest[..end].trim().parse().ok()
}

fn json_str(json: &str, key: &str) -> Option<String> {
    let at = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let rest = &json[at..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// Every file under `dir`, recursively.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

/// Measures everything it can find; what is missing becomes a note, not an error.
pub fn measure(inputs: &Inputs) -> ClientCost {
    let mut c = ClientCost {
        native_ops: native_ops(Duration::from_secs(1)),
        ..ClientCost::default()
    };
    if !inputs.codec_wasm.exists() {
        c.notes.push(format!(
            "codec wasm not built ({}): no wasm codec figure",
            inputs.codec_wasm.display()
        ));
    }
    if !inputs.package.join("lib").exists() {
        c.notes.push(format!(
            "npm package not found at {} (run `make package`): no SDK instantiate time or package cost",
            inputs.package.display()
        ));
    }
    // Node's require() resolves relative paths against the script, not the cwd.
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    match Command::new("node")
        .arg("-e")
        .arg(NODE_SCRIPT)
        .arg(abs(&inputs.codec_wasm))
        .arg(abs(&inputs.package))
        .output()
    {
        Ok(o) => {
            let json = String::from_utf8_lossy(&o.stdout).into_owned();
            if let Some(e) = json_str(&json, "error") {
                c.notes.push(format!("node: {e}"));
            }
            c.node_version = json_str(&json, "node");
            c.wasm_ops = json_num(&json, "wasm_ops");
            c.sdk_wasm_bytes = json_num(&json, "sdk_bytes").map(|v| v as u64);
            c.sdk_instantiate_first_ms = json_num(&json, "sdk_first_ms");
            c.sdk_instantiate_median_ms = json_num(&json, "sdk_median_ms");
        }
        Err(e) => c.notes.push(format!("node not runnable: {e}")),
    }
    let mp = inputs.package.join("miniprogram_dist");
    if mp.exists() {
        let mut files = Vec::new();
        walk(&mp, &mut files);
        let size = |p: &PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let js: u64 = files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "js"))
            .map(size)
            .sum();
        let br: u64 = files
            .iter()
            .filter(|p| p.to_string_lossy().ends_with(".wasm.br"))
            .map(size)
            .sum();
        c.mp_js = Some(js);
        c.mp_wasm_br = Some(br);
        c.mp_cost = Some(js + br);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_flat_json_node_prints() {
        let j = r#"{"node":"v20.1.0","wasm_ops":1234.5,"sdk_bytes":66063}"#;
        assert_eq!(json_num(j, "wasm_ops"), Some(1234.5));
        assert_eq!(json_num(j, "sdk_bytes"), Some(66063.0));
        assert_eq!(json_str(j, "node").as_deref(), Some("v20.1.0"));
        assert_eq!(json_num(j, "missing"), None);
    }
}
