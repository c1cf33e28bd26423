/** Which code a measurement ran: the commit and whether the service sources had uncommitted changes. */
import { execFileSync } from 'node:child_process';

/** `{ commit, dirtyFiles }` of the working tree (src/ and models/), or unknown outside git. */
export function codeVersion(): { commit: string; dirtyFiles: number } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src', 'models'], { encoding: 'utf8' });
    return { commit, dirtyFiles: status.split('\n').filter(Boolean).length };
  } catch {
    return { commit: 'unknown', dirtyFiles: -1 };
  }
}
