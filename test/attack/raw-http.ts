/** Raw HTTP/1.1 over a loopback socket: for requests fetch refuses to send (bad framing, smuggling, slow bytes). */
import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawAnswer {
  /** 0 when no status line came back before the socket closed or `waitMs` ran out. */
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly ms: number;
}

export interface RawOptions {
  readonly port: number;
  readonly localAddress?: string;
  /** Stop waiting after this long and report what came back. */
  readonly waitMs?: number;
  /** Pieces written one by one, `gapMs` apart (a slow client); default: all at once. */
  readonly gapMs?: number;
}

function parse(text: string): { status: number; headers: Record<string, string>; body: string; complete: boolean } {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: '', complete: false };
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  const length = Number(headers['content-length'] ?? 0);
  const body = Buffer.from(text.slice(end + 4), 'latin1')
    .subarray(0, length)
    .toString('utf8');
  const complete = Buffer.byteLength(text.slice(end + 4), 'latin1') >= length;
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body, complete };
}

/** Send `pieces` and resolve with the first response once it is complete, the socket closes, or `waitMs` passes. */
export function rawRequest(
  pieces: (string | Buffer)[],
  { port, localAddress = '127.0.0.1', waitMs = 8000, gapMs = 0 }: RawOptions,
): Promise<RawAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    let text = '';
    const timers: NodeJS.Timeout[] = [];
    const finish = () => {
      timers.forEach(clearTimeout);
      socket.destroy();
      const { status, headers, body } = parse(text);
      resolve({ status, headers, body, ms: performance.now() - started });
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const answer = parse(text);
      if (answer.status > 0 && (answer.complete || answer.status === 204 || answer.status === 304)) finish();
    });
    socket.on('close', finish);
    socket.on('error', () => {});
    timers.push(setTimeout(finish, waitMs));
    socket.once('connect', () => {
      pieces.forEach((piece, i) => {
        const write = () => socket.writable && socket.write(typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece);
        if (gapMs === 0) write();
        else timers.push(setTimeout(write, i * gapMs));
      });
    });
  });
}

/** POST `body` from `localAddress` (node:http: fetch cannot choose its source address); resolves with the status. */
export function postFrom(url: string, body: Buffer, type: string, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': type, 'content-length': body.length };
    const req = request(url, { method: 'POST', headers, localAddress, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}
