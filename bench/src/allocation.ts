/**
 * What a server allocates per message: a heap profile sampled by
 * alloc-sampler.cjs over one measured window (every allocation, whether the
 * collector has freed it yet or not), broken down as the CPU profiles are
 * (profile.ts) into stages and functions, and divided by the messages sent
 * in the window. Garbage collection costs the server in proportion to what
 * it allocates (each scavenge, and each mark-compact's concurrent phases on
 * the server's core), so bytes per message is what to bring down for its
 * CPU and its tail latency.
 */
import { breakdown, type CpuProfile, type Resolve } from './profile.js';

/** The parts of a sampled heap profile (`HeapProfiler.stopSampling`) read here. */
export interface HeapProfile {
  head: HeapNode;
  /** One per sample: the bytes it stands for and the node (stack) that allocated them. */
  samples: Array<{ size: number; nodeId: number }>;
}

interface HeapNode {
  id: number;
  callFrame: CpuProfile['nodes'][number]['callFrame'];
  children: HeapNode[];
}

export interface AllocationSummary {
  /** Messages sent in the window. */
  messages: number;
  /** Bytes the main thread allocated per message sent. */
  bytesPerMessage: number;
  stages: Array<{ stage: string; bytesPerMessage: number; share: number }>;
  functions: Array<{ name: string; file: string; line: number; stage: string; bytesPerMessage: number; share: number }>;
}

/** Bytes allocated per message of `messages`, by stage and by allocating function (the innermost frame). */
export function summariseAllocations(
  profile: HeapProfile,
  messages: number,
  resolve: Resolve,
  top = 15,
): AllocationSummary {
  const nodes: CpuProfile['nodes'] = [];
  const walk = (node: HeapNode): void => {
    nodes.push({ id: node.id, callFrame: node.callFrame, children: node.children.map((child) => child.id) });
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  const self = new Map<number, number>();
  for (const { nodeId, size } of profile.samples) self.set(nodeId, (self.get(nodeId) ?? 0) + size);
  const { total, stages, functions } = breakdown(nodes, self, resolve, top);
  const perMessage = (bytes: number) => Math.round(bytes / Math.max(1, messages));
  return {
    messages,
    bytesPerMessage: perMessage(total),
    stages: stages.map(({ stage, value, share }) => ({ stage, bytesPerMessage: perMessage(value), share })),
    functions: functions.map(({ value, ...f }) => ({ ...f, bytesPerMessage: perMessage(value) })),
  };
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

/** One allocation summary as Markdown: its total, then by stage, then the top functions. */
export function allocationMarkdown(heading: string, a: AllocationSummary, top = 15): string {
  return [
    `### ${heading}`,
    '',
    `${a.bytesPerMessage.toLocaleString('en-US')} bytes allocated on the main thread per message sent (${a.messages.toLocaleString('en-US')} messages in the window).`,
    '',
    '| stage | bytes per message | share |',
    '|---|---|---|',
    ...a.stages.map((s) => `| ${s.stage} | ${s.bytesPerMessage.toLocaleString('en-US')} | ${pct(s.share)} |`),
    '',
    '| function | source | stage | bytes per message | share |',
    '|---|---|---|---|---|',
    ...a.functions
      .slice(0, top)
      .map(
        (f) =>
          `| \`${f.name}\` | ${f.file}:${f.line} | ${f.stage} | ${f.bytesPerMessage.toLocaleString('en-US')} | ${pct(f.share)} |`,
      ),
    '',
  ].join('\n');
}
