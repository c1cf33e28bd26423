/** POST /caption: validate the query, read and decode the upload, run the caption use case, send JSON. */
import type { RequestHandler } from 'express';
import { captionImage, DEFAULT_MAX_LABELS, type CaptionModels, type CaptionOptions, type TextMode } from '../../caption/caption-image.js';
import { negotiateLanguage } from '../../caption/languages/negotiate.js';
import type { operations } from '../../generated/api.js';
import { readImage, type ImageReader } from '../read-image.js';
import { recordTiming } from '../request-id.js';
import { operationValidator } from '../validate-request.js';

type CaptionQuery = NonNullable<operations['caption']['parameters']['query']>;

const validator = operationValidator<CaptionQuery>('/caption', 'post');

export interface CaptionDefaults {
  readonly precisionTarget: number;
  /** The deployment's OCR_MODE: when `features=text` reads text. */
  readonly textMode: TextMode;
}

/** The use case's options from a validated /caption (or /caption/batch) query and the request's Accept-Language. */
export function captionOptions(query: CaptionQuery, defaults: CaptionDefaults, origin?: string, acceptLanguage?: string): CaptionOptions {
  const features = query.features ?? ['objects', 'text'];
  const text: TextMode =
    defaults.textMode === 'off'
      ? 'off'
      : features.includes('text_always')
        ? 'always'
        : features.includes('text')
          ? defaults.textMode
          : 'off';
  return {
    precisionTarget: query.precision_target ?? defaults.precisionTarget,
    maxLabels: query.max_labels ?? DEFAULT_MAX_LABELS,
    objects: features.includes('objects'),
    text,
    lang: negotiateLanguage(query.lang, acceptLanguage),
    ...(origin ? { origin } : {}),
  };
}

/** The /caption handler; the defaults apply where the request names nothing. */
export function captionRoute(models: CaptionModels, reader: ImageReader, defaults: CaptionDefaults): RequestHandler {
  return async (req, res) => {
    const query = validator.query(req.query);
    const options = captionOptions(query, defaults, undefined, req.get('accept-language'));
    const image = await readImage(req, reader, validator.contentTypes);
    const started = performance.now();
    const caption = await captionImage(image, models, options);
    recordTiming(res, 'caption_ms', performance.now() - started);
    res.vary('Accept-Language').set('Content-Language', caption.lang).json(caption);
  };
}
