/**
 * The fan-out of a room whose peers speak different versions: each entry is
 * encoded once per version that needs other bytes, framed once, and version
 * 1 peers get messages only, without v2 fields [VER-2].
 */

import { decodeFrame } from '@kuykan/protocol';
import { describe, expect, it } from 'vitest';
import { directFanOut } from '../src/room/fanout.js';
import type { Peer } from '../src/rooms.js';

function peer(version: number) {
  const framed: Buffer[] = [];
  const p = {
    id: `p${version}`,
    user: undefined,
    version,
    sendBytes() {},
    sendFramed: (b: Buffer) => framed.push(b),
    close() {},
  };
  return { peer: p as Peer, framed };
}

const message = { seq: 1, messageId: 'e.1', ts: 1, from: 'ann', text: 'hi', clientId: 'c1' };

describe('directFanOut', () => {
  it('writes one frame to peers of both versions when an entry has no v2 field', () => {
    const [a, b] = [peer(1), peer(2)];
    directFanOut.message(
      'r',
      new Map([
        [a.peer, null],
        [b.peer, null],
      ]),
      message,
      undefined,
    );
    expect(a.framed[0]).toBe(b.framed[0]);
  });

  it('encodes again for version 1 when an entry has v2 fields, and leaves them out', () => {
    const [a, b] = [peer(1), peer(2)];
    directFanOut.message(
      'r',
      new Map([
        [a.peer, null],
        [b.peer, null],
      ]),
      { ...message, mentions: ['bob'], bot: true },
      undefined,
    );
    expect(a.framed[0]).not.toBe(b.framed[0]);
    const payload = (buffer: Buffer) => buffer.subarray(2);
    expect(decodeFrame(payload(b.framed[0]!), { direction: 'server' })).toMatchObject({ mentions: ['bob'], bot: true });
    const old = decodeFrame(payload(a.framed[0]!), { direction: 'server' });
    expect(old).not.toHaveProperty('mentions');
    expect(old).not.toHaveProperty('bot');
  });

  it('sends change entries to version 2 peers only', () => {
    const [a, b] = [peer(1), peer(2)];
    const edit = { ...message, seq: 2, messageId: 'e.2', kind: 'edit' as const, target: 'e.1' };
    directFanOut.message(
      'r',
      new Map([
        [a.peer, null],
        [b.peer, null],
      ]),
      edit,
      undefined,
    );
    expect(a.framed).toEqual([]);
    expect(b.framed).toHaveLength(1);
  });
});
