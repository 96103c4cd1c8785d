#!/bin/bash
# Builds the replay tree .gpu/c for a GPU machine without Node: www/ (the built viewer + measure.html),
# city-default/ (the API answers the pages fetch, recorded from a real `cimtwin serve`, and the default
# city's tiles), city-4/ (a 61,504-building city: `cimtwin demo --scale 4` + meshopt tiles), the replay
# server and the Chromium runner, and fonts (Chromium aborts in Skia without a fontconfig).
# usage: bash bench/gpu/prepare.sh   (RECORD=0 reuses the recorded answers)
set -euo pipefail
cd "$(dirname "$0")/../.."
C=.gpu/c; mkdir -p $C/www $C/fonts/files
npx vite build > /tmp/gpu-prep-build.log 2>&1
cp -r dist/viewer/. $C/www/
cp bench/gpu/measure.html $C/www/; cp bench/gpu/serve.py bench/gpu/run-chrome.sh bench/gpu/measure.sh $C/
cp bench/gpu/fonts/fonts.conf $C/fonts/; cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf $C/fonts/files/
if [ "${RECORD:-1}" = 1 ]; then
  rm -rf /tmp/gpu-rec-data $C/city-default; mkdir -p $C/city-default
  node server/cli/cimtwin.mjs serve --port 8791 --data-dir /tmp/gpu-rec-data > /tmp/gpu-rec-serve.log 2>&1 &
  SP=$!
  for i in $(seq 1 300); do grep -q "cim-twin: http" /tmp/gpu-rec-serve.log && break; sleep 1; done
  node bench/gpu/record.mjs http://127.0.0.1:8791 $C/city-default index.html workbench.html bigscreen.html tour.html || true
  kill $SP; wait $SP || true
  find $C/city-default/api -name '*.json' -size +100k -exec gzip -6 {} \;
fi
rm -rf $C/city-default/tiles && mkdir -p $C/city-default/tiles && cp -r .cache/tiles/default $C/city-default/tiles/city
if [ ! -f /tmp/gpu4/city.json ]; then
  mkdir -p /tmp/gpu4 && node server/cli/cimtwin.mjs demo -o /tmp/gpu4/city.json --scale 4 && node server/cli/cimtwin.mjs tiles -i /tmp/gpu4/city.json -o /tmp/gpu4/tiles --compress meshopt
fi
rm -rf $C/city-4 && mkdir -p $C/city-4/api $C/city-4/tiles && gzip -6 -c /tmp/gpu4/city.json > $C/city-4/api/city.json.gz && cp -r /tmp/gpu4/tiles $C/city-4/tiles/city
du -sh $C
