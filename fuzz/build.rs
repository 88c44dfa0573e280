//! Prepares the `session` target, which runs the real tinyim-server in-process so libFuzzer
//! sees the server's coverage and its panics: the server is a binary (only its token module
//! is a library), so its modules are compiled into the target from `server/src` as they are,
//! without a change to the server for fuzzing.
//!
//! - `$OUT_DIR/server_main.rs` is `server/src/main.rs` with each `mod NAME;` given the
//!   absolute `#[path]` of its file, inner doc comments and attributes dropped (an
//!   `include!`d file cannot have them) and `fn main` renamed `server_main`. New modules in
//!   main.rs are picked up by themselves.
//! - The server's `[dependencies]` must also be this crate's (its modules `use` them); a
//!   missing one fails here with its name instead of as an unresolved import.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let server = manifest_dir.join("../server");
    let src = server.join("src");
    println!("cargo:rerun-if-changed={}", src.join("main.rs").display());
    println!(
        "cargo:rerun-if-changed={}",
        server.join("Cargo.toml").display()
    );
    println!("cargo:rerun-if-changed=Cargo.toml");

    check_dependencies(&server.join("Cargo.toml"), &manifest_dir.join("Cargo.toml"));

    let main_rs = fs::read_to_string(src.join("main.rs")).expect("read server/src/main.rs");
    let mut out = String::new();
    for line in main_rs.lines() {
        let t = line.trim_start();
        if t.starts_with("//!") || t.starts_with("#![") {
            continue;
        }
        let module = t
            .strip_prefix("pub ")
            .unwrap_or(t)
            .strip_prefix("mod ")
            .and_then(|r| r.strip_suffix(';'));
        if let Some(name) = module {
            let file = module_file(&src, name.trim());
            out.push_str(&format!("#[path = {:?}]\n", file.display().to_string()));
        }
        if t.starts_with("fn main()") {
            out.push_str(&line.replacen("fn main()", "fn server_main()", 1));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    fs::write(out_dir.join("server_main.rs"), out).expect("write server_main.rs");
}

fn module_file(src: &Path, name: &str) -> PathBuf {
    let dir = src.join(name).join("mod.rs");
    let file = if dir.exists() {
        dir
    } else {
        src.join(format!("{name}.rs"))
    };
    file.canonicalize()
        .unwrap_or_else(|e| panic!("server module {name}: {}: {e}", file.display()))
}

fn dependency_names(manifest: &Path) -> Vec<String> {
    let text = fs::read_to_string(manifest).expect("read a Cargo.toml");
    let value: toml::Table = text.parse().expect("parse a Cargo.toml");
    value
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default()
}

fn check_dependencies(server: &Path, fuzz: &Path) {
    let ours = dependency_names(fuzz);
    let missing: Vec<String> = dependency_names(server)
        .into_iter()
        .filter(|d| !ours.contains(d))
        .collect();
    assert!(
        missing.is_empty(),
        "server/Cargo.toml depends on {missing:?}: add the same to fuzz/Cargo.toml \
         [dependencies] (the session target compiles the server's modules)"
    );
}
