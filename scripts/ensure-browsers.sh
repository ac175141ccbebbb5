#!/usr/bin/env bash
# Makes sure the browsers of the browser suite (npm run test:browser) are installed, from Debian's
# packages: Chromium, Firefox ESR, and WebKit (WebKitGTK's WebDriver server and MiniBrowser, which
# runs on a virtual X display, Xvfb). Idempotent: returns at once when every executable is there,
# so local runs stay fast; otherwise installs only the missing packages (needs root, as on CI).
set -euo pipefail

# package=executable it provides (MiniBrowser comes with the driver's WebKitGTK library).
REQUIRED=(
  "chromium=/usr/bin/chromium"
  "firefox-esr=/usr/bin/firefox-esr"
  "webkit2gtk-driver=/usr/bin/WebKitWebDriver"
  "webkit2gtk-driver=/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
  "xvfb=/usr/bin/Xvfb"
)

missing=()
for entry in "${REQUIRED[@]}"; do
  package="${entry%%=*}"
  executable="${entry#*=}"
  if [ ! -x "$executable" ] && [[ " ${missing[*]-} " != *" $package "* ]]; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-browsers: missing packages: ${missing[*]}; installing them needs root." >&2
  echo "ensure-browsers: run as root, or first: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-browsers: missing packages: ${missing[*]}, and apt-get is not available (the suite expects Debian's packages)." >&2
  exit 1
fi

echo "ensure-browsers: installing Debian's ${missing[*]}..." >&2
export DEBIAN_FRONTEND=noninteractive
# Another apt run on the machine holds the lock for a while; wait for it rather than fail.
apt-get -o DPkg::Lock::Timeout=600 update
apt-get -o DPkg::Lock::Timeout=600 install -y "${missing[@]}"

for entry in "${REQUIRED[@]}"; do
  executable="${entry#*=}"
  if [ ! -x "$executable" ]; then
    echo "ensure-browsers: apt-get finished but $executable is still missing." >&2
    exit 1
  fi
done
echo "ensure-browsers: $(/usr/bin/chromium --version 2>/dev/null || echo chromium)," \
  "$(/usr/bin/firefox-esr --version 2>/dev/null || echo firefox-esr)," \
  "WebKitGTK $(dpkg-query -W -f='${Version}' webkit2gtk-driver 2>/dev/null || echo '?') installed." >&2
