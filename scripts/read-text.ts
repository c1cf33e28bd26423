/**
 * Read the text in image files with the bundled OCR models, outside the server, with timings (detector, reading, and
 * of the reading the recogniser's session.run time summed over its runs):
 *   npx tsx scripts/read-text.ts IMAGE...        (THREADS=2 for two intra-op threads; default 1, the service's on 2 cores)
 */
import { readFile } from 'node:fs/promises';
import { loadBundle } from '../src/bundle/load-bundle.js';
import { loadConfig } from '../src/config.js';
import { ImageSource, imageLimits } from '../src/image/image-source.js';
import { workingShorterSide } from '../src/load-models.js';
import { poolSlots, slotOf } from '../src/serving.js';
import { InferencePool } from '../src/runtime/inference-pool.js';
import { TextReader } from '../src/models/text-reader.js';

const { serving } = loadConfig({ IMGSENSE_OCR_INTRA_OP_THREADS: process.env.THREADS ?? '1' });
const det = await loadBundle(slotOf(serving, 'text_detector').bundle);
const rec = await loadBundle(slotOf(serving, 'text_recognizer').bundle);
const slots = poolSlots(serving, { text_detector: det, text_recognizer: rec });
const recognised = { runs: 0, ms: 0 };
const onInference = (model: string, seconds: number) => {
  if (model !== rec.manifest.name) return;
  recognised.runs++;
  recognised.ms += seconds * 1000;
};
const pool = await InferencePool.start(
  [det, rec],
  { workers: 1, intraOpThreads: 1, provider: 'cpu', batch: { maxBatchSize: 4, maxWaitMs: 2, queueMax: 128 }, slots },
  { onInference },
);
const reader = new TextReader(det, rec, pool);
// Checked and decoded as the server does, under its limits; the reader asks for the sizes it needs.
const limits = imageLimits(loadConfig());
const working = workingShorterSide([]); // the OCR slots decode for themselves (working_decode false)
for (const file of process.argv.slice(2)) {
  const source = await ImageSource.open(await readFile(file), limits, working);
  const image = source.working;
  const t0 = performance.now();
  const regions = await reader.detect(source, 'try');
  const t1 = performance.now();
  Object.assign(recognised, { runs: 0, ms: 0 });
  const text = await reader.read(source, regions, 'try');
  const t2 = performance.now();
  console.log(
    file,
    `${image.width}x${image.height}`,
    `total ${(t2 - t0).toFixed(0)} ms: det ${(t1 - t0).toFixed(0)} ms, read ${(t2 - t1).toFixed(0)} ms (recogniser ${recognised.runs} runs ${recognised.ms.toFixed(0)} ms), regions ${regions.length}, coverage ${text.coverage.toFixed(3)}`,
  );
  console.log(JSON.stringify(text.content));
}
await pool.close();
