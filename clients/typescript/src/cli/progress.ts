/** Progress on stderr: a redrawn bar on a terminal, a plain line every few seconds otherwise (a log, a CI job). */

export interface Counts {
  total: number;
  done: number;
  skipped: number;
  /** Settled with a problem of the file itself (415, 422, 413): a rerun would get the same answer. */
  refused: number;
  /** Not settled (network errors, 5xx, 401, 429 after the retries): a rerun tries them again. */
  failed: number;
  /** Requests sent again after 429, 503 or a dropped connection. */
  retries: number;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines when the stream is not a terminal. */
  intervalSeconds?: number;
}

/** Reports counts as they change; `finish` prints the summary line, always. */
export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private readonly started = performance.now();
  private lastDraw = 0;

  constructor(
    private readonly counts: Counts,
    options: ProgressOptions = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.tty = this.stream.isTTY === true;
    this.intervalMs = (options.intervalSeconds ?? 5) * 1000;
  }

  /** Call after each count change; draws at most 10 times a second on a terminal, once per interval otherwise. */
  update(): void {
    const now = performance.now();
    if (now - this.lastDraw < (this.tty ? 100 : this.intervalMs)) return;
    this.lastDraw = now;
    if (this.tty) this.stream.write(`\r${this.bar()}\x1b[K`);
    else this.stream.write(`imgsense: ${this.line()}\n`);
  }

  /** The summary: done, refused, skipped, failed, elapsed and rate (of the images sent, not the skipped ones). */
  finish(): string {
    const { total, done, refused, skipped, failed, retries } = this.counts;
    const seconds = (performance.now() - this.started) / 1000;
    const rate = this.sent() / Math.max(seconds, 1e-3);
    const summary = `imgsense: ${total} images: ${done} done, ${refused} refused, ${skipped} skipped, ${failed} failed, ${retries} retries in ${seconds.toFixed(1)} s (${rate.toFixed(1)} images/s)`;
    if (this.tty) this.stream.write(`\r\x1b[K`);
    this.stream.write(`${summary}\n`);
    return summary;
  }

  private sent(): number {
    return this.counts.done + this.counts.refused + this.counts.failed;
  }

  private finished(): number {
    return this.sent() + this.counts.skipped;
  }

  private rate(): number {
    const seconds = (performance.now() - this.started) / 1000;
    return this.sent() / Math.max(seconds, 1e-3);
  }

  private line(): string {
    const { total, failed } = this.counts;
    const percent = total === 0 ? 100 : Math.floor((100 * this.finished()) / total);
    return `${this.finished()}/${total} (${percent} %), ${failed} failed, ${this.rate().toFixed(1)} images/s`;
  }

  private bar(width = 30): string {
    const { total } = this.counts;
    const filled = total === 0 ? width : Math.round((width * this.finished()) / total);
    const left = total - this.finished();
    const eta = this.rate() > 0 ? `, ETA ${Math.ceil(left / this.rate())} s` : '';
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.line()}${eta}`;
  }
}
