#!/usr/bin/env bash
# The scene head's weak-label data and head, from Debian packages only (none held out; corpus/README.md, "Scene head on
# weak labels"):  bash corpus/scenes-weak.sh OUT_DIR   (about 5 minutes here; OUT_DIR stays out of git)
# Downloads the packages with apt-get download (the registry's ordinary client), unpacks them, extracts GCompris's
# Qt resource bundles, writes the records (scene_weak.py), the classifier's log-probabilities of their views and of the
# tuning images (scene_views.py), and fits and measures the heads (scene_fit.py), writing src/caption/scene-head.json.
set -euo pipefail
out=$(realpath -m "${1:?usage: scenes-weak.sh OUT_DIR}")
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out/debs" "$out/unpacked"
packages=(endless-sky-data=0.9.8-1.2 gcompris-qt-data=3.1-2 mate-backgrounds=1.26.0-1 lomiri-wallpapers-16.04=20.04.0-2
  lomiri-wallpapers-20.04=20.04.0-2 ukui-wallpapers=20.04.3-1.1 gnome-backgrounds=43.1-1)
for spec in "${packages[@]}"; do
  name=${spec%%=*}
  [ -n "$(ls "$out/debs/${name}_"*.deb 2>/dev/null)" ] || (cd "$out/debs" && apt-get download "$spec")
  [ -d "$out/unpacked/$name" ] || dpkg-deb -x "$out/debs/${name}_"*.deb "$out/unpacked/$name"
done
rcc="$out/unpacked/gcompris-qt-data/usr/share/gcompris-qt/rcc"
for bundle in categorization lang erase explore_world_animals explore_farm_animals explore_monuments solar_system; do
  [ -d "$out/unpacked/gcompris-qt-data/rcc/$bundle" ] ||
    python3 "$repo/scripts/extract-qt-rcc.py" "$rcc/$bundle.rcc" "$out/unpacked/gcompris-qt-data/rcc/$bundle" .webp >/dev/null
done
source "$repo/scripts/env.sh"
cd "$repo/training"
sets=(../devset/labels.json ../devset/tuning-more.json)
nice -n 15 "$HASHTAGNET_VENV/bin/python" -m hashtagnet.heads.scene_weak --unpacked "$out/unpacked" --out "$out/records.jsonl" \
  --exclude "${sets[@]}" ../devset/heldout.json
nice -n 15 "$HASHTAGNET_VENV/bin/python" -m hashtagnet.heads.scene_views --records "$out/records.jsonl" --sets "${sets[@]}" \
  --out "$out/views.npz"
nice -n 15 "$HASHTAGNET_VENV/bin/python" -m hashtagnet.heads.scene_fit --records "$out/records.jsonl" --views "$out/views.npz" \
  --l2 1 --report "$out/report.json" --out ../src/caption/scene-head.json
