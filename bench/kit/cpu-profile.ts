/** Self time of a V8 `.cpuprofile` (node --cpu-prof), grouped by where the code lives: GC, the service's files, each package. */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  /** Microseconds on the monotonic clock (process.hrtime's). */
  readonly startTime: number;
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Milliseconds of self time per group and per function, over the whole profile. */
export interface ProfileSummary {
  readonly totalMs: number;
  readonly byGroup: Map<string, number>;
  readonly byFunction: Map<string, number>;
}

/** The group of a frame: V8's own entries, then the project's `src/` file, a package under node_modules, or Node's internals. */
export function frameGroup(functionName: string, url: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8/native (program)';
    return `native: ${functionName}`;
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `package ${pkg[1]}`;
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/')[0]}`;
  const own = /\/(src|bench)\/(.+?)\.(?:js|ts)$/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url;
}

/** A span of the monotonic clock in microseconds (process.hrtime.bigint() / 1000n in any process of the machine). */
export interface Window {
  readonly fromUs: number;
  readonly toUs: number;
}

/** Read a profile and add up each sample's delta to the frame it landed in; only samples inside `window` when given. */
export function summariseProfile(path: string, window?: Window): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byGroup = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalMs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const frame = frames.get(id)!;
    const group = frameGroup(frame.functionName, frame.url);
    const fn = `${frame.functionName || '(anonymous)'} ${group}:${frame.lineNumber + 1}`;
    totalMs += ms;
    byGroup.set(group, (byGroup.get(group) ?? 0) + ms);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  });
  return { totalMs, byGroup, byFunction };
}

/** The `top` largest entries of a map, largest first. */
export function largest(map: Map<string, number>, top: number): [string, number][] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
}
