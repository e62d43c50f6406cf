/**
 * A broadcast is encoded and framed once per protocol version, and every
 * peer of that version is written the same bytes: messages (sendEntryToAll)
 * and room notices such as presence and typing (sendFrameToAll).
 */

import { decodeFrame, type ServerFrame } from '@kuykan/protocol';
import { describe, expect, it } from 'vitest';
import { directFanOut, sendFrameToAll } from '../src/room/fanout.js';
import type { Peer } from '../src/rooms.js';

function peers(count: number, version: number) {
  const written: Buffer[][] = [];
  const map = new Map<Peer, Uint8Array[] | null>();
  for (let n = 0; n < count; n++) {
    const framed: Buffer[] = [];
    written.push(framed);
    const peer = {
      id: `p${n}`,
      user: undefined,
      version,
      sendBytes: () => {
        throw new Error('a broadcast writes framed bytes');
      },
      sendFramed: (b: Buffer) => framed.push(b),
      close() {},
    };
    map.set(peer as unknown as Peer, null);
  }
  return { map, written };
}

describe('broadcast encoding', () => {
  it('writes one framed buffer to ten peers of a version for a message', () => {
    const { map, written } = peers(10, 2);
    directFanOut.message(
      'r',
      map,
      { seq: 1, messageId: 'e.1', ts: 1, from: 'ann', text: 'hi', clientId: 'c1' },
      undefined,
    );
    const first = written[0]![0]!;
    for (const framed of written) expect(framed).toEqual([first]);
    for (const framed of written) expect(framed[0]).toBe(first);
  });

  it('writes one framed buffer to ten peers of a version for a presence notice, decodable as sent', () => {
    const { map, written } = peers(10, 1);
    const frame: ServerFrame = { type: 'presence', room: 'r', name: 'ann', kind: 'join' };
    sendFrameToAll(map, frame);
    const first = written[0]![0]!;
    for (const framed of written) expect(framed[0]).toBe(first);
    // An unmasked binary frame: FIN + opcode 2, then a 7-bit length for a frame this small.
    expect(first[0]).toBe(0x82);
    expect(first[1]).toBe(first.length - 2);
    expect(decodeFrame(first.subarray(2), { direction: 'server' })).toEqual(frame);
  });
});
