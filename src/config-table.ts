/**
 * Every environment variable the service reads, one row each: name, type, default, range, group and doc. src/config.ts
 * parses by these rows; the README's configuration table and the Helm chart's env block are generated from them
 * (`npm run gen:config`; `npm run check:config` fails when either is stale). A data table, so longer than a module.
 */

/** The prefix of every variable; the bare names are accepted for one release, with a warning. */
export const ENV_PREFIX = 'IMGSENSE_';

export const CONFIG_GROUPS = {
  server: 'Server',
  limits: 'Image limits',
  admission: 'Admission and uploads',
  inference: 'Inference',
  models: 'Models (slot overrides of the serving file)',
  caption: 'Caption',
  moderation: 'Moderation',
  security: 'Access',
  image_url: 'Image by URL',
  lifecycle: 'Lifecycle',
  dos: 'Denial of service: decode bounds, deadlines, client addresses, memory',
} as const;

export type ConfigGroup = keyof typeof CONFIG_GROUPS;
export type SettingType = 'int' | 'number' | 'bool' | 'text' | 'enum' | 'origins' | 'hosts' | 'proxies';

export interface SettingRow {
  /** Without the prefix. */
  readonly name: string;
  readonly type: SettingType;
  /** The value when unset; absent: none (or computed, as `defaultDoc` says). */
  readonly default?: number | boolean | string;
  /** How the documentation shows the default, where the bare value does not say it. */
  readonly defaultDoc?: string;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  readonly group: ConfigGroup;
  readonly doc: string;
  /** Logged and printed as "(redacted)". */
  readonly secret?: boolean;
  /** Set in the Helm chart's values (the generated env block), with the reason. */
  readonly helm?: { readonly value: string; readonly why: string };
}

