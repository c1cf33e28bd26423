/** POST /caption: validate the query, read and decode the upload, run the caption use case, send JSON. */
import type { RequestHandler } from 'express';
import { captionImage, type CaptionModels } from '../../caption/caption-image.js';
import type { operations } from '../../generated/api.js';
import { readImage, type ImageReader } from '../read-image.js';
import { operationValidator } from '../validate-request.js';

type CaptionQuery = NonNullable<operations['caption']['parameters']['query']>;

const validator = operationValidator<CaptionQuery>('/caption', 'post');

/** The /caption handler; `defaultPrecisionTarget` applies when the request names none. */
export function captionRoute(models: CaptionModels, reader: ImageReader, defaultPrecisionTarget: number): RequestHandler {
  return async (req, res) => {
    const query = validator.query(req.query);
    const image = await readImage(req, reader, validator.contentTypes);
    const options = { precisionTarget: query.precision_target ?? defaultPrecisionTarget, maxLabels: query.max_labels ?? 5 };
    res.json(await captionImage(image, models, options));
  };
}
