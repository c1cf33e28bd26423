# syntax=docker/dockerfile:1.7
# imgsense image. CPU (default):   docker build -t imgsense .                    (podman build and buildah bud alike)
#                 CUDA 13:         docker build -t imgsense:cuda --target runtime-cuda .
#                 the CI suite:    docker build --target test .      (runs .ci/run, exactly what CI runs)
# Serve:  docker run --rm -p 8080:8080 imgsense        (GPU: docker run --gpus all -e EXECUTION_PROVIDER=cuda -p 8080:8080 imgsense:cuda)
# Tuned defaults and the sweeps behind them: docs/performance.md.
# Stopping: SIGTERM drains for up to SHUTDOWN_GRACE_MS + SHUTDOWN_TIMEOUT_MS (5 s + 25 s by default), longer than docker's
# default 10 s before SIGKILL: run with `docker run --stop-timeout 40`, compose `stop_grace_period: 40s`; the Helm chart
# (deploy/helm/imgsense) derives terminationGracePeriodSeconds from the same two figures.

# Base images by tag, not by digest: no registry can be reached from the machines this was written on, so no digest (nor
# the newest 24.x patch) could be looked up. Where one can, pin each as name:tag@sha256:<digest> (docker buildx
# imagetools inspect name:tag). Node 24 is an LTS line maintained until April 2028; the code also runs on Node 20, which
# the development machines and CI have (README, Supported Node.js versions).
# HEALTHCHECK is a Docker-format instruction: podman and buildah write OCI images by default, which drop it (with a
# warning); build with `--format docker` to keep it. Kubernetes ignores it either way and uses the chart's probes.
# hadolint 2.15.1 reports nothing on this file (checked by hand: it is GPL-3.0, so the project does not install it).

ARG NODE_VERSION=24
ARG RUNTIME=cpu
ARG GO_VERSION=1.26.8

FROM node:${NODE_VERSION}-bookworm-slim AS node
FROM golang:${GO_VERSION}-bookworm AS go

# Every npm package, with onnxruntime-node's bundled CPU binaries only (ONNXRUNTIME_NODE_INSTALL=skip: its install script
# would fetch CUDA 12 provider files from nuget.org; the CUDA image gets CUDA 13 ones from PyPI in gpu-libs below).
FROM node AS deps
ARG RUNTIME
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-fund --no-audit --loglevel=error

# Compile and render the API reference (dist/docs/) with the same npm script CI uses, then drop dev dependencies for the
# runtime stage.
FROM deps AS build
COPY tsconfig.json tsconfig.build.json openapi.yaml redocly.yaml ./
COPY scripts/build-docs.mjs ./scripts/
COPY src ./src
# onnxruntime-node ships its binaries for every OS and CPU (about 220 MB of macOS and Windows ones): keep only this
# image's Linux architecture.
ARG TARGETARCH
RUN npm run build && npm prune --omit=dev --no-fund --no-audit --loglevel=error \
 && ort_arch="$([ "${TARGETARCH:-amd64}" = arm64 ] && echo arm64 || echo x64)" \
 && find node_modules/onnxruntime-node/bin -mindepth 2 -maxdepth 2 ! -name linux -exec rm -rf {} + \
 && find node_modules/onnxruntime-node/bin -mindepth 3 -maxdepth 3 -path '*/linux/*' ! -name "$ort_arch" -exec rm -rf {} +

# The whole CI run (.ci/run: scripts/install-deps.sh, then npm run test:all with the load smoke test) inside the
# image's toolchain, so the image and CI cannot drift apart. Only built when asked for with --target test.
FROM node:${NODE_VERSION}-bookworm AS test
COPY --from=go /usr/local/go /usr/local/go
ENV PATH=/usr/local/go/bin:$PATH
# Unpinned: Debian replaces a package's version in place with each point release, so a pinned one soon fails to install.
# hadolint ignore=DL3008
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN bash .ci/run

# The CPU image, and the base of the CUDA one.
FROM node AS runtime-cpu
# jemalloc (Debian's libjemalloc2, BSD-2-Clause) instead of glibc's malloc: after 128 concurrent 15 MB uploads and the
# full collection the service runs once a burst is over, glibc kept the freed upload buffers (RSS +30 % over the
# baseline 30 s after) and jemalloc gave them back (-13 %; docs/security.md, memory after a burst). MALLOC_ARENA_MAX=2 is glibc's (about
# 44 MiB less RSS than its default arenas, docs/performance.md); it applies when LD_PRELOAD is emptied.
# hadolint ignore=DL3008
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libjemalloc2 \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0 MODEL_DIR=models/efficientnet-lite0 EXECUTION_PROVIDER=cpu MALLOC_ARENA_MAX=2 \
    LD_PRELOAD=libjemalloc.so.2
WORKDIR /app
COPY --from=build --chown=1000:1000 /app/package.json /app/openapi.yaml ./
COPY --from=build --chown=1000:1000 /app/node_modules ./node_modules
COPY --from=build --chown=1000:1000 /app/dist ./dist
COPY --chown=1000:1000 models ./models
COPY --chown=1000:1000 policies ./policies
COPY --chown=1000:1000 web ./web
# uid 1000 is the node image's "node" user; numeric, so a runtime that checks runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
# Healthy means ready: /readyz is 200 only once every model is loaded and warm with a live worker, and 503 while starting,
# draining or degraded (/healthz only says the process answers). The start period covers loading and warm-up (about 30-40 s).
HEALTHCHECK --interval=15s --timeout=3s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]

# ORT's CUDA provider (onnxruntime-gpu of onnxruntime-node's version: a CUDA 13 build) and the CUDA 13 / cuDNN 9 libraries
# it loads, from pinned PyPI wheels (scripts/install-gpu.sh, scripts/gpu-wheels.lock; sha256-checked), with the provider's
# RUNPATH set to $ORIGIN. Only the driver's libcuda.so.1 comes from the host: the NVIDIA container toolkit mounts it
# (docker run --gpus all; a 580-series driver or newer). TensorRT's libnvinfer is not installed: tensorrt falls back.
FROM node AS gpu-libs
# hadolint ignore=DL3008
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json ./
COPY scripts/install-gpu.sh scripts/gpu-wheels.lock ./scripts/
RUN bash scripts/install-gpu.sh --dest /gpu --wheels /tmp/wheels && rm -rf /tmp/wheels

# No CUDA base image: every user-space library the provider needs is in /gpu, beside the binding that loads it.
# Built only when asked for with --target runtime-cuda.
FROM runtime-cpu AS runtime-cuda
ENV EXECUTION_PROVIDER=cuda NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility
COPY --from=gpu-libs --chown=1000:1000 /gpu /app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/

# The default target (the last stage) is the CPU image, named by stage, not through an ARG: buildah and podman resolve a
# `FROM runtime-${RUNTIME}` before the ARG is expanded and fail. --build-arg RUNTIME=cuda alone is refused with the fix.
FROM runtime-cpu AS runtime
ARG RUNTIME
RUN [ "$RUNTIME" = cpu ] || { echo "RUNTIME=$RUNTIME: build the CUDA image with --target runtime-cuda" >&2; exit 1; }
