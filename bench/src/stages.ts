/**
 * Per-stage cost of the message path, in ns per operation: micro-benchmarks
 * of the real server functions, loaded from the checkout at `--root` (this
 * one, or another commit's for `--compare`), so that one change can be A/B'd
 * stage by stage. Run by stage-costs.ts, one process per checkout, pinned to
 * the server's core, with its working directory at the checkout so that the
 * checkout's own `@kuykan/protocol` is the one its server code imports.
 *
 * Run: tsx bench/src/stages.ts --root DIR [--budget-ms N]   (prints `stages <JSON>`)
 *
 * A stage whose module or export is missing in that checkout is reported
 * with its error instead of a figure.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket, WebSocketServer } from 'ws';
import { type Spread, spread } from './marginal.js';

const { values } = parseArgs({ options: { root: { type: 'string' }, 'budget-ms': { type: 'string' } } });
const root = values.root ?? process.cwd();
/** Time measured per stage, ms; each stage also gets a warm-up of a fifth of it. */
const budgetMs = Number(values['budget-ms'] ?? 300);

/** One stage's result. */
export interface StageCost {
  /** The stage of the message path (decode, validate, …). */
  stage: string;
  /** What exactly is measured. */
  name: string;
  nsPerOp?: Spread;
  /** Why there is no figure (the checkout lacks the function). */
  error?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: modules of another commit, typed by whatever that commit exports
type Module = any;
const load = (path: string): Promise<Module> => import(pathToFileURL(join(root, path)).href);

/** The bench's message text, 120 bytes of UTF-8 as in the efficiency scenario. */
const TEXT = `สวัสดีครับ ทุกคน 👋 benchmark message${'.'.repeat(33)} 1234567.123456`;

const hr = () => Number(process.hrtime.bigint());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One operation; a batch of `ops` runs it `ops` times. `between` runs untimed after each batch (socket drains). */
interface Bench {
  op: (i: number) => unknown;
  /** Operations per batch; by default as many as fill a 5 ms batch. */
  ops?: number;
  between?: () => Promise<void>;
  /** Operations the op performs per call (a batch of appends), to divide by. */
  perCall?: number;
}

/**
 * Runs `bench` in batches for `budgetMs` after a warm-up; the spread of ns per operation over the batches.
 * An operation that returns a promise is awaited before the next one (the cost of the await included, as
 * the server pays it); one that does not runs in a plain loop.
 */
async function run(bench: Bench): Promise<Spread> {
  const awaited = bench.op(0) instanceof Promise;
  let i = 1;
  const batch = async (ops: number) => {
    if (awaited) for (let n = 0; n < ops; n++) await bench.op(i++);
    else for (let n = 0; n < ops; n++) bench.op(i++);
  };
  // Warm-up in batches of 100 (or the fixed size), which also tells how many operations fill a 5 ms batch.
  const warmStart = hr();
  let warmOps = 0;
  while (hr() < warmStart + (budgetMs / 5) * 1e6) {
    await batch(bench.ops ?? 100);
    warmOps += bench.ops ?? 100;
    if (bench.between) await bench.between();
  }
  const ops = bench.ops ?? Math.max(1, Math.round((warmOps * 5e6) / Math.max(1, hr() - warmStart)));
  const perBatch: number[] = [];
  const until = hr() + budgetMs * 1e6;
  while (hr() < until || perBatch.length < 3) {
    const started = hr();
    await batch(ops);
    perBatch.push((hr() - started) / ops / (bench.perCall ?? 1));
    if (bench.between) await bench.between();
  }
  return spread(perBatch)!;
}

/** A WebSocket server with `count` clients that read and discard; the server-side sockets to write to. */
async function sockets(count: number): Promise<{ peers: WebSocket[]; drain: () => Promise<void>; close: () => void }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  const peers: WebSocket[] = [];
  server.on('connection', (ws) => peers.push(ws));
  const clients = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<WebSocket>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
          ws.once('open', () => resolve(ws));
        }),
    ),
  );
  while (peers.length < count) await sleep(1);
  /** Lets the clients read what was written, so every batch starts with empty socket buffers. */
  const drain = async () => {
    while (peers.some((p) => p.bufferedAmount > 0)) await sleep(0);
    await new Promise((resolve) => setImmediate(resolve));
  };
  const close = () => {
    for (const c of clients) c.terminate();
    server.close();
  };
  return { peers, drain, close };
}

