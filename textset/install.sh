#!/usr/bin/env bash
# Installs what the text sets need (textset/README.md): the fonts the rendered set is drawn in and the packages the
# real images come from. Called by scripts/install-deps.sh; safe to rerun: each step is a no-op when satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf ] || need_apt+=(fonts-liberation2)
[ -f /usr/lib/python3/dist-packages/skimage/data/text.png ] || need_apt+=(python3-skimage)
# The real images (textset/real.json): the same Debian packages as the alt-text dev set; its npm screenshots come
# from devset/packages/, which scripts/install-deps.sh unpacks.
[ -f /usr/share/doc/opencv-doc/opencv4/html/sbt_run_face.png ] || need_apt+=(opencv-doc)
[ -f /usr/share/doc/octave/octave.html/precisiondate.png ] || need_apt+=(octave-doc)
[ -f /usr/share/matplotlib/mpl-data/sample_data/logo2.png ] || need_apt+=(python-matplotlib-data)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "textset/install: apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# Help figures of GNOME and OCRFeeder (screenshots), unpacked, not installed: gnome-user-docs installs 64 MiB of
# translations, and the set needs a few English figures. Pinned; git-ignored under textset/packages/.
textset_unpack_deb() { # package version folder-inside-the-package
  local name=$1 version=$2 inside=$3 dir="textset/packages/debian/$1-$2"
  [ -f "$dir/.complete" ] && return 0
  local tmp; tmp="$(mktemp -d)"
  echo "textset/install: $name $version (unpacking $inside)"
  (cd "$tmp" && { apt-get download -qq "$name=$version" 2>/dev/null || { apt-get update -qq && apt-get download -qq "$name=$version"; }; })
  mkdir -p "$dir"
  dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$dir" ".$inside" "./usr/share/doc/$name/copyright"
  rm -rf "$tmp"
  touch "$dir/.complete"
}
textset_unpack_deb gnome-user-docs 43.0-2 /usr/share/help/C/gnome-help/figures
textset_unpack_deb ocrfeeder 0.8.5-1 /usr/share/help/C/ocrfeeder/figures
