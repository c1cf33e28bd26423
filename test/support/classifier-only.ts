/** The default classifier alone, in process (no detector, faces, OCR or moderation; one worker): for tests of heads that read its probabilities. */
import { readFileSync } from 'node:fs';
import { createCaptioner } from '../../src/captioner.js';
import { loadConfig } from '../../src/config.js';
import { projectPath } from '../../src/project-root.js';

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

/** The default classifier's manifest: its sha256 (the heads key on it) and its classes in output order. */
export const CLASSIFIER_MANIFEST = JSON.parse(readFileSync(projectPath('models/efficientnet-lite0/model.json'), 'utf8')) as {
  sha256: string;
  classes: { id: string; name: string }[];
};

/** Probabilities of the default classifier with `mass` on one class (by name) and the rest spread evenly. */
export function peakedOn(name: string, mass = 0.9): Float32Array {
  const { classes } = CLASSIFIER_MANIFEST;
  const at = classes.findIndex((c) => c.name === name);
  if (at < 0) throw new Error(`no class ${name}`);
  const p = new Float32Array(classes.length).fill((1 - mass) / (classes.length - 1));
  p[at] = mass;
  return p;
}
