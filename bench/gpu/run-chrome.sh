#!/bin/bash
# usage: run-chrome.sh URL SECONDS [extra chromium flags] — unpacks the carried Chromium (once) into /tmp/chrome
# (its interpreter and rpath point there) and runs it headless at 3840x2160 for SECONDS.
set -u
CH=/tmp/chrome
if [ ! -x $CH/chromium/chromium ]; then
  mkdir -p $CH && cat /tmp/parts/part.* | xz -d | tar xf - -C $CH || { echo "unpack failed"; exit 3; }
fi
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json VK_ICD_FILENAMES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
CHLIB=/tmp/chrome/lib:/tmp/chrome/chromium:/usr/local/nvidia/lib64:/usr/local/nvidia/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
rm -rf /tmp/gpufonts; cp -r "$(dirname "$0")/fonts" /tmp/gpufonts; export FONTCONFIG_FILE=/tmp/gpufonts/fonts.conf
URL=$1; SECS=$2; shift 2
LOG=/tmp/chrome-$(date +%s%N).log
LD_LIBRARY_PATH=$CHLIB $CH/chromium/chromium --headless=new --no-sandbox --disable-gpu-sandbox \
  --ignore-gpu-blocklist --disable-frame-rate-limit --disable-gpu-vsync \
  --window-size=3840,2160 --force-device-scale-factor=1 --user-data-dir=/tmp/chrome-profile-$RANDOM --no-first-run \
  --enable-logging=stderr "$@" "$URL" > $LOG 2>&1 &
PID=$!; sleep $SECS; kill $PID 2>/dev/null; sleep 1; kill -9 $PID 2>/dev/null
echo "--- log ($*):"; grep -aiE "gpu|angle|vulkan|egl|gl_|error|fatal|crash|check failed" $LOG | grep -aviE "dbus|fontconfig|platform_font" | tail -25
