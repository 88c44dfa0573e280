//! TLS on `--listen` (`--tls-cert FILE --tls-key FILE`): `wss://` and `https://` served by
//! rustls (ring as the crypto provider; no OpenSSL), reloaded on SIGHUP.
//!
//! Mini programs connect only to `wss://` with a trusted certificate, so this is what lets
//! tinyim-server face them without a proxy. The certificate file is a PEM chain (leaf first,
//! as issuers deliver it), the key file one PEM private key (PKCS#8, PKCS#1 or SEC1).
//!
//! **Reload.** Certificates are renewed every few months; SIGHUP reads both files again and
//! makes the result the configuration for every handshake from then on. Connections already
//! open keep the session they negotiated, so nothing is dropped. A reload that fails (a file
//! half-written, a key that does not match) is logged and the old certificate stays in use.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;

/// The certificate and key files and the configuration made from them.
pub struct Tls {
    cert: PathBuf,
    key: PathBuf,
    current: RwLock<Arc<ServerConfig>>,
}

impl Tls {
    /// Reads `cert` and `key`; an error says which file is wrong and how.
    pub fn load(cert: &Path, key: &Path) -> Result<Tls, String> {
        Ok(Tls {
            cert: cert.to_owned(),
            key: key.to_owned(),
            current: RwLock::new(server_config(cert, key)?),
        })
    }

    /// The acceptor for the next handshake.
    pub fn acceptor(&self) -> TlsAcceptor {
        let config = self.current.read().unwrap_or_else(|e| e.into_inner());
        TlsAcceptor::from(Arc::clone(&config))
    }

    /// Reads both files again; on success new handshakes use them, on failure nothing
    /// changes.
    pub fn reload(&self) -> Result<(), String> {
        let fresh = server_config(&self.cert, &self.key)?;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(())
    }
}

fn server_config(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>, String> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect())
        .map_err(|e| format!("--tls-cert {}: {e}", cert.display()))?;
    if chain.is_empty() {
        return Err(format!(
            "--tls-cert {}: no certificate in the file",
            cert.display()
        ));
    }
    let key_der = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| format!("--tls-key {}: {e}", key.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .map_err(|e| {
            format!(
                "--tls-cert {} / --tls-key {}: {e}",
                cert.display(),
                key.display()
            )
        })?;
    // Only HTTP/1.1 is served (the WebSocket upgrade is an HTTP/1.1 request).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Reloads `tls` on every SIGHUP until `shutdown`. Without TLS a SIGHUP is logged and
/// ignored (rather than ending the process, which is its default action).
pub fn reload_on_sighup(tls: Option<Arc<Tls>>, shutdown: CancellationToken) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hup) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot watch SIGHUP: TLS files will not be reloaded");
            return;
        };
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                got = hup.recv() => if got.is_none() { return },
            }
            match &tls {
                None => tracing::info!("SIGHUP: no TLS configured, nothing to reload"),
                Some(t) => match t.reload() {
                    Ok(()) => {
                        tracing::info!(cert = %t.cert.display(), "SIGHUP: TLS certificate reloaded")
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "SIGHUP: TLS reload failed; keeping the old certificate")
                    }
                },
            }
        }
    });
    #[cfg(not(unix))]
    let _ = (tls, shutdown);
}
