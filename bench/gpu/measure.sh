#!/bin/bash
# On the GPU machine (device tool, third call; Chromium's two parts already in /tmp/parts):
# the replay servers, then each page full-window at 3840x2160 (and the big screen at 7680x2160).
cd .gpu/c
python3 serve.py www city-default 8765 > $OUT/serve-default.log 2>&1 &
python3 serve.py www city-4 8767 > $OUT/serve-4.log 2>&1 &
sleep 1
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
bash run-chrome.sh "http://127.0.0.1:8765/measure.html?pages=index.html,workbench.html,tour.html&seconds=20" 150 --window-size=3840,2247
bash run-chrome.sh "http://127.0.0.1:8767/measure.html?pages=index.html&seconds=20" 80 --window-size=3840,2247
bash run-chrome.sh "http://127.0.0.1:8765/measure.html?pages=bigscreen.html&seconds=20" 80 --window-size=3840,2247
bash run-chrome.sh "http://127.0.0.1:8765/measure.html?pages=bigscreen.html&seconds=20" 80 --window-size=7680,2247
cat $OUT/result.json
