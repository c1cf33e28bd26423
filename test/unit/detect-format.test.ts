import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { detectFormat } from '../../src/image/detect-format.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

describe('detectFormat', () => {
  const cases: [string, string, boolean][] = [
    ['cat.jpg', 'jpeg', true],
    ['cat-truncated.jpg', 'jpeg', true],
    ['coffee-alpha.png', 'png', true],
    ['pixel-bomb.png', 'png', true],
    ['coffee.webp', 'webp', true],
    ['cat-then-red.gif', 'gif', true],
    ['rocket.avif', 'avif', true],
    ['coffee.heif', 'heif', true],
    ['motorcycle.tiff', 'tiff', true],
    ['external-url.svg', 'svg', false],
    ['document.pdf', 'pdf', false],
    ['note.txt', 'text', false],
    ['random.bin', 'unknown', false],
  ];
  for (const [name, format, supported] of cases) {
    it(`when the bytes are ${name}, then the format is ${format}${supported ? '' : ' (refused)'}`, () => {
      assert.deepEqual(detectFormat(fixture(name)), { supported, format });
    });
  }

  it('when an SVG starts with an XML declaration and a BOM, then it is still recognised as SVG', () => {
    const svg = Buffer.from('\uFEFF<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>');
    assert.equal(detectFormat(svg).format, 'svg');
  });

  it('when the body is empty, then the format is unknown', () => {
    assert.deepEqual(detectFormat(Buffer.alloc(0)), { supported: false, format: 'unknown' });
  });
});
