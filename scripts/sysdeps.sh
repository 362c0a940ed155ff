#!/usr/bin/env bash
# Debian packages the project needs: a TrueType font with Polish letters (demo and test PDFs
# are rendered with it), poppler-utils (pdftotext, the extraction reference in bench/),
# Tesseract with its Polish model (OCR of scanned pages), LibreOffice without a GUI (Word,
# PowerPoint, RTF and .xls files; it also writes the real office files of the tests and the demo)
# and antiword/catdoc (the extractors LibreOffice is compared with in bench/office_quality.py).
# Measured here: Tesseract + antiword + catdoc ~20 s, the LibreOffice pieces ~15 s (bench/RESULTS.md).
# Debian's Chromium with its ChromeDriver: the web page's browser tests (no test tool downloads
# a browser of its own).
set -eu
need=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
[ -n "$(ls /usr/share/tesseract-ocr/*/tessdata/pol.traineddata 2>/dev/null)" ] \
  || need+=(tesseract-ocr-pol)
command -v antiword >/dev/null 2>&1 || need+=(antiword)
command -v catdoc >/dev/null 2>&1 || need+=(catdoc)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
for part in core writer impress calc; do  # the -nogui pieces, or the desktop ones if present
  installed "libreoffice-$part-nogui" || installed "libreoffice-$part" \
    || need+=("libreoffice-$part-nogui")
done
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${need[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq >/dev/null
# --no-install-recommends: LibreOffice would otherwise bring Java and a desktop's worth of extras.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
  -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
