#!/usr/bin/env bash
# End to end: the real ebmlab in a real X server (Xvfb), photographed from outside with ImageMagick.
# Passes when the window appears, is not blank, and shows the heatmap's colours.
#   screenshot.sh /path/to/ebmlab OUTPUT_DIR
set -euo pipefail
binary="$1"
out="$2"
mkdir -p "$out"
rm -f "$out/window.png"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
unset QT_QPA_PLATFORM # a real X server, not the offscreen platform

xvfb-run -a -s "-screen 0 1280x1000x24" bash -c '
    "$0" & app=$!
    # Wait for the window to be mapped, then for the field to be painted.
    for i in $(seq 1 100); do
        if xdotool search --onlyvisible --name "EBM Lab" >/dev/null 2>&1; then break; fi
        sleep 0.1
    done
    sleep 2
    id=$(xdotool search --onlyvisible --name "EBM Lab" | head -n 1)
    import -window "$id" "$1/window.png"
    kill $app
    wait $app || true
' "$binary" "$out"

test -s "$out/window.png" || { echo "no screenshot taken"; exit 1; }
geometry=$(identify -format "%wx%h" "$out/window.png")
colours=$(convert "$out/window.png" -format "%k" info:)
echo "screenshot $out/window.png: $geometry, $colours colours"
# The window at its default size, and far more colours than an empty frame or a blank plot has.
[ "${geometry%x*}" -ge 800 ] || { echo "window too narrow: $geometry"; exit 1; }
[ "$colours" -ge 500 ] || { echo "the window looks blank ($colours colours)"; exit 1; }
# The heatmap's darkest viridis purple must be present (the manifold's valley at beta = 1).
purple=$(convert "$out/window.png" -fuzz 6% -fill white -opaque "#440154" -fill black +opaque white -format "%[fx:mean]" info:)
echo "fraction near viridis purple: $purple"
awk -v p="$purple" 'BEGIN { exit !(p > 0.002) }' || { echo "no heatmap colours found"; exit 1; }
echo "1 passed, 0 failed"
