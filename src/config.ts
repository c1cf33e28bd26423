/** Service configuration: read from the environment once, validated, frozen. Nothing else reads process.env. */
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';

export const DEFAULT_MODEL_DIR = 'models/efficientnet-lite0';
export const DEFAULT_NSFW_MODEL_DIR = 'models/nsfw-mobilenetv2';
export const DEFAULT_DETECTOR_MODEL_DIR = 'models/nanodet-coco-288';
// OCR: PP-OCRv6 small (issue 24; word accuracy on the text sets above v4's: docs/alt-text-quality.md). v4 stays an option:
// OCR_DETECTOR_DIR=models/ppocr-v4-det OCR_RECOGNIZER_DIR=models/ppocr-v4-rec.
export const DEFAULT_TEXT_DETECTOR_DIR = 'models/ppocr-v6-det';
export const DEFAULT_TEXT_RECOGNIZER_DIR = 'models/ppocr-v6-rec';
export const OCR_MODES = ['auto', 'rendered', 'always', 'off'] as const;
export const DEFAULT_MODERATION_POLICY = 'policies/default.json';
export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'tensorrt', 'webgpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly modelDir: string;
  readonly bodyLimitBytes: number;
  readonly maxPixels: number;
  readonly batchMaxSize: number;
  readonly batchMaxWaitMs: number;
  readonly queueMax: number;
  /** Model requests (/caption, /moderate) in flight at once; more get 503 before their body is read. */
  readonly maxInflightRequests: number;
  /** Uploads being received at once, and from one client address; counted apart from requests in processing. */
  readonly maxUploadsInFlight: number;
  readonly maxUploadsPerClient: number;
  /** Slowest accepted upload: at least this many bytes per second over every window of `uploadRateWindowMs`. */
  readonly uploadMinBytesPerSecond: number;
  readonly uploadRateWindowMs: number;
  /** AVIF and HEIF have no shrink-on-load, so a full-size decode is paid: a lower width x height cap for them. */
  readonly maxPixelsHeif: number;
  /** Longer side / shorter side above this is refused from the header. */
  readonly maxAspectRatio: number;
  /** Progressive JPEG scans (SOS markers) above this are refused before decoding. */
  readonly maxJpegScans: number;
  /** A file of `<name> <sha-256 hex>` lines; when set, the model routes (and /metrics unless public) need a Bearer key. */
  readonly apiKeysFile: string | undefined;
  readonly metricsPublic: boolean;
  /** Requests to /caption and /moderate per minute per API key (per client address without keys); 0 is off. */
  readonly rateLimitPerMinute: number;
  /** Browser origins allowed by CORS (`scheme://host[:port]`); empty is off. */
  readonly corsOrigins: readonly string[];
  /** After SIGTERM: readiness 503 while still accepting, for this long, before the listener closes. */
  readonly shutdownGraceMs: number;
  readonly inferenceWorkers: number;
  readonly intraOpThreads: number;
  /** ORT's CPU memory arena for the classifier, detector and NSFW sessions; off by default (docs/performance.md, memory). */
  readonly ortMemoryArena: boolean;
  readonly executionProvider: ExecutionProvider;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly captionPrecisionTarget: number;
  readonly shutdownTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** The object detector behind people and objects in /caption; off means the classifier alone. */
  readonly detector: { readonly enabled: boolean; readonly modelDir: string };
  /** OCR for /caption: auto reads text where the image looks rendered or shows a thing that carries text; off loads no OCR model. */
  readonly ocr: { readonly mode: (typeof OCR_MODES)[number]; readonly detectorDir: string; readonly recognizerDir: string; readonly intraOpThreads: number };
  /** /moderate: the policy file and the NSFW bundle; both unused (and /moderate answers 404) when disabled. */
  readonly moderation: { readonly enabled: boolean; readonly policyFile: string; readonly nsfwModelDir: string };
  /** The demo page at / (files under web/). */
  readonly demoEnabled: boolean;
  /** The API reference at /docs (rendered from openapi.yaml by `npm run build:docs`). */
  readonly docsEnabled: boolean;
  /** Most parts (`image` files and `url` fields together) in one /caption/batch or /moderate/batch request. */
  readonly batchMaxImages: number;
  readonly imageUrl: ImageUrlConfig;

  // ---- Denial of service: decode bounds, deadlines, client addresses, memory (issue 25; README, Configuration) ----
  /** Width x height x channels x bytes per sample an image may decode to, read from its header; more is 422. */
  readonly maxDecodedBytes: number;
  /** Every model request is answered by then: past it, 503 deadline_exceeded, and its queued work is dropped. */
  readonly requestDeadlineMs: number;
  /** Longest silence from an image URL's remote, connecting included (IMAGE_URL_TIMEOUT_MS bounds the whole fetch). */
  readonly imageUrlConnectTimeoutMs: number;
  /** Image-URL fetches one client (clientKey) has open at once; a batch's URL parts wait their turn. */
  readonly imageUrlFetchesPerClient: number;
  /** Proxies (addresses, CIDR ranges, or loopback / linklocal / uniquelocal) whose X-Forwarded-For names the client. */
  readonly trustedProxies: readonly string[];
  /** Failed API keys (missing or wrong) per client and minute before 429, checked ahead of the key itself; 0 is off. */
  readonly authFailuresPerMinute: number;
  /** Bytes the requests in progress may hold together (upload x 2 + 4 MiB each); 0: half the container's memory limit, else 1 GiB. */
  readonly memoryBudgetBytes: number;
}

