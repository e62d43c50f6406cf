import type { ChatModel, MessageRecord, RoomModel } from '@kuykan/sdk/model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoomReading } from '../src/room-reading.js';

function record(seq: number, from = 'nok'): MessageRecord {
  return { seq, messageId: `m${seq}`, ts: seq, from, text: `text ${seq}`, own: from === 'me', mentionsMe: false };
}

/** The parts of a RoomModel the reading looks at. */
function room(name: string, readSeq: number, last: number): RoomModel {
  const messages = Array.from({ length: last }, (_, n) => record(n + 1, n % 3 === 2 ? 'me' : 'nok'));
  const unread = messages.filter((m) => m.seq > readSeq && !m.own).length;
  return { name, readSeq, unread, mentions: 0, messages, room: { version: 2 } } as unknown as RoomModel;
}

/** A chat model that only has an open room and remembers what it was told about visibility. */
class FakeModel {
  active: RoomModel | undefined;
  readonly visible: boolean[] = [];
  setVisible(visible: boolean): void {
    this.visible.push(visible);
  }
}

let hidden = false;
beforeEach(() => {
  hidden = false;
  (globalThis as { document?: unknown }).document = {
    get hidden() {
      return hidden;
    },
  };
});
afterEach(() => {
  delete (globalThis as { document?: unknown }).document;
});

function setup() {
  const model = new FakeModel();
  const reading = new RoomReading(() => model as unknown as ChatModel);
  const open = (next: RoomModel) => {
    reading.away();
    model.active = next;
    reading.changed();
  };
  return { model, reading, open };
}

describe('RoomReading', () => {
  it('tells the model the user reads the open room only while the tab is shown and its list is at the bottom', () => {
    const { model, reading, open } = setup();
    open(room('lobby', 0, 2));
    expect(model.visible.at(-1)).toBe(false);
    reading.bottom(true);
    expect(model.visible.at(-1)).toBe(true);
    reading.bottom(false); // scrolled up: what arrives now is not read
    expect(model.visible.at(-1)).toBe(false);
    reading.bottom(true);
    hidden = true;
    reading.see();
    expect(model.visible.at(-1)).toBe(false);
    hidden = false;
    reading.see();
    expect(model.visible.at(-1)).toBe(true);
  });

  it('reads nothing while the rooms are joined again after login, then the open one once it shows its bottom', async () => {
    const { model, reading, open } = setup();
    await reading.restoring(async () => {
      open(room('lobby', 0, 2));
      reading.bottom(true); // the lobby drew first…
      expect(model.visible.at(-1)).toBe(false);
      model.active = room('news', 1, 5); // …then the saved open room opened
      reading.changed();
    });
    expect(model.visible.at(-1)).toBe(false);
    reading.bottom(true);
    expect(model.visible.at(-1)).toBe(true);
  });

  it('opens a room at its first unread message after the marker, and keeps the line until it was read to the bottom', () => {
    const { reading, open } = setup();
    open(room('news', 4, 8));
    expect(reading.line('news')).toBe('m5');
    open(room('lobby', 0, 1));
    // Opened again, not read yet (the marker did not move): the line is still there.
    open({ ...room('news', 4, 8), unread: 0 } as RoomModel);
    expect(reading.line('news')).toBe('m5');
    open(room('lobby', 0, 1));
    open(room('news', 8, 8));
    expect(reading.line('news')).toBe('');
  });

  it('draws no line in a room new to this user (a marker never moved) or with nothing unread', () => {
    const { reading, open } = setup();
    open(room('fresh', 0, 5));
    expect(reading.line('fresh')).toBe('');
    open(room('read', 5, 5));
    expect(reading.line('read')).toBe('');
  });

  it('shows no counts for the open room while the tab is visible, and its counts while hidden', () => {
    const { reading, open } = setup();
    const news = room('news', 0, 3);
    const lobby = room('lobby', 1, 4);
    open(news);
    expect(reading.totals([news, lobby])).toEqual({ unread: 2, mentions: 0 });
    hidden = true;
    expect(reading.totals([news, lobby])).toEqual({ unread: 4, mentions: 0 });
  });
});
