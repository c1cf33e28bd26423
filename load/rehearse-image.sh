#!/usr/bin/env bash
# Rehearse the Dockerfile's runtime stage without a Docker engine: assemble exactly the paths its COPY lines name
# (build-stage paths from a fresh `tsc -p tsconfig.build.json` and a production-pruned node_modules), start
# `node dist/src/main.js` from there as an unprivileged user, run the HEALTHCHECK command, and caption a real photo.
# Catches a runtime stage that forgets a file the server reads (openapi.yaml, policies/, the manifest schema...).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/imgsense-image-XXXXXX)
APP="$WORK/app"
PORT=${PORT:-18080}
mkdir -p "$APP"
cleanup() { [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# The runtime stage's COPY lines: "COPY [--from=build] [--chown=..] SRC... DEST".
runtime_copies=$(awk '/^FROM runtime-\$\{RUNTIME\} AS runtime/{on=1} on && /^COPY /' Dockerfile)
[ -n "$runtime_copies" ] || { echo "rehearse-image: no runtime COPY lines found in Dockerfile" >&2; exit 1; }
while read -r _ args; do
  from_build=0; paths=()
  for word in $args; do
    case "$word" in --from=build) from_build=1 ;; --*) ;; *) paths+=("$word") ;; esac
  done
  for src in "${paths[@]:0:${#paths[@]}-1}"; do
    name=${src#/app/}
    case "$from_build:$name" in
      1:dist) npx --no-install tsc -p tsconfig.build.json --outDir "$APP/dist" ;;
      1:node_modules) cp -a node_modules "$APP/" && (cd "$APP" && cp "$ROOT/package.json" "$ROOT/package-lock.json" . \
                        && npm prune --omit=dev --no-audit --no-fund --loglevel=error && rm package-lock.json) ;;
      *) cp -a "$name" "$APP/" ;;
    esac
    echo "rehearse-image: copied $name"
  done
done <<< "$runtime_copies"

RUNAS=(); [ "$(id -u)" = 0 ] && RUNAS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
chmod -R a+rX "$WORK"
(cd "$APP" && exec "${RUNAS[@]}" env -i PATH="$PATH" HOME=/nonexistent NODE_ENV=production PORT="$PORT" HOST=127.0.0.1 \
   MODEL_DIR=models/efficientnet-lite0 LOG_LEVEL=warn node dist/src/main.js) & SERVER_PID=$!

health=$(awk '/^HEALTHCHECK/{on=1} on && /CMD/{sub(/.*CMD /,""); print; exit}' Dockerfile)
for _ in $(seq 1 120); do
  if (cd "$APP" && PORT=$PORT node -e "$(node -e "process.stdout.write(JSON.parse(process.argv[1])[2])" "$health")"); then break; fi
  sleep 0.5
done
(cd "$APP" && PORT=$PORT node -e "$(node -e "process.stdout.write(JSON.parse(process.argv[1])[2])" "$health")") \
  || { echo "rehearse-image: HEALTHCHECK failed" >&2; exit 1; }
echo "rehearse-image: HEALTHCHECK passed"
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
answer=$(curl -fsS -H 'Content-Type: image/png' --data-binary @/usr/lib/python3/dist-packages/skimage/data/chelsea.png "http://127.0.0.1:$PORT/caption")
echo "rehearse-image: /caption answered $answer" | cut -c1-240
echo "$answer" | grep -q '"alt_text"' || { echo "rehearse-image: no alt_text in the answer" >&2; exit 1; }
echo "rehearse-image: the runtime stage's files serve /caption as an unprivileged user"
