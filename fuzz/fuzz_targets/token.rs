//! Token04 verification (server/src/token.rs) on arbitrary tokens, and on tokens sealed with
//! the app's key around arbitrary layouts and plaintexts (random bytes almost never get past
//! AES-GCM's tag, so without sealing the checks after decryption would go unfuzzed).
//!
//! Checked, besides "never panics":
//! - an accepted token's expiry is in the future and no later than either of its expiries
//!   (the clear-text outer one and the authenticated inner one), and its JSON names the app
//!   and the user asked for;
//! - a GCM token changed in any byte of its sealed part (nonce, ciphertext, tag) is refused;
//! - a well-formed token sealed with the key for the right app and user, not expired, is
//!   accepted with the earlier of its two expiries (in both the GCM and the CBC form);
//! - `mint` then `verify` gives back the minted expiry.
#![no_main]

use aes::cipher::{block_padding::Pkcs7, BlockEncryptMut, KeyIvInit};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use arbitrary::Arbitrary;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use tinyim_server::token::{self, TokenPayload};

const SECRET: &str = "0123456789abcdef0123456789abcdef";
const APP: u32 = 1_234_567_890;
const USER: &str = "alice";

/// A value the checks compare against: the right one, or any.
#[derive(Arbitrary, Debug)]
enum Pick<T> {
    Right,
    Any(T),
}

