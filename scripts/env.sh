# Sourced by the scripts: puts the project's tools first on PATH. Nothing is installed here.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$ROOT/.tools/bin:$HOME/.cargo/bin:$ROOT/e2e/node_modules/.bin:$PATH"
# Trunk's update check calls the crates.io web API; it must never touch the network.
export TRUNK_SKIP_VERSION_CHECK=true
