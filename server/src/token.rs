//! Token04: ZEGO's login token format, verified (both forms) and minted (GCM form).
//!
//! tinyim keeps ZEGO's layout byte for byte (ZIM-API.md §8) so that a business back end that
//! already mints tokens with one of ZEGO's published Token04 generators keeps working:
//!
//! ```text
//! token := "04" + base64( expire:i64 BE | nonce_len:u16 BE | nonce | cipher_len:u16 BE
//!                         | ciphertext | mode:u8 )
//! ```
//!
//! - mode 1: AES-256-GCM, 12-byte nonce, 16-byte tag appended to the ciphertext.
//! - no mode byte, or mode 0 (legacy): AES-256-CBC with PKCS#7 padding, 16-byte IV.
//!
//! The key is the app's 32-character server secret taken as its 32 ASCII bytes. The plaintext
//! is JSON `{app_id, user_id, nonce, ctime, expire, payload}`. Verification never panics: any
//! byte string yields an expiry or a ZIM error code.

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use tinyim_protocol::code;

type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;

/// The version prefix every Token04 carries.
const VERSION_PREFIX: &str = "04";
/// Mode byte of the current (GCM) form.
const MODE_GCM: u8 = 1;

/// The JSON inside a token.
#[derive(Debug, Serialize, Deserialize)]
pub struct TokenPayload {
    pub app_id: u64,
    pub user_id: String,
    #[serde(default)]
    pub nonce: i64,
    #[serde(default)]
    pub ctime: i64,
    pub expire: i64,
    #[serde(default)]
    pub payload: String,
}

/// Why a token was refused, as the ZIM code the client sees plus a log-friendly reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    pub code: u32,
    pub reason: &'static str,
}

impl TokenError {
    fn invalid(reason: &'static str) -> Self {
        TokenError {
            code: code::TOKEN_INVALID,
            reason,
        }
    }
}

/// `true` if `secret` can be a Token04 key (32 bytes, used as AES-256 key).
pub fn is_valid_secret(secret: &str) -> bool {
    secret.len() == 32
}

/// Checks `token` for `app_id` / `user_id` with `secret`, at `now` (Unix seconds). Returns the
/// token's expiry (Unix seconds).
pub fn verify(
    token: &str,
    app_id: u32,
    user_id: &str,
    secret: &str,
    now: u64,
) -> Result<u64, TokenError> {
    let Some(body) = token.strip_prefix(VERSION_PREFIX) else {
        return Err(TokenError {
            code: code::TOKEN_VERSION_ERROR,
            reason: "token does not start with version 04",
        });
    };
    let key: &[u8; 32] = secret
        .as_bytes()
        .try_into()
        .map_err(|_| TokenError::invalid("app secret is not 32 bytes"))?;
    let raw = BASE64
        .decode(body.trim())
        .map_err(|_| TokenError::invalid("token is not base64"))?;

    // Binary layout.
    let mut r = Cursor(&raw);
    let expire_outer = i64::from_be_bytes(r.take(8)?.try_into().unwrap_or([0; 8]));
    let nonce_len = r.u16()? as usize;
    let nonce = r.take(nonce_len)?;
    let cipher_len = r.u16()? as usize;
    let cipher = r.take(cipher_len)?;
    let mode = match r.0 {
        [] => 0,
        [m] => *m,
        _ => return Err(TokenError::invalid("trailing bytes in token")),
    };

    let plain = match mode {
        MODE_GCM => {
            if nonce.len() != 12 {
                return Err(TokenError::invalid("GCM nonce is not 12 bytes"));
            }
            let aead = Aes256Gcm::new(key.into());
            aead.decrypt(Nonce::from_slice(nonce), cipher)
                .map_err(|_| TokenError::invalid("token does not decrypt with the app secret"))?
        }
        0 => {
            let iv: &[u8; 16] = nonce
                .try_into()
                .map_err(|_| TokenError::invalid("CBC IV is not 16 bytes"))?;
            Aes256CbcDec::new(key.into(), iv.into())
                .decrypt_padded_vec_mut::<Pkcs7>(cipher)
                .map_err(|_| TokenError::invalid("token does not decrypt with the app secret"))?
        }
        _ => {
            return Err(TokenError {
                code: code::TOKEN_VERSION_ERROR,
                reason: "unknown token encryption mode",
            })
        }
    };

    // The same answer as a bad padding: telling the two apart would make logins a CBC
    // padding oracle, through which a token for any user can be forged (CBC-R).
    let payload: TokenPayload = serde_json::from_slice(&plain)
        .map_err(|_| TokenError::invalid("token does not decrypt with the app secret"))?;
    if payload.app_id != u64::from(app_id) {
        return Err(TokenError::invalid("token is for another app"));
    }
    if payload.user_id != user_id {
        return Err(TokenError::invalid("token is for another user"));
    }
    // The outer expiry is in clear text; the inner one is authenticated. Both must hold.
    let expire = payload.expire.min(expire_outer);
    if expire <= 0 || (expire as u64) <= now {
        return Err(TokenError {
            code: code::TOKEN_EXPIRED,
            reason: "token expired",
        });
    }
    Ok(expire as u64)
}

