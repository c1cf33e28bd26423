import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { projectPath } from '../../src/project-root.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { fixture, postImage } from '../support/service.js';

describe('what the real service logs: its version and configuration at start, and the stages of each request', () => {
  const lines: Record<string, any>[] = [];
  let service: RunningServer;
  before(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', MODERATION_ENABLED: 'false', DETECTOR_ENABLED: 'false', OCR_MODE: 'off' });
    service = await startServer(config, pino({ level: 'info' }, sink));
  });
  after(() => service.drain());

  it('when the service starts, then its first line names the version of package.json and the effective configuration', () => {
    const { version } = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string };
    const first = lines[0]!;
    assert.equal(first.msg, 'imgsense starting');
    assert.equal(first.version, version);
    assert.equal(first.config.port, 0);
    assert.equal(first.config.detector.enabled, false);
  });

  it('when a photo is captioned, then its access line has the receive, decode and caption times, within the whole', async () => {
    const response = await postImage(service.url, fixture('cat.jpg'), 'image/jpeg');
    assert.equal(response.status, 200);
    const requestId = response.headers.get('x-request-id');
    await response.arrayBuffer();
    const line = lines.find((l) => l.msg === 'request completed' && l.reqId === requestId) ?? assert.fail('no access line');
    for (const stage of ['receive_ms', 'decode_ms', 'caption_ms']) assert.ok(line[stage] >= 0, `${stage}: ${line[stage]}`);
    assert.ok(line.receive_ms + line.decode_ms + line.caption_ms <= line.ms + 0.5, JSON.stringify(line));
    assert.equal(line.bytes_in > fixture('cat.jpg').length, true);
  });
});
