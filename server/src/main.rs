//! The `tinyim-server` binary: see the library's docs (`src/lib.rs`) for the module map.

fn main() -> std::process::ExitCode {
    tinyim_server::cli::main()
}
