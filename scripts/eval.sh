#!/usr/bin/env bash
# Score every theatre end to end (ingest -> export -> ../shared/tools/score_events.py --verbose), print
# one row per theatre, and check each against the floors pinned in tests/eval/baseline.json.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-.venv}
"$venv"/bin/python tests/eval/gate.py --verbose "$@"