/// Mints a Token04 (GCM form) for `user_id` of `app_id`, valid `ttl` seconds from `now`.
pub fn mint(app_id: u32, secret: &str, user_id: &str, ttl: u64, now: u64, payload: &str) -> String {
    let mut rng = rand::rng();
    let expire = now.saturating_add(ttl) as i64;
    let json = serde_json::to_vec(&TokenPayload {
        app_id: u64::from(app_id),
        user_id: user_id.to_owned(),
        nonce: i64::from(rng.next_u32() as i32),
        ctime: now as i64,
        expire,
        payload: payload.to_owned(),
    })
    .unwrap_or_default();
    let mut nonce = [0u8; 12];
    rng.fill_bytes(&mut nonce);
    let mut key = [0u8; 32];
    let bytes = secret.as_bytes();
    let n = bytes.len().min(32);
    key[..n].copy_from_slice(&bytes[..n]);
    let aead = Aes256Gcm::new((&key).into());
    let cipher = aead
        .encrypt(Nonce::from_slice(&nonce), json.as_slice())
        .unwrap_or_default();

    let mut out = Vec::with_capacity(8 + 2 + 12 + 2 + cipher.len() + 1);
    out.extend_from_slice(&expire.to_be_bytes());
    out.extend_from_slice(&(nonce.len() as u16).to_be_bytes());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&(cipher.len() as u16).to_be_bytes());
    out.extend_from_slice(&cipher);
    out.push(MODE_GCM);
    format!("{VERSION_PREFIX}{}", BASE64.encode(out))
}

/// A tiny bounds-checked reader over the decoded token bytes.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], TokenError> {
        if n > self.0.len() {
            return Err(TokenError::invalid("token is truncated"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u16(&mut self) -> Result<u16, TokenError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn mint_then_verify() {
        let t = mint(7, SECRET, "alice", 100, 1_000, "");
        assert_eq!(verify(&t, 7, "alice", SECRET, 1_000), Ok(1_100));
        assert_eq!(
            verify(&t, 7, "alice", SECRET, 1_100).unwrap_err().code,
            code::TOKEN_EXPIRED
        );
        assert_eq!(
            verify(&t, 8, "alice", SECRET, 1_000).unwrap_err().code,
            code::TOKEN_INVALID
        );
        assert_eq!(
            verify(&t, 7, "bob", SECRET, 1_000).unwrap_err().code,
            code::TOKEN_INVALID
        );
        let other = "ffffffffffffffffffffffffffffffff";
        assert_eq!(
            verify(&t, 7, "alice", other, 1_000).unwrap_err().code,
            code::TOKEN_INVALID
        );
        assert_eq!(
            verify(&t[2..], 7, "alice", SECRET, 1_000).unwrap_err().code,
            code::TOKEN_VERSION_ERROR
        );
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "",
            "04",
            "04!!!",
            "04AAAA",
            "04AAAAAAAAAAAAAAAAAAAA==",
            "03abc",
        ] {
            assert!(verify(s, 1, "a", SECRET, 0).is_err());
        }
        // Every truncation of a valid token is refused.
        let t = mint(7, SECRET, "alice", 100, 1_000, "");
        let raw = BASE64.decode(&t[2..]).unwrap();
        for n in 0..raw.len() {
            let cut = format!("04{}", BASE64.encode(&raw[..n]));
            assert!(verify(&cut, 7, "alice", SECRET, 1_000).is_err(), "len {n}");
        }
    }
}
