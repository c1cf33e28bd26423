/** Prometheus metrics of one service instance (own registry, so several apps can live in one process). */
import client from 'prom-client';
import { SERVICE_VERSION } from '../version.js';

/**
 * The service's own metrics start with this; prom-client's process and Node.js defaults keep their standard names
 * (`process_resident_memory_bytes`, `nodejs_eventloop_lag_seconds`), which Node.js dashboards and alerts look for.
 */
export const METRIC_PREFIX = 'imgsense_';

export interface ServiceMetrics {
  readonly registry: client.Registry;
  readonly requestDuration: client.Histogram<'route' | 'method' | 'status'>;
  readonly queueWait: client.Histogram<'model'>;
  readonly batchSize: client.Histogram<'model'>;
  readonly batchRoutes: client.Counter<'model' | 'routes'>;
  readonly inferenceDuration: client.Histogram<'model'>;
  readonly images: client.Counter<'format'>;
  readonly decodeDuration: client.Histogram<'format'>;
  readonly errors: client.Counter<'code'>;
  readonly modelInfo: client.Gauge<'model' | 'version' | 'task' | 'provider' | 'requested_provider'>;
  readonly requestsInFlight: client.Gauge;
  readonly workerEvents: client.Counter<'outcome'>;
}

/** What the pool gauges read when /metrics is scraped. */
export interface PoolGaugeSource {
  queueDepth(model: string): number;
  status(): readonly { name: string; workers_live: number }[];
}

/** Create the registry and every metric the service exposes. */
export function createMetrics(): ServiceMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new client.Gauge({
    name: 'imgsense_build_info',
    help: 'Always 1; the labels say which build runs: the service version and the Node.js version.',
    labelNames: ['version', 'nodejs_version'],
    registers,
  }).set({ version: SERVICE_VERSION, nodejs_version: process.versions.node }, 1);
  return {
    registry,
    requestDuration: new client.Histogram({
      name: 'imgsense_http_request_duration_seconds',
      help: 'HTTP request duration by route, method and status.',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    queueWait: new client.Histogram({
      name: 'imgsense_inference_queue_wait_seconds',
      help: 'Time an image waited in the micro-batcher queue before its batch was dispatched.',
      labelNames: ['model'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    batchSize: new client.Histogram({
      name: 'imgsense_inference_batch_size',
      help: 'Images per dispatched inference batch.',
      labelNames: ['model'],
      buckets: [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64],
      registers,
    }),
    batchRoutes: new client.Counter({
      name: 'imgsense_inference_batches_total',
      help: 'Dispatched inference batches by model and the routes whose images they carried (e.g. "/caption+/moderate": a shared batch).',
      labelNames: ['model', 'routes'],
      registers,
    }),
    inferenceDuration: new client.Histogram({
      name: 'imgsense_inference_duration_seconds',
      help: 'Time of one session.run over a batch, measured in the worker.',
      labelNames: ['model'],
      buckets: [0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56],
      registers,
    }),
    images: new client.Counter({
      name: 'imgsense_images_total',
      help: 'Images decoded, by detected format.',
      labelNames: ['format'],
      registers,
    }),
    decodeDuration: new client.Histogram({
      name: 'imgsense_image_decode_seconds',
      help: 'Time to detect, check and decode one upload to raw RGB (before any per-model resize), by detected format.',
      labelNames: ['format'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    errors: new client.Counter({
      name: 'imgsense_errors_total',
      help: 'Error responses by catalogue code.',
      labelNames: ['code'],
      registers,
    }),
    modelInfo: new client.Gauge({
      name: 'imgsense_model_info',
      help: 'Loaded models (value 1) with version, task and the execution provider actually used.',
      labelNames: ['model', 'version', 'task', 'provider', 'requested_provider'],
      registers,
    }),
    requestsInFlight: new client.Gauge({
      name: 'imgsense_http_model_requests_in_flight',
      help: 'Image requests (/caption, /moderate) admitted and not yet answered; bounded by MAX_INFLIGHT_REQUESTS.',
      registers,
    }),
    workerEvents: new client.Counter({
      name: 'imgsense_inference_worker_events_total',
      help: 'Inference worker lifecycle events: died, replaced, start_failed (a replacement failed; retried), given_up (slot left down).',
      labelNames: ['outcome'],
      registers,
    }),
  };
}

/** Queue depth and live workers per model, read from the pool at scrape time; called once the pool exists. */
export function registerPoolGauges(metrics: ServiceMetrics, pool: PoolGaugeSource): void {
  const registers = [metrics.registry];
  new client.Gauge({
    name: 'imgsense_inference_queue_depth',
    help: 'Images waiting in the micro-batcher queue.',
    labelNames: ['model'],
    registers,
    collect() {
      for (const { name } of pool.status()) this.set({ model: name }, pool.queueDepth(name));
    },
  });
  new client.Gauge({
    name: 'imgsense_inference_workers_live',
    help: 'Inference workers serving each model now; 0 turns /readyz 503.',
    labelNames: ['model'],
    registers,
    collect() {
      for (const { name, workers_live } of pool.status()) this.set({ model: name }, workers_live);
    },
  });
}
