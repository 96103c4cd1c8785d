#!/bin/sh
# SUMO 1.15 (Debian 12) for the green-wave bench (bench/greenwave-sumo.bench.ts): sumo, netconvert,
# duarouter and the Python tools (tlsCoordinator.py, tlsCycleAdaptation.py). Bench-only: `npm test`
# never needs SUMO. Run as root; set SUMO_HOME=/usr/share/sumo (the bench does it for you).
set -eu
if command -v sumo >/dev/null 2>&1 && [ -f /usr/share/sumo/tools/tlsCoordinator.py ]; then
  sumo --version | head -n 1
  exit 0
fi
apt-get update
apt-get install -y --no-install-recommends sumo sumo-tools
sumo --version | head -n 1
