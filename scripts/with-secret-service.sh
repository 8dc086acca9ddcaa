#!/usr/bin/env bash
# Run a command against a private, unlocked Secret Service (gnome-keyring) on its own D-Bus
# session bus, with fresh XDG_DATA_HOME / XDG_RUNTIME_DIR folders, so tests never touch (and are
# never blocked by) a real login keyring.
#
#   usage: scripts/with-secret-service.sh <command> [args...]
#
# The command's exit code is propagated. Works with no stdin (CI runs with </dev/null).
# Inside an already-prepared private session (nested use) the command simply runs.
# Needs the Debian packages dbus, dbus-x11, gnome-keyring and libsecret-tools
# (scripts/ensure-system-packages.sh installs them).
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
readonly test_password='latchkey-test-keyring-password'

# Run "$@" as a child with the caller's stdin, forward TERM/HUP to it, and set $rc to its status.
# (A plain foreground child would not receive a TERM sent to this script; a plain `&` child would
# get /dev/null as stdin, hence the explicit <&0.)
run_forwarding() {
  "$@" <&0 &
  local child=$!
  trap 'kill -TERM "$child" 2>/dev/null || true' TERM HUP
  trap ':' INT # the child gets the terminal's SIGINT itself; just wait for it to finish
  while :; do
    if wait "$child"; then rc=0; else rc=$?; fi
    kill -0 "$child" 2>/dev/null || break
  done
  trap - TERM HUP INT
}

# ---- nested use: already inside a private session that this script prepared -------------------
if [[ -n "${LATCHKEY_SECRET_SERVICE_BUS:-}" && "${LATCHKEY_SECRET_SERVICE_BUS}" == "${DBUS_SESSION_BUS_ADDRESS:-}" ]]; then
  exec "$@"
fi

# ---- outer stage: start a private D-Bus session and re-run this script inside it --------------
if [[ "${LATCHKEY_SECRET_SERVICE_STAGE:-}" != "inner" ]]; then
  for tool in dbus-run-session dbus-daemon dbus-send gnome-keyring-daemon secret-tool; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "with-secret-service: '$tool' is missing; run scripts/ensure-system-packages.sh" >&2
      exit 1
    fi
  done

  base="$(mktemp -d "${TMPDIR:-/tmp}/latchkey-secret-service.XXXXXXXX")"
  trap 'rm -rf "$base"' EXIT
  mkdir -m 700 "$base/data" "$base/runtime"

  # dbus-daemon warns "Failed to set fd limit ... Operation not permitted" when it may not raise
  # RLIMIT_NOFILE; it is harmless. Filter only the daemon's own stderr, so the command's stderr
  # stays untouched (and stays a terminal when it is one). The filter closes every inherited fd
  # above 2: dbus-run-session reads the bus address from a pipe (--print-address N) until EOF.
  cat >"$base/dbus-daemon" <<EOF
#!/usr/bin/env bash
exec $(printf '%q' "$(command -v dbus-daemon)") "\$@" 2> >(
  for fd in /proc/self/fd/*; do fd="\${fd##*/}"; if (( fd > 2 )); then eval "exec \$fd>&-"; fi; done 2>/dev/null
  exec grep -v --line-buffered 'Failed to set fd limit' >&2
)
EOF
  chmod 700 "$base/dbus-daemon"

  rc=0
  run_forwarding env \
    LATCHKEY_SECRET_SERVICE_STAGE=inner \
    LATCHKEY_SECRET_SERVICE_BASE="$base" \
    dbus-run-session --dbus-daemon="$base/dbus-daemon" -- bash "$self" "$@"
  exit "$rc"
fi

# ---- inner stage: inside the private session ---------------------------------------------------
unset LATCHKEY_SECRET_SERVICE_STAGE
base="${LATCHKEY_SECRET_SERVICE_BASE:?}"
unset LATCHKEY_SECRET_SERVICE_BASE
if [[ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]]; then
  echo "with-secret-service: dbus-run-session did not provide DBUS_SESSION_BUS_ADDRESS" >&2
  exit 1
fi

export XDG_DATA_HOME="$base/data"
export XDG_RUNTIME_DIR="$base/runtime"

keyring_pid=''
cleanup() {
  if [[ -n "$keyring_pid" ]]; then
    kill -TERM "$keyring_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# A non-empty password on stdin creates and unlocks a "login" keyring (the default collection);
# with an empty stdin there is no default collection and every store fails with "no result found".
keyring_env="$(printf '%s' "$test_password" | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
# It prints KEY=VALUE lines to export (with --unlock it usually prints nothing).
while IFS= read -r line; do
  if [[ "$line" =~ ^([A-Z_][A-Z0-9_]*)=(.*)$ ]]; then
    export "${BASH_REMATCH[1]}=${BASH_REMATCH[2]}"
  fi
done <<<"$keyring_env"
export GNOME_KEYRING_CONTROL="${GNOME_KEYRING_CONTROL:-$XDG_RUNTIME_DIR/keyring}"

# Wait until the daemon owns org.freedesktop.secrets and a probe item round-trips.
probe_attribute="latchkey-probe-$$-$RANDOM"
ready=0
for _ in $(seq 1 50); do
  if [[ -z "$keyring_pid" ]]; then
    keyring_pid="$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus / \
      org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
      awk '{print $2}')" || keyring_pid=''
  fi
  if [[ -n "$keyring_pid" ]] &&
    printf 'probe' | secret-tool store --label='Latchkey probe' latchkey-probe "$probe_attribute" 2>/dev/null &&
    [[ "$(secret-tool lookup latchkey-probe "$probe_attribute" 2>/dev/null)" == "probe" ]]; then
    secret-tool clear latchkey-probe "$probe_attribute" 2>/dev/null || true
    ready=1
    break
  fi
  sleep 0.1
done
if [[ "$ready" != 1 ]]; then
  echo "with-secret-service: the private Secret Service (gnome-keyring-daemon) did not answer within 5 s" >&2
  exit 1
fi

export LATCHKEY_SECRET_SERVICE_BUS="$DBUS_SESSION_BUS_ADDRESS"
rc=0
run_forwarding "$@"
exit "$rc"
