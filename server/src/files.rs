//! The file endpoint of media messages (docs/areas/media.md), on the same listener as `/ws`.
//!
//! - `POST /files?appID=APP&userID=USER&type=11..14`, `Authorization: Bearer TOKEN` (the
//!   user's Token04, the one they log in with), body `multipart/form-data` with one file part
//!   (as `wx.uploadFile` and `FormData` send it): stored under
//!   `<data dir>/files/<app>/<id>`, answered with `{ "fileUID": id, "url": ".../files/<app>/<id>" }`
//!   once it is on disk (written to a temporary file, fsynced, renamed, the directory fsynced).
//!   Refusals are JSON `{ code, message }` with ZIM's codes: 401 (a bad or expired token,
//!   6000216 FilePermissionDenied), 413 (over the type's cap, 6000214 FileSizeInvalid), 400
//!   (no file part, a bad type: 6000213 / 6000210).
//! - `GET /files/<app>/<id>`: the file, streamed, with the Content-Type it was uploaded with
//!   and its Content-Length (`nosniff`, and `Content-Security-Policy: sandbox`, so an
//!   uploaded page cannot script this origin); 404 otherwise. Reading needs no token: the ID is 128 random bits
//!   from the OS's CSPRNG, a capability like a CDN URL (ZIM's download URLs are the same), so
//!   a receiver's `wx.downloadFile` (which cannot always add headers) just works.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;
use tinyim_protocol::limits::is_valid_user_id;
use tinyim_protocol::message_type;
use tokio::io::AsyncWriteExt;

use crate::guard::Admission;
use crate::server::{now_secs, Shared};
use crate::token;

/// ZIM's codes for file errors (ZIMErrorCode 6000210-6000220).
const FILE_ERROR: u32 = 6_000_210;
const FILE_SERVER_ERROR: u32 = 6_000_212;
const FILE_TYPE_UNSUPPORTED: u32 = 6_000_213;
const FILE_SIZE_INVALID: u32 = 6_000_214;
const FILE_PERMISSION_DENIED: u32 = 6_000_216;

/// Upload caps per media type, bytes: ZEGO's documented limits for ZIM's media messages
/// (image 10 MB, file 100 MB, audio 6 MB, video 100 MB); `--max-upload-bytes TYPE=BYTES`
/// changes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileLimits {
    pub image: u64,
    pub file: u64,
    pub audio: u64,
    pub video: u64,
}

const MB: u64 = 1024 * 1024;

impl Default for FileLimits {
    fn default() -> Self {
        FileLimits {
            image: 10 * MB,
            file: 100 * MB,
            audio: 6 * MB,
            video: 100 * MB,
        }
    }
}

impl FileLimits {
    /// The cap of media message type `kind` (11-14), `None` for another type.
    pub fn of(&self, kind: u8) -> Option<u64> {
        match kind {
            message_type::IMAGE => Some(self.image),
            message_type::FILE => Some(self.file),
            message_type::AUDIO => Some(self.audio),
            message_type::VIDEO => Some(self.video),
            _ => None,
        }
    }

    fn largest(&self) -> u64 {
        self.image.max(self.file).max(self.audio).max(self.video)
    }

    /// Applies one `TYPE=BYTES` setting (`image`, `file`, `audio`, `video`).
    pub fn set(&mut self, setting: &str) -> Result<(), String> {
        let bad = || format!("--max-upload-bytes {setting}: want image|file|audio|video=BYTES");
        let (kind, bytes) = setting.split_once('=').ok_or_else(bad)?;
        let bytes: u64 = bytes.trim().parse().map_err(|_| bad())?;
        match kind.trim() {
            "image" => self.image = bytes,
            "file" => self.file = bytes,
            "audio" => self.audio = bytes,
            "video" => self.video = bytes,
            _ => return Err(bad()),
        }
        Ok(())
    }
}

