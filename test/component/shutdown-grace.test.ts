import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { describe, it } from 'node:test';
import { boot, fixture } from '../support/service.js';

// Issue 12, finding 7: on SIGTERM readiness turned 503 and the listener closed at the same moment, so requests that
// keep-alive clients sent just then were dropped (4 of 16 clients).
const GRACE_MS = 2000;
const CLIENTS = 16;

/** One POST /caption on `agent`; the status, or the socket error's code. */
function caption(url: string, agent: Agent): Promise<number | string> {
  return new Promise((resolve) => {
    const body = fixture('cat.jpg');
    const headers = { 'content-type': 'image/jpeg', 'content-length': String(body.length) };
    const req = request(`${url}/caption`, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end(body);
  });
}

describe('draining keeps accepting for a grace period after readiness fails (real server, real model)', () => {
  it(`when drain starts under ${CLIENTS} keep-alive clients that stop once /readyz is 503, then no request is dropped`, async () => {
    const service = await boot({ DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false' });
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const outcomes: (number | string)[] = [];
    let balancerSeesDraining = false;
    const client = async () => {
      while (!balancerSeesDraining) outcomes.push(await caption(service.url, agent));
    };
    const clients = Array.from({ length: CLIENTS }, client);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const drained = service.drain({ graceMs: GRACE_MS });
    // The load balancer: polls readiness on its own connection and takes the instance out when it sees 503.
    const started = performance.now();
    while ((await fetch(`${service.url}/readyz`)).status === 200) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 300)); // its reaction time, well inside the grace period
    assert.ok(performance.now() - started < GRACE_MS, 'the balancer saw 503 during the grace period');
    const lateNewConnection = await caption(service.url, new Agent({ keepAlive: false }));
    balancerSeesDraining = true;
    await Promise.all(clients);
    assert.equal(lateNewConnection, 200, 'a new connection during the grace period is still served');
    assert.ok(outcomes.length > CLIENTS, `${outcomes.length} requests`);
    assert.deepEqual(outcomes.filter((outcome) => outcome !== 200), [], 'every request got 200');
    assert.equal(await drained, true);
    agent.destroy();
  });

  it('when the grace period is over, then the listener is closed', async () => {
    const service = await boot({ DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false' });
    const started = performance.now();
    assert.equal(await service.drain({ graceMs: 300 }), true);
    assert.ok(performance.now() - started >= 300);
    await assert.rejects(fetch(`${service.url}/healthz`));
  });
});
