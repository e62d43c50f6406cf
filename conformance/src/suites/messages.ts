/**
 * §6 and §10 Messages: text and clientId rules, idempotent retries, seq
 * order, exactly-once fan-out, message-before-ack, ids and timestamps.
 *
 * @module
 */

import { ErrorCode, MAX_CLIENT_ID_LENGTH, type MessageFrame } from '@kuykan/protocol';
import type { UserConn } from '../context.js';
import { expectError } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { messagesOf, padTo, usersInRoom } from './helpers.js';

const section = 'messages';

/** Checks one observer got exactly seqs from+1..to once each, ascending [MSG-6, MSG-7, MSG-8]. */
export function checkDelivery(observer: UserConn, messages: MessageFrame[], from: number, to: number): void {
  const seqs = messages.map((m) => m.seq);
  const seen = new Set<number>();
  for (const seq of seqs) {
    expect('MSG-7', !seen.has(seq), `${observer.conn.label} received seq ${seq} twice (${seqs.join(',')})`);
    seen.add(seq);
  }
  for (let i = 1; i < seqs.length; i++) {
    expect('MSG-8', seqs[i]! > seqs[i - 1]!, `${observer.conn.label} received seqs out of order: ${seqs.join(',')}`);
  }
  for (let seq = from + 1; seq <= to; seq++) {
    expect('MSG-7', seen.has(seq), `${observer.conn.label} never received seq ${seq} (got ${seqs.join(',')})`);
  }
  expect(
    'MSG-7',
    seqs.length === to - from,
    `${observer.conn.label} received ${seqs.length} messages, expected ${to - from}`,
  );
}

