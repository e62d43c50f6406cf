/**
 * The oracle of the model-based test: reads one connection's frames in
 * arrival order against the model, and after a sync barrier checks that
 * every session converged: all entries delivered, presence agreed, and each
 * v2 session's folded records equal to the truth, whether it stayed,
 * resumed after missing entries, or joined late.
 *
 * @module
 */

import { type ChatMessage, type JoinedFrame, previewText, type ServerFrame } from '@kuykan/protocol';
import { expect } from '../failure.js';
import { expectRecord, fold, served } from './fold.js';
import type { ModelSession, World } from './world.js';

export function read(w: World, s: ModelSession, f: ServerFrame): void {
  const label = s.conn.label;
  switch (f.type) {
    case 'joined':
      readJoined(w, s, f);
      return;
    case 'ok':
    case 'error': {
      const what = f.id === undefined ? undefined : s.pending.get(f.id);
      if (what?.kind === 'leave' && f.type === 'ok') s.views.delete(what.room);
      if (what) s.pending.delete(f.id!);
      return;
    }
    case 'message': {
      const view = s.views.get(f.room);
      expect('MSG-7', view, `${label} received a message of ${f.room}, which it has not joined`);
      const room = w.room(f.room);
      const logged = room.log[f.seq - 1];
      if (s.version < 2) {
        // A v1 session sees messages only, as sent, its seqs skipping the other entries [VER-2, VER-4].
        expect(
          'VER-2',
          logged?.kind === undefined,
          `${label}, a v1 session, received the ${logged?.kind} entry seq ${f.seq}`,
        );
        const next = room.log.slice(view.nextSeq - 1).find((e) => e.kind === undefined)?.seq;
        expect('MSG-7', f.seq >= view.nextSeq, `${label} received seq ${f.seq} of ${f.room} again`);
        expect('MSG-8', f.seq === next, `${label} received seq ${f.seq} of ${f.room} where ${next} was next`);
      } else {
        // Change entries are delivered like messages: once each, in seq order [LOG-1].
        const [once, order] = logged?.kind === undefined ? ['MSG-7', 'MSG-8'] : ['LOG-1', 'LOG-1'];
        expect(
          once,
          f.seq >= view.nextSeq,
          `${label} received seq ${f.seq} of ${f.room} again (expected ${view.nextSeq} next)`,
        );
        expect(
          order,
          f.seq === view.nextSeq,
          `${label} received seq ${f.seq} of ${f.room} where ${view.nextSeq} was next`,
        );
      }
      expect(
        logged?.kind === undefined ? 'MSG-12' : 'LOG-1',
        logged && logged.messageId === f.messageId && logged.text === f.text && logged.ts === f.ts,
        `${label}: seq ${f.seq} of ${f.room} is ${JSON.stringify(f)}, its ack was ${JSON.stringify(logged)}`,
      );
      if (s.version >= 2) {
        expect(
          'LOG-2',
          f.kind === logged.kind && f.target === logged.target && f.emoji === logged.emoji,
          `${label}: entry seq ${f.seq} is ${f.kind ?? 'a message'} of ${f.target}, committed as ${logged.kind ?? 'a message'} of ${logged.target}`,
        );
        fold(view.records, f, s.user.name);
      }
      view.nextSeq = f.seq + 1;
      return;
    }
    case 'presence': {
      const view = s.views.get(f.room);
      if (!view) return;
      // Each change is announced once: a join for a member, or a leave for a non-member, is a duplicate.
      if (f.kind === 'join') {
        expect(
          'PRES-2',
          !view.members.has(f.name),
          `${label} got presence join of ${f.name}, already a member of ${f.room}`,
        );
        view.members.add(f.name);
      } else {
        expect(
          'PRES-3',
          view.members.has(f.name),
          `${label} got presence leave of ${f.name}, not a member of ${f.room}`,
        );
        view.members.delete(f.name);
      }
      return;
    }
    case 'userTyping':
      expect('TYPE-1', f.name !== s.user.name, `${label} received its own user's typing`);
      expect('TYPE-1', f.ttlMs === w.ctx.limits.typingTtlMs, `userTyping ttlMs ${f.ttlMs}`);
      return;
    case 'readMarker':
    case 'mention': {
      const got = `${f.type} ${f.room} ${f.seq}`;
      // Mention events may be dropped by the per-recipient limit [MENTION-3]: the ones that come are
      // the due ones, in order; a readMarker is never dropped.
      const at = s.expected.indexOf(got);
      const skipped = at < 0 ? [] : s.expected.slice(0, at);
      const fine = at >= 0 && skipped.every((e) => e.startsWith('mention'));
      expect(
        f.type === 'readMarker' ? 'READ-2' : 'MENTION-2',
        fine,
        `${label} received ${got}, expected ${s.expected[0] ?? 'no such event'}`,
      );
      s.expected.splice(0, at + 1);
      if (f.type === 'mention') {
        const entry = w.room(f.room).log[f.seq - 1]!;
        const text = previewText(entry.text);
        expect(
          'MENTION-2',
          f.messageId === entry.messageId && f.from === entry.from && f.text === text,
          `${label}: mention ${JSON.stringify(f)} of ${JSON.stringify(entry)}`,
        );
      }
      return;
    }
    default:
      return;
  }
}

