/**
 * `kuykan-conformance client ADAPTER`: the client rules, checked by driving
 * a client under test (through its adapter) against the scripted server:
 * request ids (REQ-1, REQ-3), valid resume frames (RES-3), reconnecting with
 * backoff after a close (CLOSE-2, CLOSE-3), heartbeat at the advertised
 * interval and dead-server detection (PING-4, LIMIT-2), typing throttle
 * (TYPE-4) and expiry (TYPE-3).
 *
 * @module
 */

import { CloseCode } from '@kuykan/protocol';
import type { ClientAdapterModule, ClientUnderTest } from './adapter.js';
import { type ScriptedConnection, ScriptServer } from './script-server.js';

/** One client test. */
export interface ClientTest {
  readonly id: string;
  readonly covers: readonly string[];
  readonly title: string;
  run(server: ScriptServer, client: ClientUnderTest): Promise<void>;
}

/** A client rule observed broken. */
export class ClientFailure extends Error {
  constructor(
    readonly requirement: string,
    message: string,
  ) {
    super(message);
  }
}

function check(requirement: string, condition: unknown, message: string): asserts condition {
  if (!condition) throw new ClientFailure(requirement, message);
}

/** Every frame a connection sent is well-formed, and all but hello carry an id unique on the connection. */
function checkFrames(conn: ScriptedConnection, label: string): void {
  const ids = new Set<number>();
  for (const [n, r] of conn.received.entries()) {
    check(
      /join/.test(r.invalid ?? '') ? 'RES-3' : 'REQ-1',
      !r.invalid,
      `${label} frame ${n + 1} is malformed: ${r.invalid}`,
    );
    const frame = r.frame!;
    if (n === 0) {
      check('HS-1', frame.type === 'hello', `${label}: the first frame is ${frame.type}, not hello`);
      continue;
    }
    check(
      'REQ-1',
      'id' in frame && typeof frame.id === 'number',
      `${label}: a ${frame.type} frame carries no request id`,
    );
    if ('id' in frame) {
      // The scripted server answers at once, so an id seen twice was reused while outstanding or after.
      check('REQ-3', !ids.has(frame.id), `${label}: request id ${frame.id} is used twice`);
      ids.add(frame.id);
    }
  }
}

const name = () => `c${Math.floor(Math.random() * 1e6)}`;

