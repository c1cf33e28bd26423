// The module boundaries docs/architecture.md states, read from the sources' import statements.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const IMPORT = /\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s+['"]([^'"]+)['"]/g;

interface Edge {
  /** The importing file, relative to src/ ("caption/caption-image.ts"). */
  readonly file: string;
  /** A package name, or the imported file relative to src/ for a relative import. */
  readonly target: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every import of every file under src/. */
function importEdges(): Edge[] {
  return sourceFiles(SRC).flatMap((full) => {
    const file = path.relative(SRC, full);
    return [...readFileSync(full, 'utf8').matchAll(IMPORT)].map((m) => {
      const specifier = (m[1] ?? m[2] ?? m[3])!;
      const target = specifier.startsWith('.') ? path.relative(SRC, path.resolve(path.dirname(full), specifier)) : specifier;
      return { file, target };
    });
  });
}

const under = (folder: string) => (file: string) => file.startsWith(`${folder}/`);
const offenders = (edges: readonly Edge[], imports: (target: string) => boolean, allowed: (file: string) => boolean) =>
  edges.filter((e) => imports(e.target) && !allowed(e.file)).map((e) => `${e.file} imports ${e.target}`);

describe('import boundaries', () => {
  const edges = importEdges();

  it('when the sources are read, then imports are found (the check itself sees them)', () => {
    assert.ok(
      edges.some((e) => e.target === 'sharp'),
      'no import of sharp found at all',
    );
    assert.ok(edges.some((e) => e.file === 'caption/caption-image.ts' && e.target === 'image/image-source.js'));
  });

  it('when a module needs sharp, then it is in src/image', () => {
    assert.deepEqual(
      offenders(edges, (t) => t === 'sharp' || t.startsWith('sharp/'), under('image')),
      [],
    );
  });

  it('when a module needs onnxruntime, then it is in src/runtime', () => {
    assert.deepEqual(
      offenders(edges, (t) => t.startsWith('onnxruntime'), under('runtime')),
      [],
    );
  });

  it('when a use case, a model kind, the image stage, the metrics or the in-process entry imports, then never HTTP or Express', () => {
    const http = (t: string) => t.startsWith('http/') || t === 'express' || t.startsWith('express-');
    const lowerFolders = ['caption', 'moderation', 'models', 'image', 'bundle', 'runtime', 'observability'];
    const lower = (file: string) => lowerFolders.some((f) => under(f)(file)) || ['captioner.ts', 'load-models.ts'].includes(file);
    assert.deepEqual(
      offenders(edges, http, (file) => !lower(file)),
      [],
    );
  });

  it('when a module needs prom-client, then it is in src/observability', () => {
    assert.deepEqual(
      offenders(edges, (t) => t === 'prom-client' || t.startsWith('prom-client/'), under('observability')),
      [],
    );
  });

  it('when a use case needs a model, then it goes through src/models, never the runtime itself', () => {
    const useCase = (file: string) => under('caption')(file) || under('moderation')(file);
    assert.deepEqual(
      offenders(
        edges,
        (t) => t.startsWith('runtime/'),
        (file) => !useCase(file),
      ),
      [],
    );
  });
});
