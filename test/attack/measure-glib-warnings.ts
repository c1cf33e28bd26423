/**
 * Issue 25, finding 8 (GLib-CRITICAL lines), measured: the fuzz inputs (seed and count as the fuzz test's) decoded by
 * the service's own decode path in a child process whose stderr is read: how many GLib/VIPS lines it prints, and for
 * which inputs (VERBOSE=1 prints each line with its case). `ATTACK_FUZZ_COUNT=20000 nice -n 15 npx tsx test/attack/measure-glib-warnings.ts`.
 */
import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.js';
import { ImageSource, imageLimits } from '../../src/image/image-source.js';
import { fuzzCase } from './mutate.js';

const COUNT = Number(process.env.ATTACK_FUZZ_COUNT ?? 20_000);
const SEED = Number(process.env.ATTACK_SEED ?? 20261201);
const MARK = '@@case ';

/** Child: decode every case as the service does (working size, then a larger decode), marking each case on stderr first. */
async function decodeAll(): Promise<void> {
  const limits = imageLimits(loadConfig({}));
  for (let index = 0; index < COUNT; index += 1) {
    writeSync(2, `${MARK}${index}\n`);
    const source = await ImageSource.open(fuzzCase(SEED, index).body, limits, 384).catch(() => undefined);
    await source?.at(640).catch(() => undefined);
  }
}

/** Parent: count the lines that are not our marks, by kind, and name the cases that printed them. */
async function measure(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'child'], {
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let current = -1;
  let rest = '';
  const kinds = new Map<string, number>();
  const cases = new Map<number, string>();
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith(MARK)) current = Number(line.slice(MARK.length));
      else if (line.trim()) {
        const kind = line.replace(/\d+/g, 'N').slice(0, 140);
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        const fuzz = fuzzCase(SEED, current);
        cases.set(current, `${fuzz.seed} ${fuzz.mutations.join('+')}`);
        if (process.env.VERBOSE) console.log(`case ${current}: ${line}`);
      }
    }
  });
  await new Promise((resolve) => child.on('close', resolve));
  const total = [...kinds.values()].reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ seed: SEED, inputs: COUNT, lines: total, casesPrinting: cases.size }));
  for (const [kind, n] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(6)}  ${kind}`);
  for (const [index, what] of [...cases].slice(0, 40)) console.log(`case ${index}: ${what}`);
}

if (process.argv[2] === 'child') await decodeAll();
else await measure();
