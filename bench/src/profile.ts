/**
 * Summarises a V8 `.cpuprofile` (`node --cpu-prof`) over one measured
 * window: self time by function, by source file, and by stage of the message
 * path, so a reader sees where the time goes.
 *
 * The profile's sample times are microseconds of CLOCK_MONOTONIC, the clock
 * the load generators stamp with (clock.ts), so a window measured by the
 * harness selects its own samples and leaves out start-up and joins. Bundled
 * code (the server's `dist/cli.js`) is mapped back to its source files
 * through the bundle's source map.
 *
 * A sample's stage is that of the innermost frame on its stack that a stage
 * rule claims: a sample in msgpack's encoder called from `encodeFrame` is
 * "encode" whoever called `encodeFrame`; Node's stream code under a socket
 * write is "socket write".
 */

/** The parts of a `.cpuprofile` read here. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code came from: a source file (relative to the checkout) and a 1-based line. */
export interface Source {
  file: string;
  line: number;
}

/** Maps a profile frame (its URL and 0-based position) to its source. */
export type Resolve = (url: string, line: number, column: number) => Source;

/** The stage of a frame: matched on its source file and function name. */
interface StageRule {
  stage: string;
  file?: RegExp;
  fn?: RegExp;
}

/**
 * Innermost match wins; the order only matters between rules that match the same frame. Node's own
 * stream and socket code has no rule: it takes the stage of whoever called it (a write under a fan-out is
 * a socket write, a `Writable.write` under ws's receiver is parsing), and native calls under it likewise.
 */
export const STAGE_RULES: StageRule[] = [
  { stage: 'GC', fn: /^\(garbage collector\)$/ },
  { stage: 'decode', fn: /^decodeFrame$/ },
  { stage: 'encode', fn: /^encodeFrame$/ },
  { stage: 'validate', file: /spec\/src\/names/ },
  { stage: 'rate limit', file: /server\/src\/ratelimit/ },
  { stage: 'store', file: /server\/src\/store\/|better-sqlite3/ },
  { stage: 'sequencer', file: /server\/src\/(room\/sequencer|broker\/subscription)/ },
  { stage: 'frame (once per broadcast)', fn: /^binaryFrame$/ },
  { stage: 'socket write', file: /ws\/lib\/sender/ },
  // A turn's coalesced writes leave when coalesce.ts uncorks the sockets (setImmediate): the writev is theirs.
  { stage: 'socket write', file: /server\/src\/coalesce/ },
  {
    stage: 'socket write',
    fn: /^(sendFramed|sendBytes|afterWriteDispatched|onWriteComplete|afterWrite|afterWriteTick)$/,
  },
  { stage: 'socket write', file: /ws\/lib\/websocket/, fn: /^send$/ },
  { stage: 'socket read and WebSocket parse', file: /ws\/lib\/receiver/ },
  { stage: 'socket read and WebSocket parse', fn: /^(socketOnData|onStreamRead)$/ },
  { stage: 'metrics and logs', file: /server\/src\/(metrics|observe|log)\.|prom-client|pino/ },
  { stage: 'promise and microtask scheduling', fn: /^(processTicksAndRejections|runMicrotasks)$/ },
  { stage: 'fan-out', file: /server\/src\/room\/fanout/ },
  { stage: 'rooms (membership, presence, typing)', file: /server\/src\/(rooms\.|room\/(members|types))/ },
  {
    stage: 'connection set-up (HTTP upgrade, WebSocket handshake)',
    file: /ws\/lib\/websocket-server|node:_http_(server|common|incoming)|node:internal\/crypto|server\/src\/(admission|handshake)/,
  },
  { stage: 'hello, login and join handlers', file: /server\/src\/(handlers\/session|users|auth|skeleton)/ },
  {
    stage: 'hello, login and join handlers',
    file: /server\/src\/handlers\/rooms/,
    fn: /^(handleJoin|handleLeave|handleRooms|recent|gapAfter)$/,
  },
  { stage: 'request pipeline', file: /server\/src\/(session|handlers\/|hub)/ },
];

const UNCLAIMED = 'other (VM, Node internals, unclaimed)';
const IDLE = '(idle)';

export interface Share {
  ms: number;
  /** Of the busy time (idle left out). */
  share: number;
}

export interface ProfileSummary {
  /** The window asked for and the time its samples cover, ms. */
  windowMs: number;
  sampledMs: number;
  /** Sampled time not idle, ms. */
  busyMs: number;
  stages: Array<{ stage: string } & Share>;
  files: Array<{ file: string } & Share>;
  functions: Array<{ name: string; file: string; line: number; stage: string } & Share>;
}

/** Each sample's time and duration (to the next sample; the last gets the median interval), µs. */
function sampleTimes(profile: CpuProfile): { at: number[]; duration: number[] } {
  const at: number[] = [];
  let t = profile.startTime;
  for (const delta of profile.timeDeltas) {
    t += delta;
    at.push(t);
  }
  const duration = at.map((time, i) => (at[i + 1] ?? profile.endTime) - time);
  return { at, duration };
}

