#!/usr/bin/env bash
# An end-to-end check of an app's tracking against the local collector, as a CI job would run
# it: start `npm start`, register the app, send an event the way the app does (here with curl),
# and assert on what the collector accepted through the inspector's JSON API (/_local/events).
# Run from anywhere: bash examples/check-tracking.sh   (PORT picks the port, default 8080)
set -euo pipefail
cd "$(dirname "$0")/.."

base="http://127.0.0.1:${PORT:-8080}"
app=my_shop
log="$(mktemp)"

# Job control gives the collector its own process group, so stopping it stops npm and node alike.
set -m
npm start >"$log" 2>&1 &
collector=$!
set +m
stop() {
  kill -TERM -- "-$collector" 2>/dev/null || true
  # npm may exit before node has finished stopping: wait for the whole group, 20 s at most.
  for _ in $(seq 1 100); do
    kill -0 -- "-$collector" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL -- "-$collector" 2>/dev/null || true
  wait "$collector" 2>/dev/null || true
  rm -f "$log"
}
trap stop EXIT

# Ready when it answers /health (the emulators start first).
until curl -fs "$base/health" >/dev/null; do
  if ! kill -0 "$collector" 2>/dev/null; then
    echo "npm start exited:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.2
done

curl -fsS -X PUT "$base/_local/apps/$app" >/dev/null # register the app: no restart needed
curl -fsS -X POST "$base/_local/reset" >/dev/null    # look only at what this check sends

# What the app under test would send.
curl -fsS "$base/collect?appId=$app&platform=Web" \
  --header 'Content-Type: application/json; charset=utf-8' \
  --data '[{"event_type":"add_to_cart","event_id":"8d0d6b2e-5b4f-4a43-9d53-1f0c6f3a2b11","timestamp":1700000000000,"app_id":"my_shop","attributes":{"item_id":"coat-42","price":167}}]'

# The events are there as soon as /collect answered 200: no sleep needed.
events="$(curl -fsS "$base/_local/events?appId=$app&event_type=add_to_cart")"
node -e '
  const { items } = JSON.parse(process.argv[1]);
  const problems = [];
  if (items.length !== 1) problems.push(`expected 1 add_to_cart event, got ${items.length}`);
  else if (items[0].event.attributes?.item_id !== "coat-42") problems.push(`wrong item: ${JSON.stringify(items[0].event)}`);
  if (problems.length > 0) {
    console.error(`FAIL: ${problems.join("; ")}`);
    process.exit(1);
  }
  console.log(`ok: add_to_cart for coat-42 accepted (request ${items[0].rid})`);
' "$events"
