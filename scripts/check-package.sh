#!/usr/bin/env bash
# Packs llm-perf-gate as npm would publish it, checks what the tarball holds (dist/, action.yml,
# README.md, LICENSE, package.json and what the demo needs, nothing else), installs it into an
# empty folder and runs its bin there: `--version`, `simulate --help` and the demo itself.
# Run it after npm run build. Dependencies come from the npm cache when it has them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
tar -tzf "$tarball" | sed 's#^package/##' | sort >"$work/files"
unexpected=$(grep -vE '^(dist/.+|action\.yml|README\.md|LICENSE|package\.json|baselines/.+\.json|examples/mixes/demo\.yaml)$' "$work/files" || true)
if [ -n "$unexpected" ]; then
  echo "check-package: files that should not be in the package:" >&2
  echo "$unexpected" >&2
  exit 1
fi
for required in dist/index.js dist/cli/index.js action.yml README.md LICENSE; do
  if ! grep -qx "$required" "$work/files"; then
    echo "check-package: the package lacks $required" >&2
    exit 1
  fi
done

mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
npm install --prefer-offline --no-audit --no-fund --ignore-scripts "$tarball" >/dev/null
bin="$work/app/node_modules/.bin/llm-perf-gate"
version=$("$bin" --version)
expected=$(node -p "require('$root/package.json').version")
if [ "$version" != "$expected" ]; then
  echo "check-package: llm-perf-gate --version printed '$version', expected '$expected'" >&2
  exit 1
fi
if ! "$bin" simulate --help | grep -q '^Usage: llm-perf-gate simulate'; then
  echo "check-package: llm-perf-gate simulate --help did not print its usage" >&2
  exit 1
fi
# The demo gates against the committed baseline it finds beside the installed package. Its
# verdict may be 0 or 1 (a busy machine can make it inconclusive); 2 or more means it could not
# run from the package (a missing mix or baseline, a bug).
demo_status=0
"$bin" demo --no-regression >"$work/demo.out" 2>&1 || demo_status=$?
if [ "$demo_status" -ge 2 ]; then
  echo "check-package: llm-perf-gate demo failed (exit $demo_status) from the installed package:" >&2
  tail -n 20 "$work/demo.out" >&2
  exit 1
fi
echo "check-package: $(wc -l <"$work/files") files, $(du -h "$tarball" | cut -f1) packed; the installed bin runs ($version)"
