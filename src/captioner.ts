/** The caption use case in-process, assembled as the server assembles it: config -> models -> checked upload -> caption. */
import { pino, type Logger } from 'pino';
import {
  analyseImage,
  captionImage,
  DEFAULT_MAX_LABELS,
  type CaptionOptions,
  type CaptionResponse,
  type ImageAnalysis,
} from './caption/caption-image.js';
import type { Config } from './config.js';
import { createMetrics, type ServiceMetrics } from './observability/metrics.js';
import { ImageSource, imageLimits } from './image/image-source.js';
import { loadModels, type LoadedModels } from './load-models.js';

/** What a /caption request with no query asks for under this config (the route's defaults). */
function defaultCaptionOptions(config: Config): CaptionOptions {
  return { precisionTarget: config.captionPrecisionTarget, maxLabels: DEFAULT_MAX_LABELS, text: config.ocr.mode };
}

/** The loaded models behind one in-process caption entry; scripts, benches and tests call it instead of wiring their own. */
export interface Captioner {
  readonly config: Config;
  readonly models: LoadedModels;
  /** The upload checked and decoded as the server does (throws ImageRejectedError as the server would refuse it). */
  open(bytes: Buffer): Promise<ImageSource>;
  /** The /caption response for an upload; `options` override the route's defaults. */
  caption(bytes: Buffer, options?: Partial<CaptionOptions>): Promise<CaptionResponse>;
  /** The facts before they are put into words (for tools that compose in every language). */
  analyse(bytes: Buffer, options?: Partial<CaptionOptions>): Promise<ImageAnalysis>;
  /** Stop the inference workers. */
  close(): Promise<void>;
}

/** Where the models report: a silent log and fresh metrics unless given (a bench reads the batch metrics). */
export interface CaptionerHooks {
  readonly log?: Logger;
  readonly metrics?: ServiceMetrics;
}

/** Load and warm the models the config names, as the server does. */
export async function createCaptioner(
  config: Config,
  { log = pino({ level: 'silent' }), metrics = createMetrics() }: CaptionerHooks = {},
): Promise<Captioner> {
  const models = await loadModels(config, metrics, log);
  const limits = imageLimits(config);
  const open = (bytes: Buffer) => ImageSource.open(bytes, limits, models.workingShorterSide);
  const withDefaults = (options: Partial<CaptionOptions> = {}) => ({ ...defaultCaptionOptions(config), ...options });
  return {
    config,
    models,
    open,
    caption: async (bytes, options) => captionImage(await open(bytes), models.caption, withDefaults(options)),
    analyse: async (bytes, options) => analyseImage(await open(bytes), models.caption, withDefaults(options)),
    close: () => models.pool.close(),
  };
}
