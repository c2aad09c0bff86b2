#!/usr/bin/env bash
# Checks that the exported Excel and Word reports open in LibreOffice: builds the sample
# reports of the reports test, converts them to PDF with LibreOffice, and renders every
# PDF page to PNG (in $OUT, default /tmp/grassroots-exports) for a person to look at.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/grassroots-exports}
if ! command -v soffice >/dev/null; then
  echo "installing LibreOffice (Writer, Calc) and poppler-utils from apt" >&2
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils >/dev/null
fi
rm -rf "$OUT" && mkdir -p "$OUT/docx" "$OUT/xlsx"
GRASSROOTS_REPORT_SAMPLES="$OUT" cargo test --locked -q -p grassroots-reports --test report exports_are_well_formed
for kind in docx xlsx; do
  timeout 180 soffice --headless --norestore --convert-to pdf --outdir "$OUT/$kind" "$OUT/report.$kind" >/dev/null 2>&1
  test -s "$OUT/$kind/report.pdf" || { echo "FAILED: LibreOffice could not open report.$kind" >&2; exit 1; }
  pdftoppm -png -r 60 "$OUT/$kind/report.pdf" "$OUT/$kind/page"
done
pdftoppm -png -r 60 "$OUT/report.pdf" "$OUT/pdf-page"
echo "exports: report.docx and report.xlsx open in LibreOffice; PNG pages of all three in $OUT"
