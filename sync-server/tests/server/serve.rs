//! The accept loop on a real socket: slow and oversized clients, TLS, and the files the server
//! creates.

use super::open_store;
use std::sync::Arc;
use std::time::Duration;

use homeward_sync_server::store::{Role, Store};
use homeward_sync_server::{AppState, router, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A server on 127.0.0.1:0 in this runtime; returns its address and a fieldworker's token.
async fn start(
    tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
) -> (tempfile::TempDir, std::net::SocketAddr, String) {
    let tmp = tempfile::tempdir().expect("test step");
    let mut store = open_store(&tmp.path().join("s.db")).expect("test step");
    store
        .add_user(
            "anita",
            Role::Fieldworker,
            &[("Gaya".into(), "Tekari".into())],
            None,
        )
        .expect("test step");
    let code = store.enrolment_code("anita").expect("test step");
    let token = store
        .enrol(&code, &[9; 16], "phone")
        .expect("test step")
        .token;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("address");
    let app = router(AppState::new(store));
    tokio::spawn(serve::serve(listener, app, tls, std::future::pending()));
    (tmp, addr, token)
}

/// Reads until the peer closes or `limit` passes; returns what was read and whether it closed.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, bool) {
    let mut buf = Vec::new();
    let closed = tokio::time::timeout(limit, async {
        let mut chunk = [0u8; 4096];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await
    .is_ok();
    (String::from_utf8_lossy(&buf).into_owned(), closed)
}

#[tokio::test(start_paused = true)]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    let (_tmp, addr, _) = start(None).await;
    // Two hundred clients connect and send half a request line; one sends nothing at all.
    let mut idle = Vec::new();
    for _ in 0..200 {
        let mut s = TcpStream::connect(addr).await.expect("connects");
        s.write_all(b"POST /api/v1/sync HT").await.expect("writes");
        idle.push(s);
    }
    let mut silent = TcpStream::connect(addr).await.expect("connects");
    let (_, closed) = read_until_closed(&mut silent, Duration::from_secs(3600)).await;
    assert!(closed, "a silent connection is closed");
    for s in &mut idle {
        let (_, closed) = read_until_closed(s, serve::HEADER_TIMEOUT * 2).await;
        assert!(
            closed,
            "a trickling connection is closed after the header timeout"
        );
    }
    // The server still answers.
    let mut s = TcpStream::connect(addr).await.expect("connects");
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("writes");
    let (answer, _) = read_until_closed(&mut s, Duration::from_secs(60)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test(start_paused = true)]
async fn a_body_that_trickles_in_is_cut_off() {
    let (_tmp, addr, token) = start(None).await;
    let mut s = TcpStream::connect(addr).await.expect("connects");
    s.write_all(
        format!(
            "POST /api/v1/sync HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
             Content-Length: 1000\r\n\r\nab"
        )
        .as_bytes(),
    )
    .await
    .expect("writes");
    let (answer, closed) = read_until_closed(&mut s, Duration::from_secs(3600)).await;
    assert!(closed, "the connection is not held for ever");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
}

#[tokio::test]
async fn a_huge_content_length_is_refused_at_once_without_reading_the_body() {
    let (_tmp, addr, token) = start(None).await;
    for (path, auth) in [
        ("/api/v1/sync", format!("Authorization: Bearer {token}\r\n")),
        ("/login", String::new()),
        ("/api/v1/enrol", String::new()),
    ] {
        let mut s = TcpStream::connect(addr).await.expect("connects");
        s.write_all(
            format!(
                "POST {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/x-www-form-urlencoded\r\n\
                 Content-Length: 10000000000\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .expect("writes");
        let (answer, _) = read_until_closed(&mut s, Duration::from_secs(20)).await;
        assert!(
            answer.starts_with("HTTP/1.1 413"),
            "{path}: answered before any body byte was sent: {answer:?}"
        );
    }
}

#[tokio::test]
async fn the_server_speaks_https_with_a_configured_certificate() {
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = rcgen::CertificateParams::new(vec!["localhost".into()])
        .expect("params")
        .self_signed(&key)
        .expect("certificate");
    let dir = tempfile::tempdir().expect("test step");
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert.pem()).expect("writes");
    std::fs::write(&key_path, key.serialize_pem()).expect("writes");
    let config = serve::tls_config(&cert_path, &key_path).expect("loads");
    let (_tmp, addr, _) = start(Some(config)).await;

    let mut roots = tokio_rustls::rustls::RootCertStore::empty();
    roots
        .add(cert.der().clone())
        .expect("trusts the test certificate");
    let client = tokio_rustls::rustls::ClientConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client));
    let tcp = TcpStream::connect(addr).await.expect("connects");
    let name = rustls_pki_types::ServerName::try_from("localhost").expect("name");
    let mut tls = connector.connect(name, tcp).await.expect("handshake");
    tls.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .expect("writes");
    let mut answer = String::new();
    let _ = tls.read_to_string(&mut answer).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("ok"), "{answer}");

    // Plain HTTP to the TLS port gets no answer from the application.
    let mut plain = TcpStream::connect(addr).await.expect("connects");
    plain
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("writes");
    let (answer, _) = read_until_closed(&mut plain, Duration::from_secs(20)).await;
    assert!(!answer.contains("200 OK"), "{answer}");

    assert!(
        serve::tls_config(&key_path, &key_path).is_err(),
        "a key is not a certificate: a clear error"
    );
}

#[test]
fn the_database_and_its_journal_are_readable_by_the_server_user_only() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("test step");
    let path = tmp.path().join("s.db");
    let mut store = Store::open(&path, None).expect("opens");
    store
        .add_user(
            "anita",
            Role::Fieldworker,
            &[("Gaya".into(), "Tekari".into())],
            None,
        )
        .expect("writes");
    for name in ["s.db", "s.db-wal", "s.db-shm"] {
        let mode = std::fs::metadata(tmp.path().join(name))
            .expect("exists")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{name} is private: {mode:o}");
    }
}

#[test]
fn serving_beyond_loopback_needs_tls_and_an_encrypted_database() {
    let tmp = tempfile::tempdir().expect("test step");
    let db = tmp.path().join("s.db");
    let run = |args: &[&str], key: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_homeward-sync-server"));
        cmd.arg("--db").arg(&db).args(args);
        cmd.env_remove("HOMEWARD_DB_KEY");
        if let Some(k) = key {
            cmd.env("HOMEWARD_DB_KEY", k);
        }
        cmd.output().expect("runs")
    };
    let o = run(&["serve", "--listen", "0.0.0.0:0"], Some("k"));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("plain HTTP"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let db2 = tmp.path().join("t.db");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_homeward-sync-server"))
        .arg("--db")
        .arg(&db2)
        .args(["serve", "--listen", "0.0.0.0:0", "--plain-http"])
        .env_remove("HOMEWARD_DB_KEY")
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("unencrypted database"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A refused server made no database (it used to create an empty, unencrypted one first),
    // nor does a refused demo fill one with a thousand cases before refusing.
    assert!(!db.exists() && !db2.exists(), "no database was created");
    let db3 = tmp.path().join("demo.db");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_homeward-sync-server"))
        .arg("--db")
        .arg(&db3)
        .args(["demo", "--listen", "0.0.0.0:0"])
        .env_remove("HOMEWARD_DB_KEY")
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(!db3.exists(), "the refused demo made no database");
}
