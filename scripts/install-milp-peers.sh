#!/usr/bin/env bash
set -euo pipefail
if command -v glpsol >/dev/null && command -v cbc >/dev/null; then echo "glpsol and cbc already installed"; exit 0; fi
SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends glpk-utils coinor-cbc
glpsol --version | head -1; cbc -quit </dev/null | head -3 || true
