/** Caption (or moderate) every image under a folder into a JSON Lines file: bounded concurrency, retries, resumable, with progress and a summary. */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ImgsenseProblemError } from '../problem-error.js';
import { findImages, type FoundImage } from './find-images.js';
import { isSettled, Journal, readSettled, type JournalLine } from './journal.js';
import { Progress, type Counts, type ProgressOptions } from './progress.js';
import { withRetries } from '../retry.js';

/** What one image's request answers: its caption, or its moderation. */
export type ArchiveAnswer = Pick<JournalLine, 'caption' | 'moderation'>;

export interface ArchiveOptions {
  dir: string;
  out: string;
  /** One image's request (ImgsenseClient.caption or .moderate, with the command's query). */
  request: (bytes: Uint8Array, filename: string) => Promise<ArchiveAnswer>;
  concurrency: number;
  /** Retries of one image after 429, 503 or a dropped connection. */
  retries: number;
  progress?: ProgressOptions;
  /** When aborted, no new image is started; those in flight finish and are written, then the summary. */
  stop?: AbortSignal;
}

export interface ArchiveSummary extends Counts {
  /** Images whose last answer can change on a rerun (network errors, 5xx, 401, 429): a rerun retries them. */
  unsettled: number;
  /** True when `stop` ended the run before every image was seen. */
  stopped: boolean;
  summary: string;
}

/** Run one pass over `dir`; images already settled in `out` (same path and size) are skipped. */
export async function captionArchive(options: ArchiveOptions): Promise<ArchiveSummary> {
  const images = await findImages(options.dir);
  const settled = await readSettled(options.out);
  const counts: Counts = { total: images.length, done: 0, refused: 0, skipped: 0, failed: 0, retries: 0 };
  const progress = new Progress(counts, options.progress);
  const journal = new Journal(options.out);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < images.length && !options.stop?.aborted) {
      const image = images[next++]!;
      const settledSize = settled.get(image.path);
      if (settledSize !== undefined && settledSize === (await stat(image.absolute)).size) counts.skipped += 1;
      else {
        const line = await captionOne(image, options, () => (counts.retries += 1));
        journal.append(line);
        if (line.caption || line.moderation) counts.done += 1;
        else if (isSettled(line)) counts.refused += 1;
        else counts.failed += 1;
      }
      progress.update();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, images.length)) }, worker));
  } finally {
    journal.close();
  }
  return { ...counts, unsettled: counts.failed, stopped: next < images.length, summary: progress.finish() };
}

async function captionOne(image: FoundImage, options: ArchiveOptions, onRetry: () => void): Promise<JournalLine> {
  const bytes = await readFile(image.absolute);
  const line: JournalLine = { path: image.path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  try {
    Object.assign(line, await withRetries(() => options.request(bytes, basename(image.path)), options.retries, onRetry));
  } catch (error) {
    if (error instanceof ImgsenseProblemError) line.problem = error.problem;
    else
      line.error =
        error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
  }
  return line;
}
