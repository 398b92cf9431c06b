#!/usr/bin/env bash
# ci/lint_workflows.sh: validate .github/workflows/*.yml against GitHub's workflow schema with
# action-validator (npm @action-validator/cli: WebAssembly, nothing downloaded at install; a
# devDependency installed by ci/setup.sh's npm ci). Exit 1 on any schema error.
set -euo pipefail
cd "$(dirname "$0")/.."
v=node_modules/.bin/action-validator
[ -x "$v" ] || { echo "ci/lint_workflows.sh: $v missing (run ci/setup.sh or npm ci)" >&2; exit 2; }
for f in .github/workflows/*.yml; do
  "$v" "$f"
  echo "ci/lint_workflows.sh: $f valid"
done
