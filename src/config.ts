/** Service configuration: read from the environment once, validated, frozen. Nothing else reads process.env. */
import { availableParallelism } from 'node:os';
import { CONFIG_TABLE, settingRow, type SettingName } from './config-table.js';
import { effectiveSettings, Reader, type Env } from './config-reader.js';
import { readServingFile, resolveServing, type Serving, type SlotOverrides } from './serving.js';

type TableValues<N extends SettingName> = Extract<(typeof CONFIG_TABLE)[number], { name: N }> extends { values: infer V } ? V : never;
export const OCR_MODES: TableValues<'OCR_MODE'> = CONFIG_TABLE.find((row) => row.name === 'OCR_MODE')!.values;
export const EXECUTION_PROVIDERS: TableValues<'EXECUTION_PROVIDER'> = CONFIG_TABLE.find((row) => row.name === 'EXECUTION_PROVIDER')!.values;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];
export const DEFAULT_MODERATION_POLICY = settingRow('MODERATION_POLICY').default as string;

export interface Config {
  readonly port: number;
  readonly host: string;
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
  /** `/readyz` lists the models to every caller, not only to key holders, when API keys are in force. */
  readonly readyzDetailsPublic: boolean;
  /** Requests to /caption and /moderate per minute per API key (per client address without keys); 0 is off. */
  readonly rateLimitPerMinute: number;
  /** Browser origins allowed by CORS (`scheme://host[:port]`); empty is off. */
  readonly corsOrigins: readonly string[];
  /** After SIGTERM: readiness 503 while still accepting, for this long, before the listener closes. */
  readonly shutdownGraceMs: number;
  readonly inferenceWorkers: number;
  readonly intraOpThreads: number;
  /** ORT's CPU memory arena where a serving slot does not set its own; off by default (docs/performance.md, memory). */
  readonly ortMemoryArena: boolean;
  readonly executionProvider: ExecutionProvider;
  /** EXECUTION_PROVIDER_STRICT: refuse to start when any model cannot run on the requested provider, instead of warning. */
  readonly executionProviderStrict: boolean;
  readonly logLevel: TableValues<'LOG_LEVEL'>[number];
  readonly captionPrecisionTarget: number;
  /** KINDS_EXTENDED: the kind detector's painting, map and diagram reach the API; off, they fold into drawing and chart. */
  readonly kindsExtended: boolean;
  /** Opaque photos with only an unsure label are looked at turned a quarter each way (src/caption/sideways.ts). */
  readonly sidewaysPhotos: boolean;
  readonly shutdownTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** The object detector behind people and objects in /caption; off means the classifier alone. */
  readonly detector: { readonly enabled: boolean };
  /** The face detector beside the object detector: confident faces count people too; off means the detector alone. */
  readonly faces: { readonly enabled: boolean };
  /** OCR for /caption: auto reads text where the image looks rendered or shows a thing that carries text; off loads no OCR model. */
  readonly ocr: { readonly mode: (typeof OCR_MODES)[number] };
  /** /moderate: the policy file (and the nsfw slot); unused (and /moderate answers 404) when disabled. */
  readonly moderation: { readonly enabled: boolean; readonly policyFile: string };
  /** The serving file the slots were read from. */
  readonly servingFile: string;
  /** Every model slot of the serving file, defaults filled in and the per-model variables applied. */
  readonly serving: Serving;
  /** The effective configuration by prefixed variable name, secrets redacted: logged at start, printed by --print-config. */
  readonly settings: Readonly<Record<string, unknown>>;
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

/** Parse and validate the service configuration (the environment, then the serving file it names); throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const read = new Reader(env);
  const cores = availableParallelism();
  const inferenceWorkers = read.get('INFERENCE_WORKERS');
  // One core is left to decoding and HTTP: on 2 cores, 1 intra-op thread served as many images as 2 with 5-10% less CPU
  // (docs/performance.md, threads sweep).
  const intraOpThreads = read.get('INTRA_OP_THREADS') ?? Math.max(1, Math.floor(cores / inferenceWorkers) - 1);
  // Off: 120-190 MiB less RSS at ready and under load, session.run within noise (docs/performance.md, memory).
  const ortMemoryArena = read.get('ORT_MEMORY_ARENA');
  const batchMaxSize = read.get('BATCH_MAX_SIZE');
  const batchMaxWaitMs = read.get('BATCH_MAX_WAIT_MS');
  const servingFile = read.get('SERVING_FILE');
  const ocrThreads = read.get('OCR_INTRA_OP_THREADS');
  const overrides: SlotOverrides = {
    classifier: definedOnly({ bundle: read.get('MODEL_DIR') }),
    detector: definedOnly({ bundle: read.get('DETECTOR_MODEL_DIR') }),
    face_detector: definedOnly({ bundle: read.get('FACE_DETECTOR_DIR') }),
    nsfw: definedOnly({ bundle: read.get('NSFW_MODEL_DIR') }),
    text_detector: definedOnly({ bundle: read.get('OCR_DETECTOR_DIR'), intraOpThreads: ocrThreads }),
    text_recognizer: definedOnly({ bundle: read.get('OCR_RECOGNIZER_DIR'), intraOpThreads: ocrThreads }),
  };
  const config: Omit<Config, 'serving' | 'settings'> = {
    port: read.get('PORT'),
    host: read.get('HOST'),
    bodyLimitBytes: read.get('BODY_LIMIT_BYTES'),
    maxPixels: read.get('MAX_PIXELS'),
    batchMaxSize,
    batchMaxWaitMs,
    queueMax: read.get('QUEUE_MAX'),
    maxInflightRequests: read.get('MAX_INFLIGHT_REQUESTS'),
    maxUploadsInFlight: read.get('MAX_UPLOADS_IN_FLIGHT'),
    maxUploadsPerClient: read.get('MAX_UPLOADS_PER_CLIENT'),
    uploadMinBytesPerSecond: read.get('UPLOAD_MIN_BYTES_PER_SECOND'),
    uploadRateWindowMs: read.get('UPLOAD_RATE_WINDOW_MS'),
    maxPixelsHeif: read.get('MAX_PIXELS_HEIF'),
    maxAspectRatio: read.get('MAX_ASPECT_RATIO'),
    maxJpegScans: read.get('MAX_JPEG_SCANS'),
    inferenceWorkers,
    intraOpThreads,
    ortMemoryArena,
    executionProvider: read.get('EXECUTION_PROVIDER'),
    executionProviderStrict: read.get('EXECUTION_PROVIDER_STRICT'),
    logLevel: read.get('LOG_LEVEL'),
    captionPrecisionTarget: read.get('CAPTION_PRECISION_TARGET'),
    kindsExtended: read.get('KINDS_EXTENDED'),
    sidewaysPhotos: read.get('SIDEWAYS_PHOTOS'),
    shutdownTimeoutMs: read.get('SHUTDOWN_TIMEOUT_MS'),
    shutdownGraceMs: read.get('SHUTDOWN_GRACE_MS'),
    apiKeysFile: read.get('API_KEYS_FILE'),
    metricsPublic: read.get('METRICS_PUBLIC'),
    readyzDetailsPublic: read.get('READYZ_DETAILS_PUBLIC'),
    rateLimitPerMinute: read.get('RATE_LIMIT_PER_MINUTE'),
    corsOrigins: Object.freeze(read.get('CORS_ORIGINS')),
    requestTimeoutMs: read.get('REQUEST_TIMEOUT_MS'),
    servingFile,
    detector: Object.freeze({ enabled: read.get('DETECTOR_ENABLED') }),
    faces: Object.freeze({ enabled: read.get('FACES_ENABLED') }),
    ocr: Object.freeze({ mode: read.get('OCR_MODE') }),
    moderation: Object.freeze({ enabled: read.get('MODERATION_ENABLED'), policyFile: read.get('MODERATION_POLICY') }),
    demoEnabled: read.get('DEMO_ENABLED'),
    docsEnabled: read.get('DOCS_ENABLED'),
    batchMaxImages: read.get('BATCH_MAX_IMAGES'),
    imageUrl: Object.freeze({
      allowedHosts: Object.freeze(read.get('IMAGE_URL_ALLOWED_HOSTS')),
      allowHttp: read.get('IMAGE_URL_ALLOW_HTTP'),
      timeoutMs: read.get('IMAGE_URL_TIMEOUT_MS'),
      maxRedirects: read.get('IMAGE_URL_MAX_REDIRECTS'),
      allowPrivateAddresses: read.get('IMAGE_URL_ALLOW_PRIVATE'),
    }),

    // ---- Denial of service (issue 25) ----
    // Defaults: RGBA at the 50 M pixel limit; a 16-bit RGB image up to 33 M pixels.
    maxDecodedBytes: read.get('MAX_DECODED_BYTES'),
    // Well under the 30 s a client usually waits, so the answer is ours, not the client's timeout.
    requestDeadlineMs: read.get('REQUEST_DEADLINE_MS'),
    imageUrlConnectTimeoutMs: read.get('IMAGE_URL_CONNECT_TIMEOUT_MS'),
    imageUrlFetchesPerClient: read.get('IMAGE_URL_FETCHES_PER_CLIENT'),
    // Empty: the TCP peer is the client, X-Forwarded-For is ignored (a client could write any address there).
    trustedProxies: Object.freeze(read.get('TRUSTED_PROXIES')),
    authFailuresPerMinute: read.get('AUTH_FAILURES_PER_MINUTE'),
    memoryBudgetBytes: read.get('MEMORY_BUDGET_BYTES'),
  };
  read.values.set('INTRA_OP_THREADS', intraOpThreads);
  const { document, problems } = readServingFile(servingFile);
  const defaults = { intraOpThreads, memoryArena: ortMemoryArena, batch: { maxBatchSize: batchMaxSize, maxWaitMs: batchMaxWaitMs }, cores };
  const serving = document ? resolveServing(document, defaults, overrides) : Object.freeze({});
  if (read.problems.length + problems.length > 0) throw new ConfigError([...read.problems, ...problems]);
  return Object.freeze({ ...config, serving, settings: effectiveSettings(read.values) });
}

export { effectiveSettings, legacyNamesIn } from './config-reader.js';

/** The object without its undefined fields. */
function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
