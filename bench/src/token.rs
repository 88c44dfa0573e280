//! Token04 minting in-process, from the documented layout (docs/protocol.md, ZIM-API.md §8).
//!
//! The server crate is a binary, not a library, so its minting code cannot be linked; running
//! `tinyim-server token` once per user would cost a process spawn per simulated user (seconds
//! for a few thousand users). The GCM form is a dozen lines, so the bench mints it itself:
//!
//! ```text
//! "04" + base64( expire:i64 BE | 12:u16 BE | nonce | len:u16 BE | AES-256-GCM(json)+tag | 1 )
//! ```
//!
//! with the app's 32-character secret as the key. A wrong token would fail every login, so
//! any mistake here shows at once as a failed run, not as skewed numbers.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use rand::RngCore;

/// Mints a GCM-form Token04 for `user` valid for `ttl` seconds from now.
pub fn mint(app_id: u32, secret: &str, user: &str, ttl: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let expire = now + ttl;
    let mut rng = rand::rng();
    // The user IDs the bench makes ("u123", "room-bench") need no JSON escaping.
    let json = format!(
        r#"{{"app_id":{app_id},"user_id":"{user}","nonce":{},"ctime":{now},"expire":{expire},"payload":""}}"#,
        rng.next_u32() as i32
    );
    let mut nonce = [0u8; 12];
    rng.fill_bytes(&mut nonce);
    let mut key = [0u8; 32];
    let n = secret.len().min(32);
    key[..n].copy_from_slice(&secret.as_bytes()[..n]);
    let cipher = Aes256Gcm::new((&key).into())
        .encrypt(Nonce::from_slice(&nonce), json.as_bytes())
        .expect("AES-GCM encryption of a short buffer cannot fail");
    let mut out = Vec::with_capacity(8 + 2 + 12 + 2 + cipher.len() + 1);
    out.extend_from_slice(&(expire as i64).to_be_bytes());
    out.extend_from_slice(&12u16.to_be_bytes());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&(cipher.len() as u16).to_be_bytes());
    out.extend_from_slice(&cipher);
    out.push(1);
    format!("04{}", BASE64.encode(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout the server parses: version, expiry, 12-byte nonce, ciphertext, mode 1.
    #[test]
    fn token_has_the_gcm_layout() {
        let t = mint(1, "0123456789abcdef0123456789abcdef", "u1", 60);
        let raw = BASE64.decode(t.strip_prefix("04").unwrap()).unwrap();
        assert_eq!(u16::from_be_bytes([raw[8], raw[9]]), 12);
        let clen = u16::from_be_bytes([raw[22], raw[23]]) as usize;
        assert_eq!(raw.len(), 24 + clen + 1);
        assert_eq!(*raw.last().unwrap(), 1);
    }
}
