#!/usr/bin/env bash
# Debian packages the project needs: a TrueType font with Polish letters (demo and test PDFs
# are rendered with it), poppler-utils (pdftotext, the extraction reference in bench/), and
# Debian's Chromium with its ChromeDriver (the web page's browser tests; test tools never
# download a browser of their own).
set -eu
need=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${need[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
