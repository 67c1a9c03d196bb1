#!/usr/bin/env bash
# Installs what continuum needs to build, test and render, from Debian 12
# packages; asks apt only for what is missing.
set -euo pipefail
packages=(build-essential cmake pkg-config libxml2-dev libgsl-dev libhpdf-dev libfreetype-dev
          libcriterion-dev libzip-dev libutf8proc-dev libpng-dev libjpeg-dev fonts-dejavu-core poppler-utils qpdf valgrind python3 time)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
