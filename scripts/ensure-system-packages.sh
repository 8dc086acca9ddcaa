#!/usr/bin/env bash
# Make sure the Debian packages the tests need are installed; install the missing ones.
#
#   gnome-keyring dbus dbus-x11 libsecret-tools  - a private Secret Service (scripts/with-secret-service.sh)
#   chromium                                      - the browser Playwright drives in end-to-end tests
#   zbar-tools                                    - reads QR codes back in tests
#   fonts-dejavu-core                             - a font, so headless rendering is deterministic
#   poppler-utils                                 - pdftotext reads the recovery sheet's PDF back in tests
#   oathtool                                      - an independent TOTP/HOTP implementation: the import tests
#                                                   check every imported fixture entry's codes against it
#
# Prints one line when everything is present; otherwise quiet except for errors.
set -euo pipefail

packages=(gnome-keyring dbus dbus-x11 libsecret-tools chromium zbar-tools fonts-dejavu-core poppler-utils oathtool)

if ! command -v dpkg >/dev/null 2>&1; then
  echo "ensure-system-packages: this is not a Debian-based system (no dpkg). Install the equivalents of: ${packages[*]}" >&2
  exit 1
fi

# `dpkg -s` also succeeds for removed-but-not-purged packages, so read the Status line.
is_installed() {
  dpkg -s "$1" 2>/dev/null | grep -qx 'Status: install ok installed'
}

missing_packages() {
  local pkg
  for pkg in "${packages[@]}"; do
    is_installed "$pkg" || printf '%s\n' "$pkg"
  done
}

mapfile -t missing < <(missing_packages)

if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ $EUID -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    {
      echo "ensure-system-packages: missing Debian packages: ${missing[*]}"
      echo "Not root and no sudo; as root, run:"
      echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
    } >&2
    exit 1
  fi

  log="$(mktemp "${TMPDIR:-/tmp}/ensure-system-packages.XXXXXXXX")"
  trap 'rm -f "$log"' EXIT
  apt_options=(-o DPkg::Lock::Timeout=300)

  if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" update -q >"$log" 2>&1; then
    cat "$log" >&2
    echo "ensure-system-packages: apt-get update failed" >&2
    exit 1
  fi
  if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" install -y -q --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    echo "ensure-system-packages: could not install: ${missing[*]}" >&2
    exit 1
  fi

  mapfile -t missing < <(missing_packages)
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "ensure-system-packages: still missing after apt-get install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "System packages present: ${packages[*]}"
