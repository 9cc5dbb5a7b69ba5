#!/usr/bin/env bash
# Score the dev corpus end to end: ingest -> export -> ../shared/tools/score_events.py --verbose.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-.venv}
shared=${1:-../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$venv"/bin/sitrep ingest "$shared/corpus/dev/articles.jsonl" --db "sqlite:///$tmp/dev.db" --quiet
"$venv"/bin/sitrep export --db "sqlite:///$tmp/dev.db" --format jsonl -o "$tmp/events.jsonl"
python3 "$shared/tools/score_events.py" "$shared/corpus/dev/gold.json" "$tmp/events.jsonl" --verbose
