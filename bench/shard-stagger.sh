#!/usr/bin/env bash
# Two shards of one plan started 8 s apart, with and without start-at, merged and gated against
# one unsharded run of the same plan (README "Scale beyond one runner"). Needs `npm run build`.
# Run: bash bench/shard-stagger.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLI="$ROOT/dist/cli/index.js"
MIX="$ROOT/test/fixtures/mixes/fast.yaml"
PORT=${PORT:-18555}
WORK=$(mktemp -d)
cd "$WORK"
node "$CLI" simulate --port "$PORT" > sim.log 2>&1 &
SIM=$!
trap 'kill "$SIM"; rm -rf "$WORK"' EXIT
sleep 2

plan() {
  node "$CLI" run --endpoint "http://127.0.0.1:$PORT/v1" --model sim-llama-8b --prompt-mix "$MIX" \
    --requests 100000 --duration 10s --warmup-requests 8 --concurrency 8 \
    --extra-body '{"ignore_eos": true}' "$@"
}
figures() {
  node -e "const r = require('$WORK/' + process.argv[1]).results ?? require('$WORK/' + process.argv[1]);
    const s = r.summary; const o = r.shards ? 'overlap ' + (r.shards.overlap * 100).toFixed(1) + '%, ' : '';
    console.log(o + s.outputTokensPerSecond.toFixed(0) + ' output tok/s, TTFT p95 ' + s.distributions.ttft.p95Ms.toFixed(1) + ' ms')" "$1"
}

plan --mode update-baseline --baseline-trials 3 --accept-noisy-baseline true > /dev/null 2>&1
echo "unsharded (3 trials): $(figures "baselines/$(ls baselines)")"
for variant in with without; do
  rm -rf llm-perf-gate-shards
  extra=()
  if [ "$variant" = with ]; then extra=(--start-at $(($(date +%s) + 14))); fi
  shard() {
    plan --mode report --shard "$1/2" --fail-on-regression false \
      --results-path "llm-perf-gate-shards/s$1.json" "${extra[@]}" > /dev/null 2>&1
  }
  shard 1 &
  first=$!
  sleep 8
  shard 2
  wait "$first"
  status=0
  node "$CLI" run --mode merge --on-low-sensitivity pass \
    --results-path "merged-$variant.json" > "merge-$variant.out" 2> "merge-$variant.err" || status=$?
  verdict=$(grep -oE 'PASS|REGRESSION|INCONCLUSIVE' "merge-$variant.out" | head -1)
  echo "shards 8 s apart, $variant start-at: $(figures "merged-$variant.json"); verdict $verdict, exit $status"
done
