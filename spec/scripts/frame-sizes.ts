/**
 * Reproduces the frame-shape table of PROTOCOL.md §3.1: one typical chat
 * message encoded as a positional array, a short-key map (the wire format),
 * a readable-key map and JSON. Run: npx tsx spec/scripts/frame-sizes.ts
 */
import { encode } from '@msgpack/msgpack';
import { encodeFrame, FrameType, type MessageFrame } from '../src/index.js';

export const EXAMPLE: MessageFrame = {
  type: 'message',
  room: 'lobby',
  seq: 1234,
  messageId: 'k3x9a-1234',
  ts: 1764043200000,
  from: 'somchai',
  text: 'สวัสดีครับ ทุกคน 👋',
  clientId: 'c-8f3a2b1c',
};

export function frameSizes(): Record<string, number> {
  const { type: _type, ...fields } = EXAMPLE;
  return {
    'positional array': encode([FrameType.message, ...Object.values(fields)]).length,
    'map, short keys (chosen)': encodeFrame(EXAMPLE).length,
    'map, readable keys': encode({ type: FrameType.message, ...fields }).length,
    'JSON text': new TextEncoder().encode(JSON.stringify(EXAMPLE)).length,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [shape, bytes] of Object.entries(frameSizes())) console.log(`${shape.padEnd(26)} ${bytes} bytes`);
}
