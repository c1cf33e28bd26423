/** The profile summary behind bench/profile-request.ts: frames grouped by where their code lives, samples inside a window only. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { frameGroup, largest, summariseProfile } from '../../bench/kit/cpu-profile.js';

const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url, lineNumber: 9 } });

/** Four samples 1 ms apart, at 2000, 3000, 4000 and 5000 µs: GC, sharp, GC, the project's hedge. */
function writeProfile(): string {
  const profile = {
    startTime: 1000,
    nodes: [
      frame(1, '(garbage collector)', ''),
      frame(2, 'toBuffer', 'file:///x/node_modules/sharp/dist/output.mjs'),
      frame(3, 'topClasses', 'file:///x/src/caption/hedge.ts'),
    ],
    samples: [1, 2, 1, 3],
    timeDeltas: [1000, 1000, 1000, 1000],
  };
  const path = join(mkdtempSync(join(tmpdir(), 'cpu-profile-')), 'a.cpuprofile');
  writeFileSync(path, JSON.stringify(profile));
  return path;
}

describe('cpu profile summary', () => {
  it('when frames come from V8, a package, Node or the project, then each gets its group', () => {
    assert.equal(frameGroup('(garbage collector)', ''), 'garbage collection');
    assert.equal(frameGroup('x', 'file:///a/node_modules/@img/sharp/lib/x.js'), 'package @img/sharp');
    assert.equal(frameGroup('x', 'node:internal/streams/readable'), 'node internal');
    assert.equal(frameGroup('x', 'file:///a/src/image/decode.js'), 'src/image/decode');
  });
  it('when a profile is summed, then each sample adds its delta to its group and function', () => {
    const { totalMs, byGroup, byFunction } = summariseProfile(writeProfile());
    assert.equal(totalMs, 4);
    assert.deepEqual(largest(byGroup, 3), [
      ['garbage collection', 2],
      ['package sharp', 1],
      ['src/caption/hedge', 1],
    ]);
    assert.equal(byFunction.get('topClasses src/caption/hedge:10'), 1);
  });
  it('when a window is given, then only the samples inside it count', () => {
    const { totalMs, byGroup } = summariseProfile(writeProfile(), { fromUs: 2500, toUs: 4000 });
    assert.equal(totalMs, 2);
    assert.deepEqual(Object.fromEntries(byGroup), { 'package sharp': 1, 'garbage collection': 1 });
  });
});
