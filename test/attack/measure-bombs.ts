/**
 * Issue 25, findings 1 and 2, measured: each bomb decoded once by decodeImage under the default limits, in a fresh child
 * process (CPU seconds, peak RSS). `nice -n 15 npx tsx test/attack/measure-bombs.ts` (under a minute on 2 cores).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadConfig } from '../../src/config.js';
import { decodeImage } from '../../src/image/decode.js';
import { countJpegScans } from '../../src/image/jpeg-scans.js';
import { scanBomb } from '../unit/bombs.js';

const dir = path.join(tmpdir(), 'imgsense-bombs');

/** The 5,000-scan 7071 x 7071 bomb with one 0x00 before its first SOS; a flat 16-bit interlaced 50,000 x 1,000 PNG (real data). */
async function make(): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const bomb = await scanBomb(5000);
  const sos = bomb.indexOf(Buffer.from([0xff, 0xda]));
  const stray = Buffer.concat([bomb.subarray(0, sos), Buffer.from([0x00]), bomb.subarray(sos)]);
  writeFileSync(path.join(dir, 'stray-scans.jpg'), stray);
  const flat = await sharp({ create: { width: 50_000, height: 1000, channels: 3, background: '#406080' } })
    .toColourspace('rgb16')
    .png({ progressive: true })
    .toBuffer();
  writeFileSync(path.join(dir, 'png16-interlaced.png'), flat);
  return ['stray-scans.jpg', 'png16-interlaced.png'];
}

/** Decode one file as the service would; print what happened and what it cost. */
async function decodeOne(file: string): Promise<void> {
  const config = loadConfig({});
  const bytes = readFileSync(path.join(dir, file));
  const before = process.memoryUsage().rss;
  const started = process.cpuUsage();
  const outcome = await decodeImage(bytes, { ...config, workingShorterSide: 480 }).then(
    (image) => `decoded ${image.width} x ${image.height}`,
    (error: Error) => `refused: ${error.message}`,
  );
  const used = process.cpuUsage(started);
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      file,
      kB: Math.round(bytes.length / 1024),
      scansCounted: countJpegScans(bytes),
      outcome,
      cpuS: +((used.user + used.system) / 1e6).toFixed(2),
      rssBeforeMiB: Math.round(before / 2 ** 20),
      peakRssMiB: Math.round(peak),
    }),
  );
}

if (process.argv[2] === 'decode') await decodeOne(process.argv[3]!);
else {
  for (const file of await make()) {
    spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'decode', file], { stdio: 'inherit' });
  }
}
