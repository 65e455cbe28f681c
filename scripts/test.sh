#!/usr/bin/env bash
# The README's test command: installs what the tests need (npm packages, and Debian packages the
# machine lacks), type-checks, then runs every test (unit, HTTP, client, crash, conformance).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v strace >/dev/null 2>&1 || missing+=(strace)
# The AWS CLI tests use Debian's awscli (not whatever `aws` is first on PATH); the UI tests use Debian's chromium.
[ -x /usr/bin/aws ] || missing+=(awscli)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

echo "== type-check (tsc --noEmit)"
npx tsc --noEmit
echo "== tests (vitest)"
npx vitest run "$@"
