#!/usr/bin/env bash
# s7/mech_equiv.sh: can a clean build of today's tree stand in for mechanism's golden binary
# (clean 33068f1, lost with session 6)? It can when (a) it builds the micro zoo byte-identical to
# the stack-2 build the golden used (sha256 603f9823...) and (b) it reproduces the golden's own
# golden-seed values exactly: seed 4, every cell, every claim, compared with seed_values[0] of
# golden/mechanism.toml (tools/golden_seed_equal.py). Decided before running: if both hold,
# mechanism's power (mutants 34-41, control 100-115, as pre-registered in session 6) runs on
# results/bin-s7; if either fails, on a rebuild of 33068f1.
set -euo pipefail
cd "$(dirname "$0")/../../.."
B=$PWD/results/bin-s7/rlvrbench
export RLVRBENCH_ZOO=$PWD/results/zoo-s7
log=results/measure/s7/mech_equiv.log
say() { echo "[$(date -u +%H:%M:%S)] $*" >> $log; }
say "zoo build synth-micro"
$B zoo build --only synth-micro --jobs 1 --quiet >> $log 2>&1
say "sha256 $(sha256sum "$RLVRBENCH_ZOO/synth-micro/model.safetensors" | cut -c1-16) (stack 2: 603f9823...)"
rm -f /tmp/mech-equiv.db /tmp/mech-equiv.toml
$B run suites/mechanism.toml --seeds 4 --jobs 1 --no-compare --quiet --db /tmp/mech-equiv.db >> $log 2>&1
$B golden update --suite suites/mechanism.toml --golden /tmp/mech-equiv.toml --seeds 4 --db /tmp/mech-equiv.db >> $log 2>&1
python3 tools/golden_seed_equal.py golden/mechanism.toml /tmp/mech-equiv.toml --seed 4 >> $log 2>&1 && say "EQUAL" || say "DIFFERENT"