/// The routes of the file endpoint.
pub fn router(shared: &Arc<Shared>) -> Router<Arc<Shared>> {
    // The multipart framing around the file is a few hundred bytes; 64 KiB covers any.
    let body_cap = shared
        .config
        .file_limits
        .largest()
        .saturating_add(64 * 1024);
    Router::new()
        .route(
            "/files",
            post(upload).layer(DefaultBodyLimit::max(
                usize::try_from(body_cap).unwrap_or(usize::MAX),
            )),
        )
        .route("/files/{app}/{id}", get(download))
}

/// A refusal as ZIM's `{ code, message }`, logged as one line.
fn refuse(status: StatusCode, code: u32, message: &str) -> Response {
    tracing::info!(
        status = status.as_u16(),
        code,
        message,
        "file upload refused"
    );
    let body = serde_json::json!({ "code": code, "message": message });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

#[derive(Deserialize)]
struct UploadQuery {
    #[serde(rename = "appID")]
    app_id: Option<u32>,
    #[serde(rename = "userID")]
    user_id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<u8>,
}

/// The directory of an app's files.
fn app_dir(data_dir: &Path, app: u32) -> PathBuf {
    data_dir.join("files").join(app.to_string())
}

/// 128 random bits from the OS's CSPRNG, as 32 hex digits.
fn new_id() -> String {
    let bits: u128 = rand::random();
    format!("{bits:032x}")
}

/// `true` if `id` can be a file ID (so a URL can never name another path).
fn is_file_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// A refusal's status, ZIM code and message.
type Refused = (StatusCode, u32, &'static str);

/// The upload's app, user and size cap, or its refusal: the query names the app, the user
/// and the type; the token is that user's.
fn authorize(
    shared: &Shared,
    q: UploadQuery,
    headers: &HeaderMap,
) -> Result<(u32, String, u64), Refused> {
    let (Some(app), Some(user)) = (q.app_id, q.user_id.filter(|u| is_valid_user_id(u))) else {
        return Err((
            StatusCode::BAD_REQUEST,
            FILE_ERROR,
            "?appID=APP&userID=USER&type=11..14 required",
        ));
    };
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let Some(secret) = shared.config.apps.get(&app) else {
        return Err((
            StatusCode::UNAUTHORIZED,
            FILE_PERMISSION_DENIED,
            "unknown app ID",
        ));
    };
    if let Err(e) = token::verify(token, app, &user, secret, now_secs()) {
        return Err((StatusCode::UNAUTHORIZED, FILE_PERMISSION_DENIED, e.reason));
    }
    let Some(cap) = q.kind.and_then(|k| shared.config.file_limits.of(k)) else {
        return Err((
            StatusCode::BAD_REQUEST,
            FILE_TYPE_UNSUPPORTED,
            "type must be 11 (image), 12 (file), 13 (audio) or 14 (video)",
        ));
    };
    Ok((app, user, cap))
}

/// How much of a refused upload's body is read before answering: a client still sending
/// when the answer comes may see its write fail (EPIPE) and never read the answer, so a
/// small file gets its `{ code, message }`; a larger one is cut off (its sender sees a
/// network error) rather than read in full for nothing.
const DRAIN_LIMIT: usize = 1024 * 1024;

/// `answer`, after reading what is left of the body up to [`DRAIN_LIMIT`].
async fn drained(mut multipart: Multipart, answer: Response) -> Response {
    let mut left = DRAIN_LIMIT;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        while let Ok(Some(chunk)) = field.chunk().await {
            left = left.saturating_sub(chunk.len());
            if left == 0 {
                return answer;
            }
        }
    }
    answer
}

async fn upload(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<UploadQuery>,
    admission: Option<Extension<Admission>>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let cors = [(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")];
    let (app, user, cap) = match authorize(&shared, q, &headers) {
        Ok(ok) => ok,
        Err((status, code, message)) => {
            return drained(multipart, refuse(status, code, message)).await
        }
    };
    // The token is good: the connection is no longer a stranger's, so the login deadline
    // (which bounds plain HTTP connections) does not cut a long upload off.
    if let Some(Extension(a)) = admission {
        a.authenticated();
    }
    let mut field = loop {
        match multipart.next_field().await {
            Ok(Some(f)) if f.file_name().is_some() => break f,
            Ok(Some(_)) => continue, // a form field (wx.uploadFile's formData): ignored
            Ok(None) => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    FILE_ERROR,
                    "no file part in the form",
                )
            }
            Err(e) => return refuse(e.status(), FILE_ERROR, &e.body_text()),
        }
    };
    let content_type = field
        .content_type()
        .filter(|t| t.len() <= 128 && t.bytes().all(|b| b.is_ascii_graphic() || b == b' '))
        .unwrap_or("application/octet-stream")
        .to_owned();
    let dir = app_dir(&shared.config.data_dir, app);
    if let Err(e) = tokio::fs::create_dir_all(&dir).await {
        tracing::error!(error = %e, "cannot create the files dir");
        return refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            FILE_SERVER_ERROR,
            "cannot store",
        );
    }
    let id = new_id();
    let tmp = dir.join(format!("{id}.part"));
    let result = async {
        let mut out = tokio::fs::File::create(&tmp).await?;
        let mut size: u64 = 0;
        while let Some(chunk) = field.chunk().await.map_err(std::io::Error::other)? {
            size += chunk.len() as u64;
            if size > cap {
                return Ok(None);
            }
            out.write_all(&chunk).await?;
        }
        out.sync_all().await?;
        // Its type beside it, durable before the file appears under its name.
        let meta = dir.join(format!("{id}.type"));
        let mut m = tokio::fs::File::create(&meta).await?;
        m.write_all(content_type.as_bytes()).await?;
        m.sync_all().await?;
        tokio::fs::rename(&tmp, dir.join(&id)).await?;
        tokio::fs::File::open(&dir).await?.sync_all().await?;
        Ok::<_, std::io::Error>(Some(size))
    }
    .await;
    match result {
        Ok(Some(size)) => {
            tracing::info!(app, user = %user, file = %id, size, "file stored");
            let url = format!("/files/{app}/{id}");
            let body = serde_json::json!({ "fileUID": id, "url": url, "fileSize": size });
            (
                cors,
                [(header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
                .into_response()
        }
        Ok(None) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                FILE_SIZE_INVALID,
                "the file is larger than this type's limit",
            )
        }
        Err(e) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            tracing::warn!(error = %e, "file upload failed");
            refuse(
                StatusCode::BAD_REQUEST,
                FILE_ERROR,
                "the upload did not complete",
            )
        }
    }
}

