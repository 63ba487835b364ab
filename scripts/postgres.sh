# A throwaway PostgreSQL 15 cluster for the test run; `source` it, then `start_postgres` and
# `stop_postgres`. The cluster lives in a temp dir of its own, listens on 127.0.0.1 on a free
# port with trust auth, and is stopped by its data dir, so a cluster someone else runs on this
# machine (Debian's `15/main` included) is never used, changed or stopped.
# start_postgres exports FOUNTAINAI_TEST_PG=postgres://fountainai@127.0.0.1:PORT/postgres.
# start_postgres_tls / stop_postgres_tls: a second such cluster that takes TLS connections only.

# The versioned path: another `initdb` earlier on PATH may belong to another major version.
POSTGRES_BIN=/usr/lib/postgresql/15/bin
# initdb and postgres refuse to run as root (CI runs as root): then a system user of ours.
POSTGRES_USER_AS_ROOT=fountainai-pg
postgres_dir=""
postgres_tls_dir=""

# Runs a PostgreSQL binary as the cluster's owner, from / (that user may not read our cwd).
as_postgres_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u "$POSTGRES_USER_AS_ROOT" -- "$@")
  else
    (cd / && "$@")
  fi
}

# Nothing answers on 127.0.0.1:$1. Racy by nature; start_postgres moves on if the bind fails.
postgres_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_postgres() {
  if [ -n "$postgres_dir" ]; then
    echo "start_postgres: a cluster of ours already runs in $postgres_dir" >&2
    return 1
  fi
  if [ "$(id -u)" -eq 0 ] && ! id -u "$POSTGRES_USER_AS_ROOT" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$POSTGRES_USER_AS_ROOT"
  fi
  postgres_dir=$(mktemp -d -t fountainai-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown "$POSTGRES_USER_AS_ROOT" "$postgres_dir"
  if ! as_postgres_owner "$POSTGRES_BIN/initdb" -D "$postgres_dir" --auth=trust \
    --username=fountainai --encoding=UTF8 --locale=C.UTF-8 >"$postgres_dir.initdb.log" 2>&1; then
    cat "$postgres_dir.initdb.log" >&2
    rm -f "$postgres_dir.initdb.log"
    stop_postgres
    return 1
  fi
  rm -f "$postgres_dir.initdb.log"
  if [ -n "${POSTGRES_CONFIGURE:-}" ] && ! "$POSTGRES_CONFIGURE" "$postgres_dir"; then
    echo "start_postgres: $POSTGRES_CONFIGURE failed" >&2
    stop_postgres
    return 1
  fi
  local port
  for port in $(seq 55432 55531); do
    postgres_port_free "$port" || continue
    if as_postgres_owner "$POSTGRES_BIN/pg_ctl" -D "$postgres_dir" -l "$postgres_dir/log" -w \
      -o "-k $postgres_dir -c listen_addresses=127.0.0.1 -p $port -c fsync=off -c max_connections=200" \
      start >/dev/null; then
      export FOUNTAINAI_TEST_PG="postgres://fountainai@127.0.0.1:$port/postgres"
      echo "== PostgreSQL 15: a throwaway cluster at $FOUNTAINAI_TEST_PG (data and log in $postgres_dir)"
      return 0
    fi
    # Another process took the port between the probe and the bind: try the next one.
    grep -q "could not bind\|could not create any TCP/IP sockets" "$postgres_dir/log" 2>/dev/null || break
  done
  echo "start_postgres: the cluster in $postgres_dir did not start:" >&2
  cat "$postgres_dir/log" >&2 2>/dev/null || true
  stop_postgres
  return 1
}

# Stops our cluster (by its data dir, nothing else) and removes it; $1, if given, keeps a copy
# of the server's log there. Safe to call twice, or after a start that failed.
stop_postgres() {
  [ -n "$postgres_dir" ] || return 0
  if [ -f "$postgres_dir/postmaster.pid" ]; then
    as_postgres_owner "$POSTGRES_BIN/pg_ctl" -D "$postgres_dir" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "${1:-}" ] && [ -f "$postgres_dir/log" ]; then cp "$postgres_dir/log" "$1" || true; fi
  rm -rf "$postgres_dir"
  postgres_dir=""
postgres_tls_dir=""
  unset FOUNTAINAI_TEST_PG
}

