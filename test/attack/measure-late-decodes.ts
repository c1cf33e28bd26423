/**
 * Issue 25, item 4, measured: a decode already running cannot be cancelled, but sharp's timeout now follows the request's
 * deadline. A real photo as a 7000 x 7000 interlaced PNG (no shrink-on-load) decoded at the working size with no deadline,
 * then inside a request with 1 s left: outcome, CPU seconds, wall seconds. `nice -n 15 npx tsx test/attack/measure-late-decodes.ts`.
 */
import sharp from 'sharp';
import { decodeImage } from '../../src/image/decode.js';
import { withRequestSignal } from '../../src/runtime/request-signal.js';
import { fixture } from '../support/service.js';

const png = await sharp(fixture('cat.jpg')).resize(7000, 7000, { fit: 'fill' }).png({ progressive: true, compressionLevel: 1 }).toBuffer();
const options = { maxPixels: 50_000_000, workingShorterSide: 480 };

async function measure(label: string, leftMs: number | undefined): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const decode = () => decodeImage(png, options);
  const scoped = leftMs === undefined ? decode() : withRequestSignal(new AbortController().signal, decode, Date.now() + leftMs);
  const outcome = await scoped.then(
    (image) => `decoded ${image.width} x ${image.height}`,
    (error: Error) => `refused: ${error.message}`,
  );
  const used = process.cpuUsage(cpu);
  console.log(
    JSON.stringify({
      label,
      outcome,
      cpuS: +((used.user + used.system) / 1e6).toFixed(2),
      wallS: +((performance.now() - started) / 1000).toFixed(2),
    }),
  );
}

await measure('no deadline', undefined);
await measure('1 s left', 1000);
