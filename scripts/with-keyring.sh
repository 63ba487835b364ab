#!/usr/bin/env bash
# Runs a command with a secret service of its own, for the test of the room's keyring: run as
# `dbus-run-session -- scripts/with-keyring.sh COMMAND...`. gnome-keyring serves the private D-Bus
# session, its keyrings in a throwaway folder, unlocked with a throwaway password; it is
# stopped (only it) and the folder removed at the end.
set -euo pipefail
keyring_dir=$(mktemp -d -t fountainai-keyring.XXXXXX)
keyring_pid=""
stop_keyring() {
  if [ -n "$keyring_pid" ]; then kill "$keyring_pid" 2>/dev/null || true; wait "$keyring_pid" 2>/dev/null || true; fi
  rm -rf "$keyring_dir"
}
trap stop_keyring EXIT
printf 'throwaway' | XDG_DATA_HOME="$keyring_dir" XDG_RUNTIME_DIR="$keyring_dir" \
  gnome-keyring-daemon --foreground --unlock --components=secrets >"$keyring_dir/log" 2>&1 &
keyring_pid=$!
# Asked only the bus whether the name is taken: a call to the service itself before ours has
# it would start (activate) another, locked gnome-keyring in its place.
owned() {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true
}
# Up once the unlocked login keyring is the default collection.
unlocked() {
  gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
    --method org.freedesktop.Secret.Service.ReadAlias default 2>/dev/null | grep -q collection/
}
for _ in $(seq 100); do
  if owned && unlocked; then
    "$@"
    exit
  fi
  kill -0 "$keyring_pid" 2>/dev/null || break
  sleep 0.1
done
echo "with-keyring: gnome-keyring did not come up" >&2
cat "$keyring_dir/log" >&2
exit 1