/** Image by URL (`{"url"}` bodies and batch `url` parts): off while `allowedHosts` is empty. */
export interface ImageUrlConfig {
  /** Lower-case host names (`*.example.org` for its subdomains) or IP literals that may be fetched, `:port` for a port other than 80 / 443. */
  readonly allowedHosts: readonly string[];
  /** Plain http as well as https. */
  readonly allowHttp: boolean;
  /** Whole fetch, redirects included. */
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  /** For tests only: allow-listed hosts may resolve to private and loopback addresses. */
  readonly allowPrivateAddresses: boolean;
}

/** Raised with every bad variable named, so one start-up attempt shows all mistakes. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

type Env = Record<string, string | undefined>;
const HOST_ENTRY = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;
/** An allow-list entry as URL parsing writes the host (lower case; ::ffff:127.0.0.1 is [::ffff:7f00:1]) and its port, if any. */
function urlHost(entry: string): string | undefined {
  const wildcard = entry.startsWith('*.') ? '*.' : '';
  const rest = entry.slice(wildcard.length).toLowerCase();
  if (!HOST_ENTRY.test(rest)) return undefined;
  try {
    const url = new URL(`http://${rest}`);
    return wildcard + url.hostname + (url.port ? `:${url.port}` : '');
  } catch {
    return undefined;
  }
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyRange(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

const BOOLEANS: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

function isOrigin(entry: string): boolean {
  try {
    const url = new URL(entry);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry;
  } catch {
    return false;
  }
}

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      this.problems.push(`${name}=${JSON.stringify(raw)}: expected an integer in [${min}, ${max}]`);
      return fallback;
    }
    return value;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
      this.problems.push(`${name}=${JSON.stringify(raw)}: expected a number in [${min}, ${max}]`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name}=${JSON.stringify(raw)}: expected one of ${allowed.join(', ')}`);
      return fallback;
    }
    return raw as T;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = BOOLEANS[raw.trim().toLowerCase()];
    if (value === undefined) this.problems.push(`${name}=${JSON.stringify(raw)}: expected true or false`);
    return value ?? fallback;
  }

  /** A comma-separated list of origins, each exactly `scheme://host[:port]` (what a browser sends in `Origin`). */
  origins(name: string): string[] {
    const entries = (this.env[name] ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    const bad = entries.filter((entry) => !isOrigin(entry));
    if (bad.length > 0) this.problems.push(`${name}: ${bad.map((entry) => JSON.stringify(entry)).join(', ')} not an origin (scheme://host[:port])`);
    return entries.filter(isOrigin);
  }

  /** A comma-separated list of host names (`*.` allowed in front), IPv4 literals or bracketed IPv6 literals, as URLs write them. */
  hosts(name: string): string[] {
    const entries = (this.env[name] ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    const hosts = entries.map(urlHost);
    const bad = entries.filter((_entry, i) => hosts[i] === undefined);
    if (bad.length > 0) this.problems.push(`${name}: ${bad.map((entry) => JSON.stringify(entry)).join(', ')} not a host name or IP literal`);
    return hosts.filter((host) => host !== undefined);
  }

  /** A comma-separated list of IP addresses, CIDR ranges, or the names loopback, linklocal, uniquelocal (Express 'trust proxy'). */
  proxies(name: string): string[] {
    const entries = (this.env[name] ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    const ok = (entry: string) => PROXY_NAMES.includes(entry) || isProxyRange(entry);
    const bad = entries.filter((entry) => !ok(entry));
    if (bad.length > 0) this.problems.push(`${name}: ${bad.map((entry) => JSON.stringify(entry)).join(', ')} not an IP address, CIDR range or ${PROXY_NAMES.join(' / ')}`);
    return entries.filter(ok);
  }

  text(name: string, fallback: string): string {
    const raw = this.env[name];
    return raw === undefined || raw === '' ? fallback : raw;
  }
}

/** Parse and validate the service configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const read = new Reader(env);
  const cores = availableParallelism();
  const inferenceWorkers = read.int('INFERENCE_WORKERS', 1, 1, 64);
  const config: Config = {
    port: read.int('PORT', 8080, 0, 65535),
    host: read.text('HOST', '0.0.0.0'),
    modelDir: read.text('MODEL_DIR', DEFAULT_MODEL_DIR),
    bodyLimitBytes: read.int('BODY_LIMIT_BYTES', 20 * 1024 * 1024, 1024, 1024 ** 3),
    maxPixels: read.int('MAX_PIXELS', 50_000_000, 64, 268_402_689),
    batchMaxSize: read.int('BATCH_MAX_SIZE', 4, 1, 256),
    batchMaxWaitMs: read.number('BATCH_MAX_WAIT_MS', 2, 0, 1000),
    queueMax: read.int('QUEUE_MAX', 128, 1, 100_000),
    maxInflightRequests: read.int('MAX_INFLIGHT_REQUESTS', 128, 1, 100_000),
    maxUploadsInFlight: read.int('MAX_UPLOADS_IN_FLIGHT', 1024, 1, 100_000),
    maxUploadsPerClient: read.int('MAX_UPLOADS_PER_CLIENT', 8, 1, 100_000),
    uploadMinBytesPerSecond: read.int('UPLOAD_MIN_BYTES_PER_SECOND', 4096, 0, 1024 ** 3),
    uploadRateWindowMs: read.int('UPLOAD_RATE_WINDOW_MS', 5000, 500, 600_000),
    maxPixelsHeif: read.int('MAX_PIXELS_HEIF', 16_777_216, 64, 268_402_689),
    maxAspectRatio: read.number('MAX_ASPECT_RATIO', 50, 1, 1_000_000),
    maxJpegScans: read.int('MAX_JPEG_SCANS', 100, 1, 100_000),
    inferenceWorkers,
    // One core is left to decoding and HTTP: on 2 cores, 1 intra-op thread served as many images as 2 with 5-10% less CPU
    // (docs/performance.md, threads sweep).
    intraOpThreads: read.int('INTRA_OP_THREADS', Math.max(1, Math.floor(cores / inferenceWorkers) - 1), 1, 256),
    // Off: 120-190 MiB less RSS at ready and under load, session.run within noise (docs/performance.md, memory).
    ortMemoryArena: read.bool('ORT_MEMORY_ARENA', false),
    executionProvider: read.oneOf('EXECUTION_PROVIDER', 'cpu', EXECUTION_PROVIDERS),
    executionProviderStrict: read.bool('EXECUTION_PROVIDER_STRICT', false),
    logLevel: read.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    captionPrecisionTarget: read.number('CAPTION_PRECISION_TARGET', 0.7, 0.01, 1),
    shutdownTimeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 25_000, 0, 600_000),
    shutdownGraceMs: read.int('SHUTDOWN_GRACE_MS', 5000, 0, 600_000),
    apiKeysFile: read.text('API_KEYS_FILE', '') || undefined,
    metricsPublic: read.bool('METRICS_PUBLIC', false),
    rateLimitPerMinute: read.int('RATE_LIMIT_PER_MINUTE', 0, 0, 1_000_000),
    corsOrigins: Object.freeze(read.origins('CORS_ORIGINS')),
    requestTimeoutMs: read.int('REQUEST_TIMEOUT_MS', 30_000, 1000, 600_000),
    detector: Object.freeze({
      enabled: read.bool('DETECTOR_ENABLED', true),
      modelDir: read.text('DETECTOR_MODEL_DIR', DEFAULT_DETECTOR_MODEL_DIR),
    }),
    ocr: Object.freeze({
      mode: read.oneOf('OCR_MODE', 'auto', OCR_MODES),
      detectorDir: read.text('OCR_DETECTOR_DIR', DEFAULT_TEXT_DETECTOR_DIR),
      recognizerDir: read.text('OCR_RECOGNIZER_DIR', DEFAULT_TEXT_RECOGNIZER_DIR),
      // OCR's sessions get every core: reading a screenshot is one request's long run of lines, and its latency, not
      // throughput, is what a reader waits on (docs/performance.md, OCR threads).
      intraOpThreads: read.int('OCR_INTRA_OP_THREADS', Math.max(1, cores), 1, 256),
    }),
    moderation: Object.freeze({
      enabled: read.bool('MODERATION_ENABLED', true),
      policyFile: read.text('MODERATION_POLICY', DEFAULT_MODERATION_POLICY),
      nsfwModelDir: read.text('NSFW_MODEL_DIR', DEFAULT_NSFW_MODEL_DIR),
    }),
    demoEnabled: read.bool('DEMO_ENABLED', true),
    docsEnabled: read.bool('DOCS_ENABLED', true),
    batchMaxImages: read.int('BATCH_MAX_IMAGES', 16, 1, 256),
    imageUrl: Object.freeze({
      allowedHosts: Object.freeze(read.hosts('IMAGE_URL_ALLOWED_HOSTS')),
      allowHttp: read.bool('IMAGE_URL_ALLOW_HTTP', false),
      timeoutMs: read.int('IMAGE_URL_TIMEOUT_MS', 10_000, 100, 120_000),
      maxRedirects: read.int('IMAGE_URL_MAX_REDIRECTS', 3, 0, 10),
      allowPrivateAddresses: read.bool('IMAGE_URL_ALLOW_PRIVATE', false),
    }),

    // ---- Denial of service (issue 25) ----
    // Defaults: RGBA at the 50 M pixel limit; a 16-bit RGB image up to 33 M pixels.
    maxDecodedBytes: read.int('MAX_DECODED_BYTES', 200_000_000, 1024, 2 ** 40),
    // Well under the 30 s a client usually waits, so the answer is ours, not the client's timeout.
    requestDeadlineMs: read.int('REQUEST_DEADLINE_MS', 20_000, 100, 600_000),
    imageUrlConnectTimeoutMs: read.int('IMAGE_URL_CONNECT_TIMEOUT_MS', 3000, 100, 120_000),
    imageUrlFetchesPerClient: read.int('IMAGE_URL_FETCHES_PER_CLIENT', 4, 1, 64),
    // Empty: the TCP peer is the client, X-Forwarded-For is ignored (a client could write any address there).
    trustedProxies: Object.freeze(read.proxies('TRUSTED_PROXIES')),
    authFailuresPerMinute: read.int('AUTH_FAILURES_PER_MINUTE', 30, 0, 1_000_000),
    memoryBudgetBytes: read.int('MEMORY_BUDGET_BYTES', 0, 0, 2 ** 48),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return Object.freeze(config);
}

// Execution provider strictness (kept as its own block; merged into Config above by TypeScript's declaration merging).
export interface Config {
  /** EXECUTION_PROVIDER_STRICT: refuse to start when any model cannot run on the requested provider, instead of warning. */
  readonly executionProviderStrict: boolean;
}
