#!/usr/bin/env bash
# `npm run test:lambda-node`: the unit and integration suites and the synthesized handler bundle,
# once more on the Node.js version the function runs on in Lambda (.ci/lambda-node.json), fetched
# by fetch-node.sh. Every process of the run — vitest's workers, the collectors and tools the tests
# start, the bundle's own process — is that Node.js. Extra arguments go to vitest.
set -euo pipefail
cd "$(dirname "$0")/../.."
node_bin="$(bash scripts/ci/fetch-node.sh)"
PATH="$(dirname "$node_bin"):$PATH"
export PATH
echo "Node.js $(node --version) from $node_bin"
exec node node_modules/vitest/vitest.mjs run test/unit/ test/integration/ test/infra/handler-bundle.test.ts "$@"
