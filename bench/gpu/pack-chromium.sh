#!/bin/bash
# Packs Debian's Chromium with every shared library it needs (glibc and its loader included, plus
# libglvnd's EGL/GLX) into .gpu/a/part.00 and .gpu/b/part.01 (xz, two parts under the device tool's
# 64 MiB carry limit), for a GPU machine that has no browser, no Node and no network. The binaries'
# interpreter and rpath are rewritten (patchelf) to /tmp/chrome, where run-chrome.sh unpacks them.
set -euo pipefail
command -v patchelf >/dev/null || apt-get install -y patchelf
ROOT=$(mktemp -d)/root; mkdir -p "$ROOT/chromium" "$ROOT/lib"
cp -a /usr/lib/chromium/. "$ROOT/chromium/"
rm -f "$ROOT"/chromium/libVkLayer_khronos_validation.so* "$ROOT"/chromium/libVkICD_mock_icd.so*
(cd "$ROOT/chromium/locales" && ls | grep -v -E '^(en-US|zh-CN)\.pak$' | xargs -r rm -f)
for l in $(ldd /usr/lib/chromium/chromium | awk '{print $3}' | grep /); do cp -L "$l" "$ROOT/lib/"; done
cp -L /lib64/ld-linux-x86-64.so.2 "$ROOT/lib/"
for l in libEGL.so.1 libGLX.so.0 libGLdispatch.so.0 libOpenGL.so.0 libGLESv2.so.2 libgbm.so.1; do cp -L /usr/lib/x86_64-linux-gnu/$l "$ROOT/lib/"; done
for b in chromium chrome_crashpad_handler; do patchelf --set-interpreter /tmp/chrome/lib/ld-linux-x86-64.so.2 --set-rpath /tmp/chrome/lib:/tmp/chrome/chromium "$ROOT/chromium/$b"; done
mkdir -p .gpu/a .gpu/b
tar cf - -C "$ROOT" . | xz -9 -T0 > .gpu/chrome.tar.xz
(cd .gpu && split -b 58M -d chrome.tar.xz part. && mv part.00 a/ && mv part.01 b/ && rm chrome.tar.xz)
ls -la .gpu/a .gpu/b