async fn download(
    State(shared): State<Arc<Shared>>,
    UrlPath((app, id)): UrlPath<(u32, String)>,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "not found\n").into_response();
    if !is_file_id(&id) {
        return not_found();
    }
    let dir = app_dir(&shared.config.data_dir, app);
    let Ok(file) = tokio::fs::File::open(dir.join(&id)).await else {
        return not_found();
    };
    let Ok(meta) = file.metadata().await else {
        return not_found();
    };
    let content_type = tokio::fs::read_to_string(dir.join(format!("{id}.type")))
        .await
        .unwrap_or_else(|_| "application/octet-stream".to_owned());
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_LENGTH, meta.len().to_string()),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_owned()),
            // The type is the uploader's word: never sniffed, and a page (text/html, SVG)
            // opened from here runs sandboxed, so an upload cannot script this origin
            // (where --static-dir may serve the web chat).
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CONTENT_SECURITY_POLICY, "sandbox".to_owned()),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_ids() {
        let mut l = FileLimits::default();
        assert_eq!(l.of(11), Some(10 * MB));
        assert_eq!(l.of(1), None);
        l.set("audio=5").unwrap();
        assert_eq!(l.of(13), Some(5));
        assert!(l.set("gif=5").is_err() && l.set("image").is_err());
        let id = new_id();
        assert!(is_file_id(&id) && id != new_id());
        assert!(!is_file_id("../../etc/passwd") && !is_file_id(&id.to_uppercase()));
    }
}
