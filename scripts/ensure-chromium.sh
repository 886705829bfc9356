#!/usr/bin/env bash
# Makes sure the browser tests have a Chromium: playwright-core drives an installed browser
# (CHROMIUM_PATH, default Debian's /usr/bin/chromium) and never downloads one.
# Missing, and root with apt-get here: installs Debian's `chromium` (exit 1 only if that fails).
# Otherwise it says how to get one and exits 0: the browser tests then fail naming the path.
# Used by .ci/run; safe to run any time (it does nothing when the browser is there).
set -u

default=/usr/bin/chromium
browser="${CHROMIUM_PATH:-$default}"

if [ -x "$browser" ]; then
  exit 0
fi

if [ "$browser" != "$default" ]; then
  echo "ensure-chromium: CHROMIUM_PATH=$browser is not an executable file." >&2
  echo "ensure-chromium: point it at a Chromium or Chrome binary (e.g. /usr/bin/chromium, /usr/bin/google-chrome), or unset it." >&2
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $default is missing; installing Debian's chromium for the browser tests (apt-get update + install, about a minute)"
  log="$(mktemp -t ensure-chromium.XXXXXX)"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get -qq -o Acquire::Retries=3 update >"$log" 2>&1 \
    && apt-get -qq -o Acquire::Retries=3 -o Dpkg::Use-Pty=0 install -y --no-install-recommends chromium fonts-dejavu-core >>"$log" 2>&1; then
    rm -f "$log"
    if [ -x "$default" ]; then
      echo "ensure-chromium: installed $("$default" --version 2>/dev/null || echo chromium)"
      exit 0
    fi
    echo "ensure-chromium: apt-get installed chromium but there is still no $default; set CHROMIUM_PATH to its binary" >&2
    exit 1
  fi
  echo "ensure-chromium: installing chromium failed; the last lines of apt-get's output ($log):" >&2
  tail -n 20 "$log" >&2
  exit 1
fi

cat >&2 <<EOF
ensure-chromium: no Chromium at $default, so the browser tests will fail. Install one:
  Debian/Ubuntu (as root): apt-get update && apt-get install -y --no-install-recommends chromium fonts-dejavu-core
  or point CHROMIUM_PATH at an installed Chromium or Chrome, e.g. CHROMIUM_PATH=/usr/bin/google-chrome npm test
EOF
exit 0
