#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Renders the app icon's PNG sizes for the hicolor theme from resources/icons/coffer.svg.
# Run it after changing the SVG and commit the PNGs (the build does not need an SVG renderer).
# Needs rsvg-convert (Debian: librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")/.."
for size in 48 128 256; do
    rsvg-convert --width "$size" --height "$size" --output "installer/icons/coffer-$size.png" \
        resources/icons/coffer.svg
done