function readJoined(w: World, s: ModelSession, f: JoinedFrame): void {
  const what = s.pending.get(f.id);
  s.pending.delete(f.id);
  const room = w.room(f.room);
  expect('ROOM-4', room, `joined names unknown room ${f.room}`);
  room.epoch ??= f.epoch;
  const existing = s.views.get(f.room);
  const want = what?.kind === 'join' ? what.expect : undefined;
  expect('ROOM-5', !want || f.seq === want.seq, `joined ${f.room} seq ${f.seq}, log had ${want?.seq}`);
  let records = existing?.records ?? new Map<string, ChatMessage>();
  if (want && f.epoch === room.epoch) {
    const seqs = `[${f.messages.map((m) => m.seq).join(',')}]`;
    if (want.resume)
      expect('RES-1', f.recovered === true, `resume of ${f.room} answered recovered=${String(f.recovered)}`);
    if (s.version < 2) {
      const shown = f.messages.map((m) => `${m.seq}:${m.text}`).join(',');
      expect('VER-4', shown === want.shown, `a v1 joined of ${f.room} holds [${shown}], expected [${want.shown}]`);
    } else if (want.resume) {
      const gap = f.messages.map((e) =>
        e.kind === 'edit' ? `${e.seq}:edit:${e.text}` : `${e.seq}:${e.kind ?? 'message'}`,
      );
      expect(
        'LOG-4',
        gap.join(',') === want.gap,
        `resume of ${f.room} returned [${gap.join(',')}], expected every entry after it [${want.gap}]`,
      );
      // The client folds the gap into the records it held before it disconnected [FOLD-2].
      records = structuredClone(want.held!);
      for (const entry of f.messages) fold(records, entry, s.user.name);
    } else if (!existing) {
      const got = f.messages.map((m) => m.messageId).join(',');
      expect(
        'ROOM-6',
        got === want.records!.map((m) => m.messageId).join(','),
        `joined ${f.room} carries seqs ${seqs}`,
      );
      for (const [i, m] of f.messages.entries()) expectRecord('FOLD-4', `joined ${f.room}`, m, want.records![i]!, true);
      records = new Map();
      for (const m of f.messages) fold(records, m, s.user.name);
    }
    if (s.version >= 2) {
      const counts = JSON.stringify([f.readSeq, f.unread, f.mentions]);
      const wanted = JSON.stringify([want.readSeq, want.unread, want.mentions]);
      expect(
        'READ-3',
        counts === wanted,
        `joined ${f.room} counts [readSeq, unread, mentions] ${counts}, expected ${wanted}`,
      );
      expect(
        'DM-5',
        f.peer === want.peer,
        `joined ${f.room} carries peer ${String(f.peer)}, expected ${String(want.peer)}`,
      );
    }
  }
  const nextSeq = existing ? existing.nextSeq : f.seq + 1;
  s.views.set(f.room, { nextSeq, members: new Set(f.members), records });
}

/** After a barrier on every open session: nothing lost, presence converged, folded state equal to the truth. */
export function checkSynced(w: World): void {
  for (const s of w.openSessions()) {
    w.scan(s);
    const label = s.conn.label;
    // Mentions still due were dropped by the limit of MENTION-3 (a SHOULD); markers are never dropped.
    const markers = s.expected.filter((e) => e.startsWith('readMarker'));
    expect('READ-2', markers.length === 0, `${label} never received ${markers.join('; ')}`);
    s.expected.length = 0;
    for (const [name, view] of s.views) {
      const room = w.room(name);
      const missing = room.log.slice(view.nextSeq - 1).filter((e) => s.version >= 2 || e.kind === undefined);
      expect(
        'MSG-7',
        missing.length === 0,
        `${label} got ${name} up to seq ${view.nextSeq - 1}, the log has ${room.log.length}`,
      );
      if (s.version >= 2)
        for (const record of view.records.values())
          expectRecord(
            'FOLD-2',
            `${label}'s view of ${name}`,
            record,
            served(room, record.messageId, s.user.name),
            false,
          );
      const definite = w.definiteMembers(name);
      const seen = [...view.members].sort().join(',');
      for (const m of definite)
        expect('PRES-7', view.members.has(m), `${label} sees members of ${name} as [${seen}], missing ${m}`);
      for (const m of view.members)
        expect(
          'PRES-7',
          definite.has(m) || room.maybe.has(m),
          `${label} sees members of ${name} as [${seen}], ${m} is not a member`,
        );
    }
  }
}
