//! The file endpoint of media messages (`POST /files`, `GET /files/<app>/<id>`) against the
//! real server over loopback: the token check, the size cap per type, the round trip of the
//! bytes and their type, and that a stored file survives a restart.

mod support;

use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One HTTP/1.1 exchange: (status, head, body).
async fn exchange(addr: &str, head: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf).await;
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP answer");
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head, buf[split + 4..].to_vec())
}

/// Uploads `bytes` as `wx.uploadFile` does (one multipart file part named "file").
async fn upload(
    srv: &Server,
    query: &str,
    token: &str,
    bytes: &[u8],
    mime: &str,
) -> (u16, serde_json::Value) {
    let boundary = "----tinyimtestboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nignored\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\
         Content-Type: {mime}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let head = format!(
        "POST /files?{query} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\
         Authorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        srv.addr,
        body.len()
    );
    let (status, _, body) = exchange(&srv.addr, &head, &body).await;
    (status, serde_json::from_slice(&body).unwrap_or_default())
}

async fn get(srv: &Server, path: &str) -> (u16, String, Vec<u8>) {
    let head = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        srv.addr
    );
    exchange(&srv.addr, &head, &[]).await
}

#[tokio::test]
async fn files_are_stored_served_capped_and_kept_across_restarts() {
    let dir = temp_dir("files");
    let mut args = default_args();
    args.extend(["--max-upload-bytes".to_owned(), "image=1000".to_owned()]);
    let mut srv = Server::start_in(&dir, &args);
    let q = format!("appID={APP}&userID=alice&type=11");
    let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();

    // Round trip: the bytes and their type come back, with the length.
    let (status, r) = upload(&srv, &q, &token("alice"), &bytes, "image/png").await;
    assert_eq!(status, 200, "{r}");
    let id = r["fileUID"].as_str().unwrap().to_owned();
    let url = r["url"].as_str().unwrap().to_owned();
    assert_eq!(url, format!("/files/{APP}/{id}"));
    assert_eq!(r["fileSize"], 1000);
    let (status, head, body) = get(&srv, &url).await;
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: image/png"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase().contains("content-length: 1000"),
        "{head}"
    );
    let head = head.to_ascii_lowercase();
    assert!(head.contains("content-security-policy: sandbox"), "{head}");
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");
    assert_eq!(body, bytes);

    // A second upload gets another, unguessable ID.
    let (_, r2) = upload(&srv, &q, &token("alice"), b"x", "image/png").await;
    assert_ne!(r2["fileUID"], r["fileUID"]);
    assert_eq!(r2["fileUID"].as_str().unwrap().len(), 32);

    // Over the image cap (1000 here): 413 with ZIM's FileSizeInvalid; a file of the same size
    // is fine as a file message (its cap is the default 100 MB).
    let big = vec![1u8; 1001];
    let (status, r) = upload(&srv, &q, &token("alice"), &big, "image/png").await;
    assert_eq!((status, r["code"].as_u64()), (413, Some(6_000_214)), "{r}");
    let q_file = format!("appID={APP}&userID=alice&type=12");
    let (status, _) = upload(&srv, &q_file, &token("alice"), &big, "text/plain").await;
    assert_eq!(status, 200);

    // Tokens: another user's, a garbage one, none: 401 with FilePermissionDenied.
    for t in [token("bob"), "04garbage".to_owned(), String::new()] {
        let (status, r) = upload(&srv, &q, &t, b"hi", "image/png").await;
        assert_eq!((status, r["code"].as_u64()), (401, Some(6_000_216)), "{r}");
    }
    // An unknown type: 400 with FileTypeUnsupported.
    let q_bad = format!("appID={APP}&userID=alice&type=1");
    let (status, r) = upload(&srv, &q_bad, &token("alice"), b"hi", "image/png").await;
    assert_eq!((status, r["code"].as_u64()), (400, Some(6_000_213)), "{r}");

    // Unknown or malformed IDs: 404, and no path escapes the files dir.
    assert_eq!(
        get(&srv, &format!("/files/{APP}/{}", "0".repeat(32)))
            .await
            .0,
        404
    );
    assert_eq!(
        get(&srv, &format!("/files/{APP}/..%2F..%2Fdev-app.json"))
            .await
            .0,
        404
    );

    // Durable: after a restart (killed, not shut down) the file is still there.
    srv.kill();
    let srv = Server::start_in(&dir, &args);
    let (status, _, body) = get(&srv, &url).await;
    assert_eq!((status, body), (200, bytes));
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An upload that takes longer than the login deadline plus the close grace (1 s + 5 s here)
/// still completes: its token authenticates the connection, as a login does a WebSocket.
#[tokio::test]
async fn a_slow_upload_outlives_the_login_deadline() {
    let dir = temp_dir("files-slow");
    let mut args = default_args();
    args.extend(["--login-timeout-seconds".to_owned(), "1".to_owned()]);
    let srv = Server::start_in(&dir, &args);
    let boundary = "----slow";
    let head_part = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.bin\"\r\n\r\n"
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let pieces = 8usize;
    let piece = vec![7u8; 1000];
    let len = head_part.len() + pieces * piece.len() + tail.len();
    let head = format!(
        "POST /files?appID={APP}&userID=alice&type=12 HTTP/1.1\r\nHost: {}\r\n\
         Connection: close\r\nAuthorization: Bearer {}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len}\r\n\r\n",
        srv.addr,
        token("alice")
    );
    let mut s = TcpStream::connect(&srv.addr).await.unwrap();
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(head_part.as_bytes()).await.unwrap();
    for _ in 0..pieces {
        // 8 x 0.9 s: past the deadline (1 s) and its grace (5 s).
        tokio::time::sleep(std::time::Duration::from_millis(900)).await;
        s.write_all(&piece).await.unwrap();
    }
    s.write_all(tail.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf).await;
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.contains("\"fileSize\":8000"), "{text}");
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}