export const CONFIG_TABLE = [
  { name: 'PORT', type: 'int', default: 8080, min: 0, max: 65_535, group: 'server',
    doc: "listen port (0: any free port)" },
  { name: 'HOST', type: 'text', default: "0.0.0.0", group: 'server',
    doc: "listen address" },
  { name: 'LOG_LEVEL', type: 'enum', default: "info", values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], group: 'server',
    helm: { value: 'info', why: 'one line per request at info; debug adds each request\'s start' },
    doc: "pino level (`debug` logs each request's start)" },
  { name: 'DEMO_ENABLED', type: 'bool', default: true, group: 'server',
    doc: "the demo page at `/` (files under `web/`); `false` answers 404" },
  { name: 'DOCS_ENABLED', type: 'bool', default: true, group: 'server',
    doc: "the API reference at `/docs` (rendered from `openapi.yaml` by `npm run build:docs`); `false` answers 404" },
  { name: 'BODY_LIMIT_BYTES', type: 'int', default: 20_971_520, min: 1024, max: 1_073_741_824, group: 'limits', defaultDoc: "20971520 (20 MiB)",
    doc: "largest accepted body" },
  { name: 'MAX_PIXELS', type: 'int', default: 50_000_000, min: 64, max: 268_402_689, group: 'limits',
    doc: "largest accepted width × height (first frame), read from the header" },
  { name: 'MAX_PIXELS_HEIF', type: 'int', default: 16_777_216, min: 64, max: 268_402_689, group: 'limits', defaultDoc: "16777216 (4096 × 4096)",
    doc: "lower cap for AVIF and HEIF, which libvips cannot shrink on load: decoding a 974-byte 7071 × 7071 AVIF cost 1.6 s of CPU and ≈860 MB of peak RSS here (the attack run: ≈2 s, 0.85 GB), a 481-byte 4096 × 4096 one 0.53 s and ≈300 MB, the issue's bound per bomb. A 12 MP phone HEIC (4032 × 3024) passes; 24 and 48 MP HEICs get 413 `too_many_pixels` unless this is raised" },
  { name: 'MAX_ASPECT_RATIO', type: 'number', default: 50, min: 1, max: 1_000_000, group: 'limits',
    doc: "longest side ÷ shortest side, from the header (422 `image_too_complex`): a 5 × 9,999,999 PNG cannot be shrunk on load and cost 8.5 s; at 50:1 the models' centre crop already sees 2 % of the image, and wide panoramas (≤ 10:1) and long screenshots (≈ 20:1) pass. With `MAX_PIXELS` it also bounds a side to ≈ 50,000 pixels (GLib warned past 10 million)" },
  { name: 'MAX_JPEG_SCANS', type: 'int', default: 100, min: 1, max: 100_000, group: 'limits',
    doc: "scans (SOS markers) a JPEG may have, counted by walking its markers before sharp sees it (422 `image_too_complex`): libjpeg's standard progressive script has 10 scans (6 for grey) and sharp's progressive and mozjpeg outputs stay under 20 (`test/unit/jpeg-scans.test.ts`); a progressive decode pays a pass per scan, measured at ≈5.4 ms per scan at 50 M pixels in the attack run (5,000 empty scans: 26.8 s), so 100 scans cost ≈0.5 s at most" },
  { name: 'BATCH_MAX_IMAGES', type: 'int', default: 16, min: 1, max: 256, group: 'limits',
    doc: "most parts (`image` files and `url` fields together) in one `/caption/batch` or `/moderate/batch` request (400 `too_many_images` beyond)" },
  { name: 'QUEUE_MAX', type: 'int', default: 128, min: 1, max: 100_000, group: 'admission',
    doc: "images waiting per model before 503 `overloaded`" },
  { name: 'MAX_INFLIGHT_REQUESTS', type: 'int', default: 128, min: 1, max: 100_000, group: 'admission',
    doc: "image requests (`/caption`, `/moderate`) past their upload (decoding, inferring) at once; when they are all taken a new request gets 503 `overloaded` before its body is read, so overload is shed before any decode. Uploads still being received do not count here" },
  { name: 'MAX_UPLOADS_IN_FLIGHT', type: 'int', default: 1024, min: 1, max: 100_000, group: 'admission',
    doc: "uploads being received at once, from everyone; one more gets 503 `overloaded` before its body is read. High, because a slow upload is cheap to hold: it is cut within a window below the rate floor and at `REQUEST_TIMEOUT_MS` in any case, so it holds at most rate × 30 s of memory, and holding 1024 × 20 MiB would take 20 GiB sent within 30 s; with `MAX_UPLOADS_PER_CLIENT` an attacker needs 128 addresses to fill it" },
  { name: 'MAX_UPLOADS_PER_CLIENT', type: 'int', default: 8, min: 1, max: 100_000, group: 'admission',
    doc: "uploads being received at once from one client (the TCP peer, or behind `TRUSTED_PROXIES` the forwarded address; an IPv6 /64 is one client), so one host cannot take the upload slots; a browser opens at most 6 connections per host" },
  { name: 'UPLOAD_MIN_BYTES_PER_SECOND', type: 'int', default: 4096, min: 0, max: 1_073_741_824, group: 'admission',
    doc: "slowest accepted upload, checked over every `UPLOAD_RATE_WINDOW_MS` window several times a second; a slower one gets 408 `request_timeout` and its connection is closed. 4 KiB/s is below a poor 2G uplink, so no real client is cut, while a slow-loris sender (1 byte/s) is cut within one window instead of holding a slot for the 30 s request timeout. 0 turns it off" },
  { name: 'UPLOAD_RATE_WINDOW_MS', type: 'int', default: 5000, min: 500, max: 600_000, group: 'admission',
    doc: "the window of the rate check (so a stall shorter than this is forgiven)" },
  { name: 'REQUEST_TIMEOUT_MS', type: 'int', default: 30_000, min: 1000, max: 600_000, group: 'admission',
    doc: "longest time to receive a request (headers: the smaller of this and 15 s), enforced within a second (Node's check interval is set to 1 s, not its default 30 s); answered 408 `request_timeout`" },
  { name: 'SERVING_FILE', type: 'text', default: "models/serving.json", group: 'inference',
    doc: "the serving file: each model slot's bundle, threads, arena, batching and input shapes (schema `models/serving.schema.json`, in the spirit of Triton's `config.pbtxt`); an invalid one stops start-up" },
  { name: 'INFERENCE_WORKERS', type: 'int', default: 1, min: 1, max: 64, group: 'inference',
    doc: "worker threads, each holding a session per model" },
  { name: 'INTRA_OP_THREADS', type: 'int', min: 1, max: 256, group: 'inference', defaultDoc: "cores ÷ workers − 1 (at least 1)",
    helm: { value: '1', why: 'os.availableParallelism() in a container sees the node\'s cores, not the CPU limit, so the default of cores - 1 would oversubscribe the limit; 1 thread leaves the second core to decoding (threads sweep)' },
    doc: "ONNX Runtime threads per session; one core is left to decoding and HTTP (on 2 cores, 1 thread served as many images as 2 with 5–10 % less CPU: docs/performance.md); a slot's `intra_op_threads` in the serving file wins" },
  { name: 'ORT_MEMORY_ARENA', type: 'bool', default: false, group: 'inference',
    doc: "ONNX Runtime's CPU memory arena for every slot whose `memory_arena` the serving file leaves out (the classifier, detector and NSFW sessions; OCR's sets it off); off holds 120–190 MiB less RSS, `session.run` within noise (docs/performance.md, memory)" },
  { name: 'BATCH_MAX_SIZE', type: 'int', default: 4, min: 1, max: 256, group: 'inference',
    doc: "most images per inference batch (on CPU larger batches did not raise raw ORT throughput here; see Performance); a slot's `batch.max_size` in the serving file wins" },
  { name: 'BATCH_MAX_WAIT_MS', type: 'number', default: 2, min: 0, max: 1000, group: 'inference',
    doc: "longest an image waits for its batch to fill; a slot's `batch.max_wait_ms` in the serving file wins" },
  { name: 'EXECUTION_PROVIDER', type: 'enum', default: "cpu", values: ['cpu', 'cuda', 'tensorrt', 'webgpu'], group: 'inference',
    doc: "`cpu`, `cuda`, `tensorrt` or `webgpu`; if the requested provider cannot load, the service falls back to CPU and says so in the log, `/readyz` (`provider`, `fallback_reason`) and `imgsense_model_info` (label `provider` beside `requested_provider`); the CUDA libraries: `scripts/install-gpu.sh`" },
  { name: 'EXECUTION_PROVIDER_STRICT', type: 'bool', default: false, group: 'inference',
    doc: "`true`: refuse to start (exit 1, the reason on stderr) when any model cannot run on `EXECUTION_PROVIDER`, instead of the fallback above" },
  { name: 'MODEL_DIR', type: 'text', group: 'models', defaultDoc: "the serving file’s (`models/efficientnet-lite0`)",
    doc: "caption bundle (`model.json` + `model.onnx`); manifest validated against `models/manifest.schema.json`, sha256 checked; overrides the `classifier` slot's `bundle` in the serving file" },
  { name: 'DETECTOR_ENABLED', type: 'bool', default: true, group: 'models',
    doc: "`false`: no object detector; the alt-text comes from the classifier alone and the response has no `people`, `objects` or `detector`" },
  { name: 'DETECTOR_MODEL_DIR', type: 'text', group: 'models', defaultDoc: "the serving file’s (`models/nanodet-coco-288`)",
    doc: "detector bundle (task `detect`: COCO's 80 classes with WordNet ids, boxes decoded in the graph), served by the same pool. The default is NanoDet at 288 px, the largest input that keeps `/caption` p50 within 2× the classifier alone on 2 cores; `models/nanodet-coco` (416 px) and `-320` are the same weights at larger inputs (docs/performance.md, section 7); overrides the `detector` slot's `bundle` in the serving file" },
  { name: 'FACES_ENABLED', type: 'bool', default: true, group: 'models',
    doc: "`false`: no face detector; people are counted from the object detector alone. On, faces scoring 0.8 or more count people beside the detector's person boxes (the larger count wins, docs/alt-text-quality.md, faces); it runs with the object detector, never without it" },
  { name: 'FACE_DETECTOR_DIR', type: 'text', group: 'models', defaultDoc: "the serving file’s (`models/retinaface-mnet025`)",
    doc: "face detector bundle (task `face_detect`: RetinaFace's prior offsets and face scores, decoded by the server), served by the same pool; overrides the `face_detector` slot's `bundle` in the serving file" },
  { name: 'OCR_MODE', type: 'enum', default: "auto", values: ['auto', 'scene', 'always', 'off'], group: 'models',
    doc: "`auto`: read text where the image looks rendered or the classifier sees a thing that carries text; `scene`: `auto`, and in any other photo where the text detector is sure of a region (one text-detector pass per photo: /caption p50 on the bench photos 3.6× `auto`'s, `npx tsx bench/scene-text-cost.ts`; only lines that pass the plausibility filter, `src/models/text-plausibility.ts`, are quoted); `always`: every image (costs a text-detector pass per photo); `off`: no OCR model is loaded and responses have no `text`" },
  { name: 'OCR_DETECTOR_DIR', type: 'text', group: 'models', defaultDoc: "the serving file’s (`models/ppocr-v6-det`; PP-OCRv4: `models/ppocr-v4-det`)",
    doc: "the OCR text detector's bundle (task `text_detect`), served by the same pool; overrides the `text_detector` slot's `bundle` in the serving file" },
  { name: 'OCR_RECOGNIZER_DIR', type: 'text', group: 'models', defaultDoc: "the serving file’s (`models/ppocr-v6-rec`; PP-OCRv4: `models/ppocr-v4-rec`)",
    doc: "the OCR line recogniser's bundle (task `text_recognize`), served by the same pool; overrides the `text_recognizer` slot's `bundle` in the serving file" },
  { name: 'OCR_INTRA_OP_THREADS', type: 'int', min: 1, max: 256, group: 'models', defaultDoc: "the serving file’s (`cores`)",
    doc: "ONNX Runtime threads of the OCR sessions (overrides `intra_op_threads` of the `text_detector` and `text_recognizer` slots, which the serving file sets to `cores`): a screenshot is one request's long run of text lines, so at concurrency 1 every core works on it (on 2 idle cores, about 30 % faster than 1 thread; with the other core busy, 0–15 % slower: docs/performance.md, OCR)" },
  { name: 'NSFW_MODEL_DIR', type: 'text', group: 'models', defaultDoc: "the serving file’s (`models/nsfw-mobilenetv2`)",
    doc: "NSFW bundle (task `nsfw`), served by the same pool as the caption model; overrides the `nsfw` slot's `bundle` in the serving file" },
  { name: 'CAPTION_PRECISION_TARGET', type: 'number', default: 0.7, min: 0.01, max: 1, group: 'caption',
    doc: "default hedging target (see below)" },
  { name: 'MODERATION_ENABLED', type: 'bool', default: true, group: 'moderation',
    doc: "`false`: no NSFW model is loaded, no policy is read, `/moderate` answers 404" },
  { name: 'MODERATION_POLICY', type: 'text', default: "policies/default.json", group: 'moderation',
    doc: "moderation policy file (schema `policies/policy.schema.json`); an invalid one stops start-up" },
  { name: 'API_KEYS_FILE', type: 'text', group: 'security', defaultDoc: "(none: open)",
    doc: "a file of lines `<name> <sha-256 hex of the key>` (`#` comments, blank lines allowed; the keys themselves are never stored). When set, `/caption` and `/moderate` need `Authorization: Bearer <key>`; the key is hashed and compared with every digest in constant time, and logs carry the key's name (`apiKey`), never its value. A bad file stops start-up; `kill -HUP` re-reads it (a bad file then is logged and the keys in force are kept). Make a line with `printf '%s' \"$KEY\" | sha256sum`" },
  { name: 'METRICS_PUBLIC', type: 'bool', default: false, group: 'security',
    doc: "`true`: `/metrics` stays open when `API_KEYS_FILE` is set (for a scraper on a private network)" },
  { name: 'READYZ_DETAILS_PUBLIC', type: 'bool', default: false, group: 'security',
    doc: "`true`: `/readyz` lists its `models` (names, versions, providers) to every caller when `API_KEYS_FILE` is set; by default only a caller with a valid key sees them, everyone else the status alone (200 or 503 is the same for all). Without keys every caller sees them, as every caller sees `/metrics`" },
  { name: 'RATE_LIMIT_PER_MINUTE', type: 'int', default: 0, min: 0, max: 1_000_000, group: 'security', defaultDoc: "0 (off)",
    doc: "requests to `/caption` and `/moderate` per minute (a fixed 60 s window) per API key, or per client address (the TCP peer, like `MAX_UPLOADS_PER_CLIENT`) without keys; one more gets 429 `rate_limited`. The count is held in the process (see [Security](#security) for several instances)" },
  { name: 'CORS_ORIGINS', type: 'origins', group: 'security', defaultDoc: "(none: CORS off)",
    doc: "comma-separated browser origins allowed to call the service, each exactly `scheme://host[:port]` (`https://app.example,http://localhost:3000`; no `*`, no paths). An allowed origin gets `Access-Control-Allow-Origin` on every answer, errors included, with `X-Request-ID`, `Retry-After`, `RateLimit` and `RateLimit-Policy` exposed, and its preflight (`OPTIONS` with `Access-Control-Request-Method`) gets 204 allowing `GET, POST` and `Authorization, Content-Type, X-Request-ID` for 600 s; any other origin gets no CORS header and its preflight gets 405" },
  { name: 'IMAGE_URL_ALLOWED_HOSTS', type: 'hosts', group: 'image_url', defaultDoc: "(none: off)",
    doc: "comma-separated host names (`*.example.org` for its subdomains) or IP literals that `{\"url\"}` bodies and batch `url` parts may fetch; empty: image by URL is off (see [Image by URL](#image-by-url))" },
  { name: 'IMAGE_URL_ALLOW_HTTP', type: 'bool', default: false, group: 'image_url',
    doc: "`true`: plain `http` as well as `https`" },
  { name: 'IMAGE_URL_TIMEOUT_MS', type: 'int', default: 10_000, min: 100, max: 120_000, group: 'image_url',
    doc: "the whole fetch, redirects and DNS included (422 `image_url_timeout`)" },
  { name: 'IMAGE_URL_MAX_REDIRECTS', type: 'int', default: 3, min: 0, max: 10, group: 'image_url',
    doc: "redirects followed, each checked against the allow-list" },
  { name: 'IMAGE_URL_ALLOW_PRIVATE', type: 'bool', default: false, group: 'image_url',
    doc: "for tests and local trials only, never in a deployment: allow-listed hosts may resolve to private and loopback addresses" },
  { name: 'SHUTDOWN_GRACE_MS', type: 'int', default: 5000, min: 0, max: 600_000, group: 'lifecycle',
    doc: "after SIGTERM, how long readiness is 503 while new requests are still accepted, before the listener closes: a load balancer polling every 1–2 s with one failure to take an instance out needs a few seconds. Set it to the balancer's poll interval × failure threshold plus a second" },
  { name: 'SHUTDOWN_TIMEOUT_MS', type: 'int', default: 25_000, min: 0, max: 600_000, group: 'lifecycle',
    doc: "longest drain, after the grace period, before connections are cut" },
  { name: 'MAX_DECODED_BYTES', type: 'int', default: 200_000_000, min: 1024, max: 1_099_511_627_776, group: 'dos',
    doc: "width × height × channels × bytes per sample an image may decode to, from its header (422 `image_too_complex`): RGBA at the 50 M pixel limit passes, a 16-bit RGB image up to 33 M pixels. The pixel limit alone let a 16-bit interlaced 50,000 × 1,000 PNG (no shrink-on-load) cost 2.9 s of CPU and a 631 MiB peak (`test/attack/measure-bombs.ts`)" },
  { name: 'REQUEST_DEADLINE_MS', type: 'int', default: 20_000, min: 100, max: 600_000, group: 'dos',
    doc: "every `/caption` and `/moderate` request (batches included) is answered by then, counted from its arrival: 503 `deadline_exceeded`, its queued inference dropped. Under a client's usual 30 s, so the answer is the service's" },
  { name: 'IMAGE_URL_CONNECT_TIMEOUT_MS', type: 'int', default: 3000, min: 100, max: 120_000, group: 'dos',
    doc: "longest silence from an image URL's remote, connecting included (422 `image_url_timeout`); `IMAGE_URL_TIMEOUT_MS` bounds the whole fetch" },
  { name: 'IMAGE_URL_FETCHES_PER_CLIENT', type: 'int', default: 4, min: 1, max: 64, group: 'dos',
    doc: "image-URL fetches one client has open at once; a batch's `url` parts wait their turn, and are all fetched before the batch takes a processing slot" },
  { name: 'TRUSTED_PROXIES', type: 'proxies', group: 'dos', defaultDoc: "(none)",
    doc: "comma-separated proxy addresses or CIDR ranges (or `loopback`, `linklocal`, `uniquelocal`) whose `X-Forwarded-For` names the client for every per-client cap (uploads, fetches, failed keys, rate limits); empty: the TCP peer is the client and `X-Forwarded-For` is ignored" },
  { name: 'AUTH_FAILURES_PER_MINUTE', type: 'int', default: 30, min: 0, max: 1_000_000, group: 'dos',
    doc: "missing or wrong API keys per client and minute; past it, 429 `rate_limited` before the key is compared (3,000 guesses at 198/s were all answered 401 before); 0 is off" },
  { name: 'MEMORY_BUDGET_BYTES', type: 'int', default: 0, min: 0, max: 281_474_976_710_656, group: 'dos', defaultDoc: "half the container limit, else 1 GiB",
    doc: "bytes the requests in progress may hold together, each counted as 2 × its declared body (the body limit when undeclared) + 4 MiB from admission to its answer, and the bytes fetched from an image URL (a `{\"url\"}` body or a batch `url` part) twice as they arrive; over it, 503 `overloaded` before the body is read, or during the fetch (a request alone always runs). 0 or unset: half of `/sys/fs/cgroup/memory.max` (cgroup v1: `memory.limit_in_bytes`), so the chart's memory limit and the budget agree; the other half holds the models and runtime (≈450 MiB at ready)" },
] as const satisfies readonly SettingRow[];

export type SettingName = (typeof CONFIG_TABLE)[number]['name'];

/** The row of a variable (by its unprefixed name). */
export function settingRow(name: SettingName): SettingRow {
  return CONFIG_TABLE.find((row) => row.name === name)!;
}
