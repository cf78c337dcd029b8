#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the workstation and its tests need, when missing.
#   xvfb + xcb libs: Qt windows under a virtual screen; a CJK font (Chinese text), PortAudio
#   (microphone), espeak-ng + sox (synthetic speech for tests), PostgreSQL and PgBouncer (central
#   DB tests; the lead desk's pooling test and load test).
#   SQLCipher (seat database encryption) needs no system package: the sqlcipher3 wheel carries it.
# Usage: scripts/install-system-deps.sh [--with-postgres]
set -euo pipefail
pkgs=(xvfb libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libxkbcommon0 libegl1
      libgl1 libfontconfig1 libdbus-1-3 fonts-wqy-microhei libportaudio2 espeak-ng sox)
if [[ "${1:-}" == "--with-postgres" ]]; then
  pkgs+=(postgresql pgbouncer)
fi
if ! command -v dpkg >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian-like system; install the equivalents of: ${pkgs[*]}" >&2
  exit 0
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-system-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