#[derive(Arbitrary, Debug)]
enum Plain {
    /// The JSON of a payload with these fields.
    Json {
        app_id: Pick<u64>,
        user_id: Pick<String>,
        nonce: i64,
        ctime: i64,
        expire: i64,
        payload: String,
    },
    /// Any bytes.
    Bytes(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum Case {
    /// Any string as a token.
    Raw {
        token: String,
        app_id: u32,
        user: String,
        now: u64,
    },
    /// A token sealed with the key.
    Sealed {
        gcm: bool,
        outer_expire: i64,
        plain: Plain,
        /// Nonce (GCM, 12 bytes when `None`) or IV (CBC, 16 bytes when `None`).
        nonce: Option<Vec<u8>>,
        /// The mode byte: the form's own when `None` (none at all for CBC).
        mode: Option<u8>,
        trailing: Vec<u8>,
        /// Flip bit `.1 % 8` of sealed byte `.0` (nonce, ciphertext, tag).
        tamper: Option<(u16, u8)>,
        now: u64,
    },
    /// Mint, then verify.
    Mint {
        app_id: u32,
        user: String,
        ttl: u64,
        now: u64,
        payload: String,
    },
}

fn encrypt(gcm: bool, nonce: &[u8], plain: &[u8]) -> Option<Vec<u8>> {
    let key: &[u8; 32] = SECRET.as_bytes().try_into().ok()?;
    if gcm {
        if nonce.len() != 12 {
            return None;
        }
        Aes256Gcm::new(key.into())
            .encrypt(Nonce::from_slice(nonce), plain)
            .ok()
    } else {
        let iv: &[u8; 16] = nonce.try_into().ok()?;
        Some(
            cbc::Encryptor::<aes::Aes256>::new(key.into(), iv.into())
                .encrypt_padded_vec_mut::<Pkcs7>(plain),
        )
    }
}

/// Checks an accepted token against what it says inside (decrypted here independently).
fn check_accepted(expire: u64, now: u64, outer: i64, inner: &TokenPayload, app: u32, user: &str) {
    assert!(expire > now, "accepted an expired token");
    assert!(expire as i64 <= outer, "expiry later than the outer one");
    assert!(
        expire as i64 <= inner.expire,
        "expiry later than the inner one"
    );
    assert_eq!(
        inner.app_id,
        u64::from(app),
        "accepted a token for another app"
    );
    assert_eq!(inner.user_id, user, "accepted a token for another user");
}

fuzz_target!(|case: Case| match case {
    Case::Raw {
        token,
        app_id,
        user,
        now,
    } => {
        let _ = token::verify(&token, app_id, &user, SECRET, now);
        let _ = token::verify(&token, APP, USER, SECRET, now);
    }
    Case::Sealed {
        gcm,
        outer_expire,
        plain,
        nonce,
        mode,
        trailing,
        tamper,
        now,
    } => {
        let plain_bytes = match &plain {
            Plain::Json {
                app_id,
                user_id,
                nonce,
                ctime,
                expire,
                payload,
            } => serde_json::to_vec(&TokenPayload {
                app_id: match app_id {
                    Pick::Right => u64::from(APP),
                    Pick::Any(a) => *a,
                },
                user_id: match user_id {
                    Pick::Right => USER.into(),
                    Pick::Any(u) => u.clone(),
                },
                nonce: *nonce,
                ctime: *ctime,
                expire: *expire,
                payload: payload.clone(),
            })
            .unwrap(),
            Plain::Bytes(b) => b.clone(),
        };
        let nonce = nonce.unwrap_or_else(|| vec![7; if gcm { 12 } else { 16 }]);
        let Some(cipher) = encrypt(gcm, &nonce, &plain_bytes) else {
            return;
        };
        let (Ok(nonce_len), Ok(cipher_len)) =
            (u16::try_from(nonce.len()), u16::try_from(cipher.len()))
        else {
            return;
        };
        let mut sealed = nonce.clone();
        sealed.extend_from_slice(&cipher);
        let mut tampered = false;
        if let Some((at, bit)) = tamper {
            if !sealed.is_empty() {
                let i = usize::from(at) % sealed.len();
                sealed[i] ^= 1 << (bit % 8);
                tampered = true;
            }
        }
        let mut raw = outer_expire.to_be_bytes().to_vec();
        raw.extend_from_slice(&nonce_len.to_be_bytes());
        raw.extend_from_slice(&sealed[..nonce.len()]);
        raw.extend_from_slice(&cipher_len.to_be_bytes());
        raw.extend_from_slice(&sealed[nonce.len()..]);
        let mode_byte = mode.or(if gcm { Some(1) } else { None });
        if let Some(m) = mode_byte {
            raw.push(m);
        }
        raw.extend_from_slice(&trailing);
        let token_text = format!("04{}", BASE64.encode(&raw));
        let result = token::verify(&token_text, APP, USER, SECRET, now);

        // The truth, from the plaintext as sealed.
        let inner: Option<TokenPayload> = serde_json::from_slice(&plain_bytes).ok();
        if let (Ok(expire), false) = (&result, tampered) {
            let inner = inner
                .as_ref()
                .expect("accepted a token whose JSON does not parse");
            check_accepted(*expire, now, outer_expire, inner, APP, USER);
        }
        let right_form = trailing.is_empty()
            && match mode_byte {
                None | Some(0) => !gcm,
                Some(1) => gcm,
                Some(_) => false,
            };
        if gcm && tampered && mode_byte == Some(1) {
            assert!(
                result.is_err(),
                "accepted a GCM token with a changed sealed byte"
            );
        }
        if right_form && !tampered {
            if let Some(p) = inner.filter(|p| p.app_id == u64::from(APP) && p.user_id == USER) {
                let expire = p.expire.min(outer_expire);
                if expire > 0 && expire as u64 > now {
                    assert_eq!(result, Ok(expire as u64), "refused a well-formed token");
                }
            }
        }
    }
    Case::Mint {
        app_id,
        user,
        ttl,
        now,
        payload,
    } => {
        let minted = token::mint(app_id, SECRET, &user, ttl, now, &payload);
        let result = token::verify(&minted, app_id, &user, SECRET, now);
        // mint writes the expiry as an i64: only expiries up to i64::MAX survive.
        match now.checked_add(ttl) {
            Some(e) if ttl > 0 && e <= i64::MAX as u64 => {
                assert_eq!(result, Ok(e), "a minted token did not verify")
            }
            _ => assert!(result.is_err()),
        }
        // Another user, another app: refused.
        let other = format!("{user}x");
        assert!(token::verify(&minted, app_id, &other, SECRET, now).is_err());
        assert!(token::verify(&minted, app_id ^ 1, &user, SECRET, now).is_err());
    }
});
