/** POST /caption/batch: validate the query, receive every part, caption each one as /caption would, answer the results in part order. */
import type { RequestHandler } from 'express';
import { captionImage, type CaptionModels } from '../../caption/caption-image.js';
import { captionOptions, type CaptionDefaults } from './caption.js';
import type { operations } from '../../generated/api.js';
import { eachPart, readBatch } from '../batch.js';
import type { ImageReader } from '../read-image.js';
import { operationValidator } from '../validate-request.js';

type CaptionBatchQuery = NonNullable<operations['captionBatch']['parameters']['query']>;

const validator = operationValidator<CaptionBatchQuery>('/caption/batch', 'post');

/** The /caption/batch handler; the defaults apply where the request names nothing. */
export function captionBatchRoute(models: CaptionModels, reader: ImageReader, defaults: CaptionDefaults): RequestHandler {
  return async (req, res) => {
    const query = validator.query(req.query);
    const options = captionOptions(query, defaults, '/caption/batch', req.get('accept-language'));
    const parts = await readBatch(req, reader);
    const results = await eachPart(req, res, reader, parts, (image) => captionImage(image, models, options));
    res
      .vary('Accept-Language')
      .set('Content-Language', options.lang ?? 'en')
      .json({ results });
  };
}
