#!/usr/bin/env bash
# Builds factorwatch and runs the main job on the shipped demo (examples/demo). Run it twice: the second run
# remembers what the first one told (state in examples/demo/state/) and stays quiet.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --static-swift-stdlib --product factorwatch
./.build/release/factorwatch eval --config examples/demo --now "${DEMO_NOW:-2026-11-24T02:45:00+08:00}" "$@"
