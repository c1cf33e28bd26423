/** The JSON Lines output, which is also the journal that makes a run resumable. */
import { closeSync, createReadStream, existsSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CaptionResult, ModerationResult } from '../client.js';
import type { Problem, ProblemCode } from '../problem-error.js';

/** One line per image: the caption (or moderation) or the problem (or, when no answer came, the network error). */
export interface JournalLine {
  path: string;
  size: number;
  sha256: string;
  caption?: CaptionResult;
  moderation?: ModerationResult;
  problem?: Problem;
  error?: string;
}

/** Problems that belong to the file itself, so a second run would get the same answer: such a line counts as done. */
const FINAL_CODES: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'empty_body',
  'body_too_large',
  'too_many_pixels',
  'unsupported_media_type',
  'corrupt_image',
  'image_too_complex',
]);

/** True when the line settles its image: an answer, or a problem that retrying cannot change. */
export function isSettled(line: JournalLine): boolean {
  if (line.caption !== undefined || line.moderation !== undefined) return true;
  return line.problem?.code !== undefined && FINAL_CODES.has(line.problem.code);
}

/** The size of each image an existing output settles, by path (the last line of a path wins); a torn line is ignored. Streamed, for large archives. */
export async function readSettled(file: string): Promise<Map<string, number>> {
  const settled = new Map<string, number>();
  if (!existsSync(file)) return settled;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch {
      continue;
    }
    if (typeof line?.path !== 'string') continue;
    if (isSettled(line)) settled.set(line.path, line.size);
    else settled.delete(line.path);
  }
  return settled;
}

/** Appends lines to the output, one write per line, so an interrupted run leaves at most one torn line. */
export class Journal {
  private readonly fd: number;

  constructor(file: string) {
    this.fd = openSync(file, 'a+');
    if (lastByte(this.fd) !== undefined && lastByte(this.fd) !== 0x0a) writeSync(this.fd, '\n');
  }

  append(line: JournalLine): void {
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function lastByte(fd: number): number | undefined {
  const byte = Buffer.alloc(1);
  const { size } = fstatSync(fd);
  return size === 0 || readSync(fd, byte, 0, 1, size - 1) !== 1 ? undefined : byte[0];
}
