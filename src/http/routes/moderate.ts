/** POST /moderate: validate the request against the policy before the body is read, decode once, run the moderation use case. */
import type { RequestHandler } from 'express';
import type { operations } from '../../generated/api.js';
import { moderateImage, planModeration, type ModerationModels } from '../../moderation/moderate-image.js';
import type { ModerationRequest } from '../../moderation/moderation-request.js';
import { readImage, type ImageReader } from '../read-image.js';
import { recordTiming } from '../request-id.js';
import { operationValidator } from '../validate-request.js';

type ModerateQuery = NonNullable<operations['moderate']['parameters']['query']>;

const validator = operationValidator<ModerateQuery>('/moderate', 'post');

/** The /moderate handler for one resolved policy and its models. */
export function moderateRoute(moderation: ModerationModels, reader: ImageReader): RequestHandler {
  return async (req, res) => {
    const query = validator.query(req.query);
    const request: ModerationRequest = { categories: query.categories, thresholds: query.thresholds };
    planModeration(moderation, request); // a bad request is refused before the body is read
    const image = await readImage(req, reader, validator.contentTypes);
    const started = performance.now();
    const result = await moderateImage(image, moderation, request);
    recordTiming(res, 'moderate_ms', performance.now() - started);
    res.json(result);
  };
}