export const CLIENT_TESTS: readonly ClientTest[] = [
  {
    id: 'client/request-ids',
    covers: ['REQ-1', 'REQ-3'],
    title: 'every frame but hello carries a request id, unique on the connection',
    async run(server, client) {
      await client.connect(server.url, name());
      await client.join('lobby');
      for (let i = 0; i < 3; i++) await client.send('lobby', `hello ${i}`);
      client.typing('lobby');
      await client.leave('lobby');
      await server.until(() => server.connections[0]!.received.some((r) => r.frame?.type === 'leave'), 5_000, 'leave');
      checkFrames(server.connections[0]!, 'connection 1');
    },
  },
  {
    id: 'client/reconnect-backoff',
    covers: ['CLOSE-2', 'CLOSE-3', 'RES-3'],
    title: 'after close 1012 the client reconnects with growing, jittered delays and resumes with epoch and seq',
    async run(server, client) {
      const closes: number[] = [];
      const rounds = 4;
      server.onJoin = (frame, conn) => {
        const n = server.connections.indexOf(conn);
        if (n < rounds)
          setTimeout(() => {
            closes[n] = Date.now();
            conn.ws.close(CloseCode.SERVICE_RESTART, 'restart');
          }, 20);
        // One message so that a resuming client has a seq to resume from.
        return frame.seq === undefined
          ? { seq: 1, messages: [{ seq: 1, messageId: 'm1', ts: Date.now(), from: 'someone', text: 'hi' }] }
          : { seq: 1, messages: [], recovered: true };
      };
      await client.connect(server.url, name());
      await client.join('lobby');
      await server
        .until(
          () =>
            server.connections.length > rounds &&
            server.connections[rounds]!.received.some((r) => r.frame?.type === 'join'),
          45_000,
          `${rounds} reconnections`,
        )
        .catch(() => {
          throw new ClientFailure(
            'CLOSE-2',
            `after close 1012 the client reconnected ${server.connections.length - 1} times, not ${rounds}`,
          );
        });
      for (const [n, conn] of server.connections.entries()) checkFrames(conn, `connection ${n + 1}`);
      const rejoin = server.connections[1]!.received.find((r) => r.frame?.type === 'join')?.frame;
      check(
        'RES-3',
        rejoin?.type === 'join' && rejoin.epoch !== undefined && rejoin.seq !== undefined,
        `the rejoin after a reconnect is ${JSON.stringify(rejoin)}: no resume with epoch and seq`,
      );
      const delays = closes.map((at, n) => server.connections[n + 1]!.openedAt - at);
      const total = delays.reduce((a, b) => a + b, 0);
      check(
        'CLOSE-3',
        total >= 200 && delays.every((d) => d <= 35_000),
        `reconnect delays ${delays.join(', ')} ms: expected exponential backoff with full jitter from about 500 ms, capped near 30 s`,
      );
    },
  },
  {
    id: 'client/heartbeat',
    covers: ['PING-4', 'LIMIT-2'],
    title: 'the client pings at the advertised heartbeatMs and drops a server that went silent',
    async run(server, client) {
      server.limits = { ...server.limits, heartbeatMs: 1_000 };
      await client.connect(server.url, name());
      const conn = server.connections[0]!;
      await server
        .until(() => conn.received.some((r) => r.frame?.type === 'ping'), 2_500, 'a ping')
        .catch(() => {
          throw new ClientFailure(
            'LIMIT-2',
            'no ping within 2.5 s of login although welcome advertised heartbeatMs 1000',
          );
        });
      conn.silent = true;
      const closed = new Promise<void>((resolve) => conn.ws.once('close', () => resolve()));
      const dropped = await Promise.race([
        closed.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 4_000)),
      ]);
      check('PING-4', dropped, 'the client kept a server that answered nothing for 4 heartbeat intervals');
    },
  },
  {
    id: 'client/typing-throttle',
    covers: ['TYPE-4', 'LIMIT-2'],
    title: 'typing on every keystroke sends typing at most once per typingTtlMs / 2',
    async run(server, client) {
      server.limits = { ...server.limits, typingTtlMs: 2_000 };
      await client.connect(server.url, name());
      await client.join('lobby');
      for (let i = 0; i < 20; i++) {
        client.typing('lobby');
        await new Promise((r) => setTimeout(r, 20));
      }
      await client.send('lobby', 'done');
      const typings = server.connections[0]!.received.filter((r) => r.frame?.type === 'typing' && r.frame.active);
      check('TYPE-4', typings.length === 1, `20 keystrokes in 400 ms sent ${typings.length} typing frames, expected 1`);
    },
  },
  {
    id: 'client/typing-expiry',
    covers: ['TYPE-3'],
    title: 'an indication not refreshed ends after its ttlMs',
    async run(server, client) {
      if (!client.typingUsers) throw new ClientFailure('', 'skip: the adapter has no typingUsers');
      await client.connect(server.url, name());
      await client.join('lobby');
      server.connections[0]!.push({ type: 'userTyping', room: 'lobby', name: 'someone', active: true, ttlMs: 400 });
      const typing = async () => (await client.typingUsers!('lobby')).includes('someone');
      const start = Date.now();
      while (!(await typing()) && Date.now() - start < 1_000) await new Promise((r) => setTimeout(r, 20));
      check('TYPE-3', await typing(), 'a userTyping indication was never shown');
      await new Promise((r) => setTimeout(r, 1_000));
      check('TYPE-3', !(await typing()), 'the indication still shows 1 s after its ttlMs of 400 ms');
    },
  },
];

/** Outcome of one client test. */
export interface ClientResult {
  readonly test: string;
  readonly covers: readonly string[];
  readonly outcome: 'pass' | 'fail' | 'skip' | 'error';
  readonly requirement?: string;
  readonly message?: string;
}

/** Runs every client test against a fresh scripted server and a fresh client. */
export async function runClientSuite(
  adapter: ClientAdapterModule,
  only?: (test: ClientTest) => boolean,
): Promise<ClientResult[]> {
  const results: ClientResult[] = [];
  for (const test of CLIENT_TESTS.filter((t) => only?.(t) ?? true)) {
    const server = await ScriptServer.start();
    const client = adapter.createClient();
    try {
      await test.run(server, client);
      results.push({ test: test.id, covers: test.covers, outcome: 'pass' });
    } catch (error) {
      if (error instanceof ClientFailure && error.requirement === '')
        results.push({ test: test.id, covers: test.covers, outcome: 'skip', message: error.message });
      else if (error instanceof ClientFailure)
        results.push({
          test: test.id,
          covers: test.covers,
          outcome: 'fail',
          requirement: error.requirement,
          message: error.message,
        });
      else
        results.push({
          test: test.id,
          covers: test.covers,
          outcome: 'error',
          message: String((error as Error).message ?? error),
        });
    } finally {
      await client.close().catch(() => undefined);
      await server.close();
    }
  }
  return results;
}

/** The text report and exit code (0 every rule passes, 1 a rule broken or a test could not run). */
export function renderClientResults(results: readonly ClientResult[]): { text: string; code: 0 | 1 } {
  const lines = results.map(
    (r) =>
      `${r.outcome.toUpperCase().padEnd(5)} ${r.test.padEnd(26)} ${r.covers.join(', ')}${r.outcome === 'fail' ? ` — breaks ${r.requirement}: ${r.message}` : r.message ? ` — ${r.message}` : ''}`,
  );
  const bad = results.filter((r) => r.outcome === 'fail' || r.outcome === 'error');
  lines.push(
    '',
    bad.length === 0
      ? 'RESULT: the client follows every rule checked'
      : `RESULT: NOT conformant (${bad.length} of ${results.length} tests)`,
  );
  return { text: lines.join('\n'), code: bad.length === 0 ? 0 : 1 };
}