# A second throwaway cluster for the TLS tests: ssl=on with a certificate for 127.0.0.1 signed by
# a CA made here (openssl, EC P-256: quick), and a pg_hba.conf that accepts TCP only over TLS.
# Exports FOUNTAINAI_TEST_PG_TLS (its URL, no sslmode) and FOUNTAINAI_TEST_PG_TLS_CA (the CA's
# certificate). Leaves start_postgres's cluster alone.
start_postgres_tls() {
  if [ -n "$postgres_tls_dir" ]; then
    echo "start_postgres_tls: a TLS cluster of ours already runs in $postgres_tls_dir" >&2
    return 1
  fi
  # start_postgres's cluster, if any, is set aside while it makes this one, then put back.
  local plain_dir=$postgres_dir plain_url=${FOUNTAINAI_TEST_PG:-} tls_url="" ca=""
  postgres_dir=""
  if start_postgres_with_tls; then
    tls_url=$FOUNTAINAI_TEST_PG
    ca="$postgres_dir/test-ca/ca.crt"
  fi
  postgres_tls_dir=$postgres_dir
  postgres_dir=$plain_dir
  if [ -n "$plain_url" ]; then export FOUNTAINAI_TEST_PG=$plain_url; else unset FOUNTAINAI_TEST_PG; fi
  [ -n "$tls_url" ] || return 1
  export FOUNTAINAI_TEST_PG_TLS=$tls_url FOUNTAINAI_TEST_PG_TLS_CA=$ca
  echo "== PostgreSQL 15 over TLS only: $FOUNTAINAI_TEST_PG_TLS (CA $FOUNTAINAI_TEST_PG_TLS_CA)"
}

# start_postgres, with the server's certificate made and TLS switched on before it starts.
start_postgres_with_tls() {
  POSTGRES_CONFIGURE=configure_postgres_tls start_postgres >/dev/null
}

# Called by start_postgres between initdb and the start, with the data dir.
configure_postgres_tls() {
  local data=$1 ca="$1/test-ca"
  mkdir -p "$ca"
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -keyout "$ca/ca.key" -out "$ca/ca.crt" -days 2 \
    -subj "/CN=FountainAI test CA" 2>/dev/null || return 1
  openssl req "${ec[@]}" -keyout "$data/server.key" -out "$ca/server.csr" \
    -subj "/CN=127.0.0.1" 2>/dev/null || return 1
  openssl x509 -req -in "$ca/server.csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" -CAcreateserial \
    -days 2 -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n') \
    -out "$data/server.crt" 2>/dev/null || return 1
  chmod 600 "$data/server.key"
  [ "$(id -u)" -eq 0 ] && chown "$POSTGRES_USER_AS_ROOT" "$data/server.key" "$data/server.crt"
  printf 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n' >"$data/pg_hba.conf"
  printf "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n" \
    >>"$data/postgresql.conf"
}

stop_postgres_tls() {
  [ -n "$postgres_tls_dir" ] || return 0
  local plain_dir=$postgres_dir plain_url=${FOUNTAINAI_TEST_PG:-}
  postgres_dir=$postgres_tls_dir
  stop_postgres "${1:-}"
  postgres_tls_dir=""
  postgres_dir=$plain_dir
  if [ -n "$plain_url" ]; then export FOUNTAINAI_TEST_PG=$plain_url; fi
  unset FOUNTAINAI_TEST_PG_TLS FOUNTAINAI_TEST_PG_TLS_CA
}
