/** POST /moderate/batch: check the query against the policy before the body is read, then moderate each part as /moderate would. */
import type { RequestHandler } from 'express';
import type { operations } from '../../generated/api.js';
import { moderateImage, planModeration, type ModerationModels } from '../../moderation/moderate-image.js';
import type { ModerationRequest } from '../../moderation/moderation-request.js';
import { eachPart, readBatch } from '../batch.js';
import type { ImageReader } from '../read-image.js';
import { operationValidator } from '../validate-request.js';

type ModerateBatchQuery = NonNullable<operations['moderateBatch']['parameters']['query']>;

const validator = operationValidator<ModerateBatchQuery>('/moderate/batch', 'post');

/** The /moderate/batch handler for one resolved policy and its models. */
export function moderateBatchRoute(moderation: ModerationModels, reader: ImageReader): RequestHandler {
  return async (req, res) => {
    const query = validator.query(req.query);
    const request: ModerationRequest = { categories: query.categories, thresholds: query.thresholds };
    planModeration(moderation, request); // a bad request is refused before the body is read
    const parts = await readBatch(req, reader);
    res.json({ results: await eachPart(req, res, reader, parts, (image) => moderateImage(image, moderation, request)) });
  };
}
