#!/usr/bin/env bash
# Installs every Debian package EBM Lab needs to build, run and test, but only the missing ones:
# when everything is there it asks nothing of apt and returns at once.
set -euo pipefail

packages=(
    g++ cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-svg-dev libgl-dev
    libqcustomplot-dev libeigen3-dev
    python3 clang-format
    xvfb xauth xdotool imagemagick x11-utils fonts-dejavu-core
    poppler-utils ffmpeg
    clang-14 libclang-rt-14-dev # scripts/test.sh --fuzz: libFuzzer's runtime is only "recommended" by clang-14
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "bootstrap: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
