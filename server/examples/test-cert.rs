//! Writes a test CA and a server certificate for `localhost` / `127.0.0.1` signed by it:
//! `test-cert DIR` makes `DIR/ca.pem`, `DIR/cert.pem` and `DIR/key.pem`. For the JS tests
//! of `wss://` (tests/js/tls.test.js); never for real use.

#[path = "../tests/support/pki.rs"]
mod pki;

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: test-cert DIR");
        std::process::exit(2);
    };
    let files = pki::TestPki::new("tinyim test CA").write(std::path::Path::new(&dir));
    println!("{}", files.cert.display());
}
