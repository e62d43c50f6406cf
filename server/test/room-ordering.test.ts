/**
 * A room fed by other nodes: pub/sub may hand messages over late, early or
 * twice, and may lose some (a subscriber reconnect). Members must still see
 * every message once, in seq order, and a gap is filled from the store.
 */

import { type ChatMessage, decodeFrame, type ServerFrame } from '@kuykan/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { StoreBroker } from '../src/broker/store.js';
import { LocalCluster } from '../src/cluster/local.js';
import { directFanOut } from '../src/room/fanout.js';
import { type Peer, Room, type RoomContext } from '../src/rooms.js';
import { MemoryStore } from '../src/store/memory.js';
import type { User } from '../src/users.js';

function recordingPeer(name: string): Peer & { frames: ServerFrame[] } {
  const frames: ServerFrame[] = [];
  const user = { key: `k-${name}`, name, sessions: new Set(), secret: undefined } as unknown as User;
  return {
    id: name,
    user,
    version: 2,
    frames,
    sendBytes: (bytes) => frames.push(decodeFrame(bytes, { direction: 'server' })),
    // A framed buffer is a WebSocket frame: a 2- or 4-byte header (payloads here are short) before the frame.
    sendFramed: (framed) =>
      frames.push(decodeFrame(framed.subarray(framed[1]! === 126 ? 4 : 2), { direction: 'server' })),
    close: () => {},
  };
}

async function roomWithLog(count: number) {
  const store = new MemoryStore();
  const log: ChatMessage[] = [];
  for (let n = 1; n <= count; n++) {
    log.push(
      (await store.append({ room: 'r', from: 'ann', userKey: 'k-ann', clientId: `c${n}`, text: `t${n}` })).message,
    );
  }
  const { epoch } = await store.openRoom('r');
  const resets: Room[] = [];
  const context: RoomContext = {
    cluster: new LocalCluster(),
    broker: new StoreBroker(store),
    timing: { presenceGraceMs: 1000, typingTtlMs: 1000 },
    fanOut: directFanOut,
    log: pino({ level: 'silent' }),
    countDelivered: () => {},
    reset: (room) => resets.push(room),
    idle: () => {},
  };
  const room = new Room('r', { epoch, lastSeq: 0 }, { version: 0, members: new Map() }, context);
  const peer = recordingPeer('bob');
  room.attach(peer);
  room.ready(peer);
  const seqs = () => peer.frames.flatMap((f) => (f.type === 'message' ? [f.seq] : []));
  return { room, epoch, log, seqs, resets };
}

describe('a room fed out of order', () => {
  it('holds seq n+2 until n+1 arrives, and drops repeats', async () => {
    const { room, epoch, log, seqs } = await roomWithLog(4);
    void room.message(epoch, log[1]!).catch(() => {});
    void room.message(epoch, log[0]!).catch(() => {});
    void room.message(epoch, log[3]!).catch(() => {});
    void room.message(epoch, log[0]!).catch(() => {});
    expect(seqs()).toEqual([1, 2]);
    void room.message(epoch, log[2]!).catch(() => {});
    expect(seqs()).toEqual([1, 2, 3, 4]);
  });

  it('fills a gap that pub/sub never fills from the store', async () => {
    const { room, epoch, log, seqs } = await roomWithLog(5);
    void room.message(epoch, log[0]!).catch(() => {});
    void room.message(epoch, log[4]!).catch(() => {}); // 2..4 were lost
    expect(seqs()).toEqual([1]);
    await room.settled();
    expect(seqs()).toEqual([1, 2, 3, 4, 5]);
  });

  it('asks to be reloaded when a message of another epoch arrives (the log was lost)', async () => {
    const { room, log, seqs, resets } = await roomWithLog(1);
    void room.message('another-epoch', log[0]!).catch(() => {});
    expect(resets).toEqual([room]);
    expect(seqs()).toEqual([]);
  });
});