/**
 * Summarises the samples of `profile` taken within [fromUs, toUs] (CLOCK_MONOTONIC µs; the whole profile
 * when absent). `top` limits the function and file lists.
 */
export function summarise(
  profile: CpuProfile,
  resolve: Resolve,
  window: { fromUs?: number; toUs?: number } = {},
  top = 25,
): ProfileSummary {
  const fromUs = window.fromUs ?? profile.startTime;
  const toUs = window.toUs ?? profile.endTime;
  const selfUs = new Map<number, number>();
  const { at, duration } = sampleTimes(profile);
  profile.samples.forEach((id, i) => {
    if (at[i]! < fromUs || at[i]! > toUs) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + duration[i]!);
  });
  const { total, busy, stages, files, functions } = breakdown(profile.nodes, selfUs, resolve, top);
  const ms = (us: number) => Math.round(us / 10) / 100;
  const share = ({ value, share }: Weighed): Share => ({ ms: ms(value), share });
  return {
    windowMs: ms(toUs - fromUs),
    sampledMs: ms(total),
    busyMs: ms(busy),
    stages: stages.map(({ stage, ...w }) => ({ stage, ...share(w) })),
    files: files.map(({ file, ...w }) => ({ file, ...share(w) })),
    functions: functions.map(({ name, file, line, stage, ...w }) => ({ name, file, line, stage, ...share(w) })),
  };
}

/** A part of a profile's weight (µs of CPU samples, or bytes allocated) and its share of the busy weight. */
export interface Weighed {
  value: number;
  share: number;
}

/** A profile's self weights by stage, source file and function. */
export interface Breakdown {
  /** All weight, and all weight not idle. */
  total: number;
  busy: number;
  stages: Array<{ stage: string } & Weighed>;
  files: Array<{ file: string } & Weighed>;
  functions: Array<{ name: string; file: string; line: number; stage: string } & Weighed>;
}

/**
 * Breaks down the self weights of profile nodes (`self`: node id → weight): the CPU time of a
 * `.cpuprofile`'s samples, or the bytes of a sampled heap profile's allocations (allocation.ts).
 */
export function breakdown(
  nodes: CpuProfile['nodes'],
  self: Map<number, number>,
  resolve: Resolve,
  top = 25,
): Breakdown {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const sources = new Map<number, Source>();
  const sourceOf = (id: number): Source => {
    let source = sources.get(id);
    if (!source) {
      const { url, lineNumber, columnNumber, functionName } = byId.get(id)!.callFrame;
      source = url
        ? resolve(url, lineNumber, columnNumber)
        : { file: functionName.startsWith('(') ? functionName : '(native)', line: 0 };
      sources.set(id, source);
    }
    return source;
  };
  const stages = new Map<number, string>();
  const stageOf = (id: number): string => {
    const known = stages.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    const file = sourceOf(id).file;
    const rule = STAGE_RULES.find((r) => (!r.file || r.file.test(file)) && (!r.fn || r.fn.test(name)));
    const up = parent.get(id);
    const stage = name === IDLE ? IDLE : (rule?.stage ?? (up === undefined ? UNCLAIMED : stageOf(up)));
    stages.set(id, stage);
    return stage;
  };

  const add = (map: Map<string, number>, key: string, weight: number) => map.set(key, (map.get(key) ?? 0) + weight);
  const byStage = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byFn = new Map<string, { name: string; file: string; line: number; stage: string; weight: number }>();
  let total = 0;
  for (const [id, weight] of self) {
    total += weight;
    const stage = stageOf(id);
    if (stage === IDLE) continue;
    const { file, line } = sourceOf(id);
    const name = byId.get(id)!.callFrame.functionName || '(anonymous)';
    add(byStage, stage, weight);
    add(byFile, file, weight);
    // One row per function and stage: the schema's convertRecord under decodeFrame and under encodeFrame are two.
    const key = `${name}\u0000${file}\u0000${line}\u0000${stage}`;
    const fn = byFn.get(key) ?? { name, file, line, stage, weight: 0 };
    fn.weight += weight;
    byFn.set(key, fn);
  }
  const busy = [...byStage.values()].reduce((a, b) => a + b, 0);
  const weighed = (value: number): Weighed => ({ value, share: busy > 0 ? value / busy : 0 });
  const ranked = <T>(entries: Array<[T, number]>) => entries.sort((a, b) => b[1] - a[1]);
  return {
    total,
    busy,
    stages: ranked([...byStage]).map(([stage, weight]) => ({ stage, ...weighed(weight) })),
    files: ranked([...byFile])
      .slice(0, top)
      .map(([file, weight]) => ({ file, ...weighed(weight) })),
    functions: ranked([...byFn.values()].map((f) => [f, f.weight] as [typeof f, number]))
      .slice(0, top)
      .map(([{ weight, ...f }]) => ({ ...f, ...weighed(weight) })),
  };
}
