#!/usr/bin/env bash
# Run the whole suite: start a throwaway PostgreSQL on loopback (unless SITREP_TEST_POSTGRES_URL is
# already set), run pytest, stop the server. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-.venv}
if [ -z "${SITREP_TEST_POSTGRES_URL:-}" ]; then
  if command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    pgdir=$(mktemp -d /tmp/sitrep-pgtest.XXXXXX)
    port=$("$venv"/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    SITREP_TEST_POSTGRES_URL=$(bash scripts/pgtest.sh start "$pgdir" "$port")
    export SITREP_TEST_POSTGRES_URL
    trap 'bash scripts/pgtest.sh stop "$pgdir" >/dev/null 2>&1 || true' EXIT
    echo "PostgreSQL for tests: $SITREP_TEST_POSTGRES_URL" >&2
  else
    echo "PostgreSQL binaries not found: postgres-marked tests will skip" >&2
  fi
fi
mkdir -p test-artifacts
"$venv"/bin/pytest "$@"