export const messages: TestCase[] = [
  {
    id: 'messages/text-rules',
    section,
    covers: ['MSG-1', 'MSG-2', 'LIMIT-1'],
    title:
      'text of 1 to maxTextLength code points is accepted as sent; empty, blank, too long or control text is TEXT_INVALID',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const max = ctx.limits.maxTextLength;
      for (const text of [
        '',
        ' \n\t ',
        padTo('', max + 1, '😀'),
        'bell\u0007',
        'nul\u0000',
        'c1\u0085',
        'esc\u001b[31m',
      ]) {
        const reply = await a.conn.request({ type: 'send', room, clientId: `bad${ctx.random(1e9)}`, text });
        expectError(
          text.length > max ? 'MSG-1' : text.trim() === '' ? 'MSG-1' : 'MSG-2',
          reply,
          ErrorCode.TEXT_INVALID,
        );
      }
      const good = [
        padTo('', max, '😀'),
        'line one\nline two\ttabbed',
        '👩\u200d👩\u200d👧 family',
        'สวัสดีครับ ทุกคน 👋',
        'cafe\u0301 not normalized',
        "<b>not html</b> & 'quotes'",
      ];
      for (const text of good) {
        const result = await a.conn.request({ type: 'send', room, clientId: `ok${ctx.random(1e9)}`, text });
        expect(
          text.length > 100 ? 'LIMIT-1' : 'MSG-2',
          result.type === 'ack',
          `text ${JSON.stringify(text.slice(0, 30))} was refused: ${JSON.stringify(result)}`,
        );
      }
      await ctx.sync(b);
      const got = messagesOf(b, room).map((m) => m.text);
      expect(
        'MSG-2',
        JSON.stringify(got) === JSON.stringify(good),
        'delivered texts differ from the sent texts (they must not be normalized)',
      );
    },
  },
  {
    id: 'messages/client-id-rules',
    section,
    covers: ['MSG-4'],
    title: 'clientId of 1 to 64 code points is accepted; empty or longer is CLIENT_ID_INVALID',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 1);
      const a = users[0]!;
      for (const clientId of ['', padTo('', MAX_CLIENT_ID_LENGTH + 1, 'é')]) {
        expectError(
          'MSG-4',
          await a.conn.request({ type: 'send', room, clientId, text: 'x' }),
          ErrorCode.CLIENT_ID_INVALID,
        );
      }
      const ok = await a.conn.request({
        type: 'send',
        room,
        clientId: padTo('', MAX_CLIENT_ID_LENGTH, '😀'),
        text: 'x',
      });
      expect('MSG-4', ok.type === 'ack', `clientId of 64 code points was refused: ${JSON.stringify(ok)}`);
    },
  },
  {
    id: 'messages/idempotent-retry',
    section,
    covers: ['MSG-5'],
    title: 'a send repeating a clientId gets the original ack and no second message',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const first = await ctx.send(a, room, 'once', 'retry-me');
      await ctx.send(a, room, 'between');
      const twin = await ctx.user('twin', { name: a.name, key: a.key });
      await ctx.join(twin, room);
      for (const retry of [a, twin]) {
        const again = await ctx.send(retry, room, 'once', 'retry-me');
        const same =
          again.ack.messageId === first.ack.messageId &&
          again.ack.seq === first.ack.seq &&
          again.ack.ts === first.ack.ts;
        expect('MSG-5', same, `retry answered ${JSON.stringify(again.ack)}, original ${JSON.stringify(first.ack)}`);
      }
      await ctx.sync(b);
      const texts = messagesOf(b, room).map((m) => m.text);
      expect('MSG-5', texts.join('|') === 'once|between', `observer received ${JSON.stringify(texts)}`);
    },
  },
  {
    id: 'messages/exactly-once-in-order',
    section,
    covers: ['MSG-6', 'MSG-7', 'MSG-8', 'MSG-10', 'MSG-11', 'MSG-12'],
    title: 'every joined connection receives every message once, in one contiguous seq order, matching the acks',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 3);
      const senders = users.slice(0, 2);
      const count = 12;
      // Pipelined sends from two connections: the server picks the order, all must observe it.
      const sent = senders.map((s, n) =>
        Array.from({ length: count / 2 }, (_, i) => ctx.send(s, room, `from ${n} #${i}`, `s${n}-${i}`)),
      );
      const acks = (await Promise.all(sent.flat())).map((r) => r.ack);
      await ctx.sync(...users);
      const ackSeqs = acks.map((a) => a.seq).sort((x, y) => x - y);
      expect(
        'MSG-6',
        ackSeqs.join(',') === Array.from({ length: count }, (_, i) => i + 1).join(','),
        `ack seqs ${ackSeqs.join(',')}, expected 1..${count}`,
      );
      const views = users.map((u) => ({ u, got: messagesOf(u, room) }));
      for (const { u, got } of views) checkDelivery(u, got, 0, count);
      const reference = views[0]!.got.map((m) => m.messageId).join(',');
      for (const { u, got } of views) {
        expect(
          'MSG-8',
          got.map((m) => m.messageId).join(',') === reference,
          `${u.conn.label} saw another order than ${views[0]!.u.conn.label}`,
        );
      }
      const bySeq = new Map(views[2]!.got.map((m) => [m.seq, m]));
      const ids = new Set(views[2]!.got.map((m) => m.messageId));
      expect('MSG-10', ids.size === count, 'messageIds repeat within the room');
      for (const [n, ack] of acks.entries()) {
        const m = bySeq.get(ack.seq);
        expect(
          'MSG-12',
          m && m.messageId === ack.messageId && m.ts === ack.ts,
          `ack ${JSON.stringify(ack)} does not match message ${JSON.stringify(m)}`,
        );
        const sender = senders[n < count / 2 ? 0 : 1]!;
        expect('MSG-10', m.from === sender.name, `message from ${sender.name} delivered as from ${m.from}`);
        expect(
          'MSG-12',
          m.clientId === `s${n < count / 2 ? 0 : 1}-${n % (count / 2)}`,
          `message clientId ${m.clientId}`,
        );
      }
      const ts = views[2]!.got.map((m) => m.ts);
      expect(
        'MSG-11',
        ts.every((t, i) => i === 0 || t >= ts[i - 1]!),
        `ts decreases along seq order: ${ts.join(',')}`,
      );
    },
  },
  {
    id: 'messages/message-before-ack',
    section,
    covers: ['MSG-9'],
    title: 'on the sending connection the message arrives before its ack',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const a = users[0]!;
      for (let i = 0; i < 5; i++) {
        const { ack } = await ctx.send(a, room, `ordered ${i}`);
        const ackAt = a.conn.log.indexOf(ack);
        const msgAt = a.conn.log.findIndex((f) => f.type === 'message' && f.messageId === ack.messageId);
        expect(
          'MSG-9',
          msgAt >= 0 && msgAt < ackAt,
          `message ${ack.messageId} arrived ${msgAt < 0 ? 'never before the ack' : 'after its ack'}`,
        );
      }
    },
  },
  {
    id: 'messages/unique-message-ids',
    section,
    covers: ['MSG-10'],
    title: 'messageIds are unique across rooms',
    async run(ctx) {
      const user = await ctx.user();
      const ids = new Set<string>();
      for (let r = 0; r < 3; r++) {
        const room = ctx.room();
        await ctx.join(user, room);
        for (let i = 0; i < 3; i++) {
          const { ack } = await ctx.send(user, room, `u${i}`);
          expect('MSG-10', !ids.has(ack.messageId), `messageId ${ack.messageId} given twice`);
          ids.add(ack.messageId);
        }
      }
    },
  },
];
