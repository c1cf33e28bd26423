/** The one place that runs vegeta (open-model HTTP load generator): targets files, attacks, JSON reports, per-request results. */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Photo } from './photo-set.js';

/** The vegeta binary: VEGETA, else where scripts/install-deps.sh puts it. */
export const VEGETA = process.env.VEGETA ?? join(homedir(), '.cache/imgsense-tools/vegeta');

/** vegeta's `report -type=json`, latencies in nanoseconds. */
export interface VegetaReport {
  latencies: { mean: number; '50th': number; '90th': number; '95th': number; '99th': number; max: number; min: number };
  requests: number;
  rate: number;
  throughput: number;
  success: number;
  duration: number;
  wait: number;
  status_codes: Record<string, number>;
  errors: string[] | null;
}

/** One request's outcome, from `vegeta encode -to=json`. */
export interface VegetaResult {
  code: number;
  latency: number;
  error: string;
  timestamp: string;
  /** First bytes of the response body, base64. */
  body: string;
  headers: Record<string, string[]> | null;
}

/** One `vegeta attack`: targets, output, arrival rate, duration and limits. */
export interface AttackOptions {
  readonly targetsFile: string;
  readonly outputFile: string;
  /** Requests per second; 0 means as fast as `maxWorkers` allow (closed model, for saturation). */
  readonly rate: number;
  readonly seconds: number;
  readonly maxWorkers?: number;
  readonly timeoutSeconds?: number;
}

function run(args: string[], stdoutTo?: 'capture'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(VEGETA, args, { stdio: ['ignore', stdoutTo ? 'pipe' : 'ignore', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new Error(`cannot run ${VEGETA} (scripts/install-deps.sh installs it): ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`vegeta ${args[0]} exited ${code}: ${Buffer.concat(err).toString('utf8').slice(0, 800)}`));
    });
  });
}

/** vegeta's -rate as an integer count per period, so fractional rates stay exact enough. */
function rateArg(rate: number): string {
  if (rate <= 0) return '0';
  return rate >= 20 ? `${Math.round(rate)}/1s` : `${Math.max(1, Math.round(rate * 60))}/1m`;
}

/** Write a JSON-lines targets file: one POST per photo, raw image body with its Content-Type, used round-robin. */
export async function writeTargets(file: string, url: string, photos: readonly Photo[]): Promise<void> {
  const lines = photos.map((photo) =>
    JSON.stringify({ method: 'POST', url, body: photo.bytes.toString('base64'), header: { 'Content-Type': [photo.mimeType] } }),
  );
  await writeFile(file, `${lines.join('\n')}\n`);
}

/** Run one attack at a constant arrival rate (or closed-loop when rate is 0); results go to outputFile. */
export async function attack(options: AttackOptions): Promise<void> {
  const args = [
    'attack',
    '-format=json',
    `-targets=${options.targetsFile}`,
    `-output=${options.outputFile}`,
    `-rate=${rateArg(options.rate)}`,
    `-duration=${options.seconds}s`,
    `-timeout=${options.timeoutSeconds ?? 30}s`,
    '-max-body=512',
  ];
  if (options.maxWorkers !== undefined) args.push(`-max-workers=${options.maxWorkers}`, `-workers=${options.maxWorkers}`);
  await run(args);
}

/** Summarise one or more result files with `vegeta report -type=json`. */
export async function report(resultFiles: readonly string[]): Promise<VegetaReport> {
  return JSON.parse(await run(['report', '-type=json', ...resultFiles], 'capture')) as VegetaReport;
}

/** Every request's outcome (status, latency, headers) from result files. */
export async function results(resultFiles: readonly string[]): Promise<VegetaResult[]> {
  const text = await run(['encode', '-to=json', ...resultFiles], 'capture');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as VegetaResult);
}

/** Nanoseconds to milliseconds, rounded to 0.1 ms. */
export function ms(nanoseconds: number): number {
  return Math.round(nanoseconds / 1e5) / 10;
}
