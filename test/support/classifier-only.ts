/** The default classifier alone, in process (no detector, faces, OCR or moderation; one worker): for tests of heads that read its probabilities. */
import { createCaptioner } from '../../src/captioner.js';
import { loadConfig } from '../../src/config.js';

/** A captioner serving only the default classifier; close it when done. */
export function classifierOnlyCaptioner(): ReturnType<typeof createCaptioner> {
  return createCaptioner(
    loadConfig({
      DETECTOR_ENABLED: 'false',
      FACES_ENABLED: 'false',
      OCR_MODE: 'off',
      MODERATION_ENABLED: 'false',
      INFERENCE_WORKERS: '1',
    }),
  );
}
