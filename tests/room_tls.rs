//! A writers' room on a server that takes TLS connections only: the connection honours the
//! URL's `sslmode` (and `sslrootcert`). The server is the second throwaway cluster that
//! `scripts/test.sh` starts (`start_postgres_tls` in `scripts/postgres.sh`): a certificate for
//! 127.0.0.1 signed by a CA of its own, and a pg_hba.conf with `hostssl` lines only.

mod common;

use std::path::Path;
use std::process::Command;

use fountainai::Database;

const TLS_ENV: &str = "FOUNTAINAI_TEST_PG_TLS";
const CA_ENV: &str = "FOUNTAINAI_TEST_PG_TLS_CA";

fn tls_server() -> (String, String) {
    let var = |name: &str| {
        std::env::var(name).unwrap_or_else(|_| {
            panic!(
                "{name} is not set: these tests need a PostgreSQL server that takes TLS only. \
                 `scripts/test.sh` starts one (start_postgres_tls in scripts/postgres.sh), which \
                 sets {TLS_ENV} and {CA_ENV}"
            )
        })
    };
    (var(TLS_ENV), var(CA_ENV))
}

/// A fresh database on the TLS server; its URL without an sslmode, and the CA's certificate.
async fn fresh_room() -> (url::Url, String) {
    let (server, ca) = tls_server();
    let admin = format!("{server}?sslmode=require");
    let mut url = url::Url::parse(&common::fresh_database_on(&admin).await).expect("a URL");
    url.set_query(None);
    (url, ca)
}

fn with_query(url: &url::Url, query: &str) -> String {
    let mut url = url.clone();
    url.set_query(Some(query));
    url.to_string()
}

async fn encrypted(db: &Database) -> bool {
    sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .fetch_one(db.pool())
        .await
        .expect("the connection's TLS state")
}

#[tokio::test]
async fn a_room_opened_with_sslmode_require_is_encrypted_and_works() {
    let (url, _) = fresh_room().await;
    let db = Database::open_url(&with_query(&url, "sslmode=require"))
        .await
        .expect("open the room over TLS");
    assert!(encrypted(&db).await, "the connection is encrypted");
    let script = common::script(&db, "Over the Wire").await;
    let again = Database::open_url(&with_query(&url, "sslmode=require"))
        .await
        .expect("open the room again");
    let read = fountainai::scripts::get_script(&again, script.script_id)
        .await
        .expect("the script, read over TLS");
    assert_eq!(read.title, "Over the Wire");
}

#[tokio::test]
async fn a_room_verified_against_the_servers_ca_opens_and_is_encrypted() {
    let (url, ca) = fresh_room().await;
    let query = format!("sslmode=verify-full&sslrootcert={ca}");
    let db = Database::open_url(&with_query(&url, &query))
        .await
        .expect("the server's certificate checks out against its CA");
    assert!(encrypted(&db).await, "the connection is encrypted");
}

#[tokio::test]
async fn a_server_whose_certificate_another_ca_did_not_sign_is_refused_by_verify_full() {
    let (url, _) = fresh_room().await;
    let other = tempfile::tempdir().expect("temp dir");
    let other_ca = self_signed_ca(other.path());
    let query = format!("sslmode=verify-full&sslrootcert={}", other_ca.display());
    let refused = Database::open_url(&with_query(&url, &query)).await;
    let Err(error) = refused else {
        panic!("a certificate no trusted CA signed is refused, yet the room opened");
    };
    let message = error.to_string();
    assert!(
        message.contains("TLS certificate was not accepted") && message.contains("sslrootcert"),
        "the refusal says it is the server's certificate and what to check: {message}"
    );
}

#[tokio::test]
async fn a_connection_without_tls_to_a_tls_only_server_is_refused() {
    let (url, _) = fresh_room().await;
    let refused = Database::open_url(&with_query(&url, "sslmode=disable")).await;
    let Err(error) = refused else {
        panic!("the server takes TLS connections only, yet sslmode=disable opened the room");
    };
    let message = error.to_string();
    assert!(
        message.contains("no encryption"),
        "the refusal says the connection was not encrypted: {message}"
    );
}

/// A CA certificate of our own, made by `openssl`, that signed nothing the server has.
fn self_signed_ca(dir: &Path) -> std::path::PathBuf {
    let cert = dir.join("other-ca.crt");
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
        .args(["ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"])
        .args(["-subj", "/CN=Some other CA", "-keyout"])
        .arg(dir.join("other-ca.key"))
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("run openssl");
    assert!(
        made.status.success(),
        "openssl made a CA: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    cert
}
