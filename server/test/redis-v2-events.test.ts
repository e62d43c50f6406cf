/**
 * The cross-node event format of a room channel (cluster/events.ts) for
 * protocol version 2: an entry travels as its whole record, a bot's join
 * says so, and an older node's message event is refused rather than fed.
 */

import type { ChatMessage } from '@kuykan/protocol';
import { describe, expect, it } from 'vitest';
import { dispatchEvent, readUserEvent, userEvent } from '../src/cluster/events.js';
import type { PresenceEvent, RoomFeed } from '../src/cluster/types.js';

function recorder() {
  const messages: Array<[string, ChatMessage]> = [];
  const presence: PresenceEvent[] = [];
  const feed: RoomFeed = {
    message: (epoch, message) => messages.push([epoch, message]),
    presence: (event) => presence.push(event),
    typing: () => {},
    resync: () => {},
  };
  return { feed, messages, presence };
}

describe('room channel events', () => {
  it('feeds an entry as the whole record the commit script published', () => {
    const { feed, messages } = recorder();
    const record: ChatMessage = {
      seq: 7,
      messageId: 'ep.7',
      ts: 1_800_000_000_000,
      from: 'ann',
      text: '',
      clientId: 'c7',
      kind: 'react',
      target: 'ep.3',
      emoji: '🎉',
    };
    expect(dispatchEvent(JSON.stringify({ k: 'm', e: 'ep', r: record }), feed, 'self')).toBe(true);
    expect(messages).toEqual([['ep', record]]);
  });

  it('refuses the message event of an older node instead of feeding a message without a seq', () => {
    const { feed, messages } = recorder();
    const old = { k: 'm', e: 'ep', s: '1', t: '1', f: 'ann', x: 'hi', c: 'c1' };
    expect(dispatchEvent(JSON.stringify(old), feed, 'self')).toBe(false);
    expect(messages).toEqual([]);
  });

  it("marks a bot's join [BOT-1]", () => {
    const { feed, presence } = recorder();
    dispatchEvent(JSON.stringify({ k: 'p', v: '4', j: '1', u: 'k-bot', n: 'bot', b: '1' }), feed, 'self');
    dispatchEvent(JSON.stringify({ k: 'p', v: '5', j: '1', u: 'k-ann', n: 'ann' }), feed, 'self');
    expect(presence).toEqual([
      { version: 4, kind: 'join', userKey: 'k-bot', name: 'bot', bot: true },
      { version: 5, kind: 'join', userKey: 'k-ann', name: 'ann' },
    ]);
  });

  it("reads other nodes' user events and skips the node's own", () => {
    const event = {
      kind: 'readMarker',
      identity: 'id-ann',
      room: 'r',
      seq: 9_007_199_254_740_000,
      session: 's1',
    } as const;
    expect(readUserEvent(userEvent('node-a', 'ann', event), 'node-b')).toEqual({ nameKey: 'ann', event });
    expect(readUserEvent(userEvent('node-a', 'ann', event), 'node-a')).toBeUndefined();
    expect(readUserEvent('not json', 'node-b')).toBeUndefined();
  });
});