/** The stages, each set up from the checkout's modules; `setup` throws when the checkout lacks them. */
async function stages(): Promise<Array<{ stage: string; name: string; setup: () => Promise<Bench> }>> {
  const protocol = () => load('spec/src/index.ts');
  const message = { seq: 1, messageId: 'AbCdEfGh.1', ts: Date.now(), from: 'u-42', text: TEXT, clientId: 'c1' };
  const room = 'room-42';
  const newMessage = (clientId: string) => ({ room, epoch: '', from: 'u-42', userKey: 'u-42', clientId, text: TEXT });
  const net = await sockets(10);
  const framing = () => load('server/src/framing.ts');
  const sqliteDirs: string[] = [];
  const sqlite = async () => {
    const { SqliteStore } = await load('server/src/store/sqlite.ts');
    const dataDir = mkdtempSync(join(tmpdir(), 'kuykan-bench-stage-'));
    sqliteDirs.push(dataDir);
    return new SqliteStore({ dataDir, synchronous: 'FULL' });
  };
  process.once('exit', () => {
    for (const dir of sqliteDirs) rmSync(dir, { recursive: true, force: true });
  });
  /** A message frame as the fan-out writes it and an ack's bytes as `ws.send` takes them. */
  const rawSocket = (ws: WebSocket) => (ws as unknown as { _socket: import('node:net').Socket })._socket;
  // A session writes its own frames (an ack) as the checkout does: framed and written to the socket
  // (session-writes.ts since d697c6e), or through ws.send before.
  const framesOwn = readFileSync(join(root, 'server/src/session-writes.ts'), 'utf8').includes('binaryFrame(bytes)');
  const echoAndAck = async () => {
    const [{ encodeFrame }, { binaryFrame }] = await Promise.all([protocol(), framing()]);
    const framed: Buffer = binaryFrame(encodeFrame({ type: 'message', room, ...message }));
    const ack = encodeFrame({ type: 'ack', id: 7, room, messageId: message.messageId, seq: 1, ts: message.ts }, 1);
    const writeOwn = (ws: WebSocket, bytes: Uint8Array): void => {
      if (framesOwn) rawSocket(ws).write(binaryFrame(bytes));
      else ws.send(bytes);
    };
    return { framed, ack, writeOwn };
  };
  const list = [
    {
      stage: 'decode',
      name: 'decodeFrame of a send (v1, client direction)',
      setup: async () => {
        const { encodeFrame, decodeFrame } = await protocol();
        const bytes = encodeFrame({ type: 'send', id: 7, room, clientId: 'c1', text: TEXT }, 1);
        return { op: () => decodeFrame(bytes, { maxBytes: 1 << 20, direction: 'client', version: 1 }) };
      },
    },
    {
      stage: 'validate',
      name: 'validateClientId + validateText',
      setup: async () => {
        const { validateClientId, validateText } = await protocol();
        return { op: () => validateClientId('c1234') && validateText(TEXT, 4000) };
      },
    },
    {
      stage: 'rate limit',
      name: 'TokenBucket.take',
      setup: async () => {
        const { TokenBucket } = await load('server/src/ratelimit.ts');
        const bucket = new TokenBucket(1e9, 1e9);
        return { op: () => bucket.take() };
      },
    },
    {
      stage: 'store append',
      name: 'MemoryStore.append, awaited',
      setup: async () => {
        const { MemoryStore } = await load('server/src/store/memory.ts');
        const store = new MemoryStore();
        return { op: (i: number) => store.append(newMessage(`c${i}`)) };
      },
    },
    {
      stage: 'store append',
      name: 'SqliteStore.append (synchronous=FULL), one per commit',
      setup: async () => {
        const store = await sqlite();
        return { op: (i: number) => store.append(newMessage(`c${i}`)) };
      },
    },
    {
      stage: 'store append',
      name: 'SqliteStore.append (synchronous=FULL), 100 per commit, per append',
      setup: async () => {
        const store = await sqlite();
        return {
          op: (i: number) => Promise.all(Array.from({ length: 100 }, (_, k) => store.append(newMessage(`c${i}-${k}`)))),
          perCall: 100,
        };
      },
    },
    {
      stage: 'sequencer',
      name: 'LogSubscription.offer in order, awaited',
      setup: async () => {
        const { LogSubscription } = await load('server/src/broker/subscription.ts');
        const source = { open: async () => ({ epoch: 'e', lastSeq: 0 }), range: async () => [] };
        const handler = { deliver: () => undefined, gap: () => undefined, reset: () => undefined };
        const log = new LogSubscription(room, { epoch: 'e', lastSeq: 0 }, source, handler);
        return { op: (i: number) => log.offer('e', { ...message, seq: i + 1 }) };
      },
    },
    {
      stage: 'encode',
      name: 'encodeFrame of a message (as the fan-out does)',
      setup: async () => {
        const { encodeFrame } = await protocol();
        return { op: () => encodeFrame({ type: 'message', room, ...message }) };
      },
    },
    {
      stage: 'encode',
      name: 'binaryFrame: the WebSocket frame, built once per broadcast',
      setup: async () => {
        const [{ encodeFrame }, { binaryFrame }] = await Promise.all([protocol(), framing()]);
        const bytes = encodeFrame({ type: 'message', room, ...message });
        return { op: () => binaryFrame(bytes) };
      },
    },
    {
      stage: 'socket write',
      name: 'write of a prepared frame to a member socket',
      setup: async () => {
        const [{ encodeFrame }, { binaryFrame, rawSocket }] = await Promise.all([protocol(), framing()]);
        const framed = binaryFrame(encodeFrame({ type: 'message', room, ...message }));
        const raw = net.peers.map((ws) => rawSocket(ws));
        return { op: (i: number) => raw[i % raw.length]!.write(framed), ops: 500, between: net.drain };
      },
    },
    {
      stage: 'socket write',
      name: 'fan-out of one message to 10 members (encode, frame, 10 writes)',
      setup: async () => {
        const [{ directFanOut }, { rawSocket }] = await Promise.all([load('server/src/room/fanout.ts'), framing()]);
        const peers = new Map(
          net.peers.map((ws) => [
            { sendFramed: (f: Buffer) => rawSocket(ws).write(f), sendBytes: () => undefined },
            null,
          ]),
        );
        return {
          op: (i: number) => directFanOut.message(room, peers, { ...message, seq: i + 1 }, undefined),
          ops: 50,
          between: net.drain,
        };
      },
    },
    {
      stage: 'socket write',
      name: "a send's echo and ack to the sender, each written at once (2 writes)",
      setup: async () => {
        const { framed, ack, writeOwn } = await echoAndAck();
        const raw = net.peers.map((ws) => rawSocket(ws));
        return {
          op: (i: number) => {
            raw[i % raw.length]!.write(framed);
            writeOwn(net.peers[i % raw.length]!, ack);
          },
          ops: 500,
          between: net.drain,
        };
      },
    },
    {
      stage: 'socket write',
      name: "a send's echo and ack to the sender in one turn, coalesced (coalesce.ts: 1 writev)",
      setup: async () => {
        const [{ framed, ack, writeOwn }, { TurnWrites }] = await Promise.all([
          echoAndAck(),
          load('server/src/coalesce.ts'),
        ]);
        const raw = net.peers.map((ws) => rawSocket(ws));
        const turns = raw.map((socket) => new TurnWrites(socket));
        return {
          // One turn per op: the release is what setImmediate would run at the turn's end.
          op: (i: number) => {
            const turn = turns[i % raw.length]!;
            turn.hold();
            raw[i % raw.length]!.write(framed);
            turn.hold();
            writeOwn(net.peers[i % raw.length]!, ack);
            turn.release();
          },
          ops: 500,
          between: net.drain,
        };
      },
    },
    {
      stage: 'socket write',
      name: 'ten messages of one turn to a member, coalesced (coalesce.ts: 1 writev), per message',
      setup: async () => {
        const [{ framed }, { TurnWrites }] = await Promise.all([echoAndAck(), load('server/src/coalesce.ts')]);
        const raw = net.peers.map((ws) => rawSocket(ws));
        const turns = raw.map((socket) => new TurnWrites(socket));
        return {
          op: (i: number) => {
            const turn = turns[i % raw.length]!;
            const socket = raw[i % raw.length]!;
            for (let n = 0; n < 10; n++) {
              turn.hold();
              socket.write(framed);
            }
            turn.release();
          },
          ops: 50,
          perCall: 10,
          between: net.drain,
        };
      },
    },
    {
      stage: 'metrics',
      name: "one send's counters and timers (frame in, message ×10 and ack out, store timing)",
      setup: async () => {
        const { Metrics } = await load('server/src/metrics.ts');
        const metrics = new Metrics({ engine: 'local', store: 'memory' });
        const append = () => Promise.resolve(1);
        return {
          // A checkout before the counters moved to Metrics methods counts through prom-client directly.
          op: metrics.frameIn
            ? () => {
                const received = performance.now();
                metrics.frameIn('send');
                metrics.framesSent('message', 10);
                metrics.framesSent('ack');
                return metrics.timeStore('append', append).then(() => metrics.acked(received));
              }
            : () => {
                metrics.framesIn.inc({ type: 'send' });
                metrics.framesOut.inc({ type: 'message' }, 10);
                metrics.framesOut.inc({ type: 'ack' });
                const end = metrics.sendToAck.startTimer();
                return metrics.timeStore('append', append).then(end);
              },
        };
      },
    },
    {
      stage: 'ack',
      name: 'encodeFrame of an ack (v1), written as the session writes its own frames',
      setup: async () => {
        const [{ encodeFrame }, { writeOwn }] = await Promise.all([protocol(), echoAndAck()]);
        const ack = { type: 'ack', id: 7, room, messageId: message.messageId, seq: 1, ts: message.ts };
        return {
          op: (i: number) => writeOwn(net.peers[i % net.peers.length]!, encodeFrame(ack, 1)),
          ops: 500,
          between: net.drain,
        };
      },
    },
  ];
  return list;
}

async function main(): Promise<void> {
  const results: StageCost[] = [];
  for (const { stage, name, setup } of await stages()) {
    try {
      results.push({ stage, name, nsPerOp: await run(await setup()) });
    } catch (error) {
      // An older commit measured with --compare may not have the module a stage measures yet.
      const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
      const message = error instanceof Error ? error.message : String(error);
      results.push({ stage, name, error: missing ? 'not in this commit' : message });
    }
  }
  process.stdout.write(`stages ${JSON.stringify(results)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
