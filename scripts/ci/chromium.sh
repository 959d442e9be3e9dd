#!/usr/bin/env bash
# Chromium for the playground's browser test (test/playground-browser.test.ts), driven by playwright-core.
#
#   eval "$(bash scripts/ci/chromium.sh)"     # installs Debian's chromium if needed, exports CHROMIUM_PATH
#
# Debian's package, not a browser download: playwright-core only drives the executable it is given. Idempotent;
# only the `export` line goes to stdout, progress goes to stderr.
set -euo pipefail
log() { echo "chromium.sh: $*" >&2; }

find_chromium() {
  local candidate
  for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then echo "$candidate"; return; fi
  done
}

bin="$(find_chromium)"
if [[ -z "$bin" ]]; then
  log "Chromium not found; installing Debian's chromium package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends chromium >&2
  bin="$(find_chromium)"
  [[ -n "$bin" ]] || { log "installed chromium but found no executable"; exit 1; }
fi
log "ready: $bin ($("$bin" --version 2>/dev/null | head -n 1))"
echo "export CHROMIUM_PATH=$bin"
