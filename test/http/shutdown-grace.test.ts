import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { describe, it } from 'node:test';
import { bootStub, fixture } from '../support/service.js';

// Issue 12, finding 7: on SIGTERM readiness turned 503 and the listener closed at the same moment, so requests that
// keep-alive clients sent just then were dropped (4 of 16 clients). The test ends the grace period itself (graceOver)
// once the balancer has reacted, and waits for events, not for wall-clock windows: on a busy machine a 2 s grace timer
// closed the listener before the clients had run (ECONNREFUSED for every request).
const CLIENTS = 16;

/** Wait for an event; the 120 s bound only turns a hang into a failure, it times nothing. */
const until = async (condition: () => boolean | Promise<boolean>, what = 'the condition') => {
  const give = performance.now() + 120_000;
  while (!(await condition())) {
    if (performance.now() > give) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

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

describe('draining keeps accepting for a grace period after readiness fails (the app with stub models)', () => {
  it(`when drain starts under ${CLIENTS} keep-alive clients that stop once /readyz is 503, then no request is dropped`, async () => {
    const service = await bootStub({ DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false' });
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const outcomes: (number | string)[] = [];
    let balancerSeesDraining = false;
    const client = async () => {
      while (!balancerSeesDraining) outcomes.push(await caption(service.url, agent));
    };
    const clients = Array.from({ length: CLIENTS }, client);
    await until(() => outcomes.length > CLIENTS, 'a request on every connection'); // every keep-alive connection is open and in use
    let endGrace!: () => void;
    const drained = service.drain({ graceOver: new Promise<void>((resolve) => (endGrace = resolve)) });
    // The load balancer: polls readiness on its own connection and takes the instance out when it sees 503.
    await until(async () => (await fetch(`${service.url}/readyz`)).status === 503, 'readiness 503');
    const servedWhileDraining = outcomes.length;
    const lateNewConnection = await caption(service.url, new Agent({ keepAlive: false }));
    await until(() => outcomes.length >= servedWhileDraining + CLIENTS, 'requests served while draining'); // the clients kept sending after readiness failed
    balancerSeesDraining = true;
    await Promise.all(clients);
    endGrace();
    assert.equal(lateNewConnection, 200, 'a new connection during the grace period is still served');
    assert.ok(outcomes.length > CLIENTS, `${outcomes.length} requests`);
    assert.deepEqual(
      outcomes.filter((outcome) => outcome !== 200),
      [],
      'every request got 200',
    );
    assert.equal(await drained, true);
    agent.destroy();
  });

  it('when the listener closes, then a keep-alive connection idle at that moment is not reset: its next request is answered with Connection: close', async () => {
    const service = await bootStub({ DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false' });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal(await caption(service.url, agent), 200);
    let endGrace!: () => void;
    const drained = service.drain({ graceOver: new Promise<void>((resolve) => (endGrace = resolve)) });
    endGrace();
    await until(async () => (await caption(service.url, new Agent({ keepAlive: false }))) === 'ECONNREFUSED', 'the listener closed');
    const late = await new Promise<{ status: number; connection?: string }>((resolve, reject) => {
      const body = fixture('cat.jpg');
      const headers = { 'content-type': 'image/jpeg', 'content-length': String(body.length) };
      const req = request(`${service.url}/caption`, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
      });
      req.on('error', reject);
      req.end(body);
    });
    assert.deepEqual(late, { status: 200, connection: 'close' });
    assert.equal(await drained, true);
    agent.destroy();
  });

  it('when the grace period is over, then the listener is closed', async () => {
    const service = await bootStub({ DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false' });
    const started = performance.now();
    assert.equal(await service.drain({ graceMs: 300 }), true);
    assert.ok(performance.now() - started >= 300);
    await assert.rejects(fetch(`${service.url}/healthz`));
  });
});
