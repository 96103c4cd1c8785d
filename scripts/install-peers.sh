#!/bin/sh
# GRASS GIS (r.viewshed) and GDAL (gdalinfo, python3-gdal for ../shared/peers/viewshed) for the viewshed
# bench (bench/viewshed-grass.bench.ts), Debian 12: GRASS 8.2, GDAL 3.6. Bench-only: `npm test` never
# needs them. Run as root (or with sudo); does nothing when they are already installed.
set -eu
if command -v grass >/dev/null 2>&1 && command -v gdalinfo >/dev/null 2>&1 && /usr/bin/python3 -c 'import osgeo' 2>/dev/null; then
  grass --version 2>&1 | grep -m1 "GRASS GIS"
  gdalinfo --version
  exit 0
fi
SUDO=''
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends gdal-bin python3-gdal grass-core
grass --version 2>&1 | grep -m1 "GRASS GIS"
gdalinfo --version
