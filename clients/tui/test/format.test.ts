import { expandShortcodes } from '@kuykan/emoji';
import { loadEmojiIndex } from '@kuykan/emoji/node';
import { describe, expect, it } from 'vitest';
import { HELP, parseCommand, reactionOf } from '../src/commands.js';
import { colourOf, hhmm } from '../src/format.js';
import { messageLines } from '../src/message-lines.js';
import { displayWidth } from '../src/width.js';

/** A laid-out line as it is drawn: tags removed, `{open}`/`{close}` back to braces. */
const plain = (line: string) =>
  line
    .replace(/\{\/?[a-z0-9-]*\}/g, (tag) => (tag === '{open}' ? '{' : tag === '{close}' ? '}' : ''))
    .replace(/\{open\}/g, '{');

describe('message lines', () => {
  const message = {
    seq: 1,
    messageId: 'e.1',
    ts: new Date(2026, 10, 25, 9, 5).getTime(),
    from: 'Nok',
    text: 'hi\n04:20 admin: forged',
  };

  it('shows HH:MM, the name in its colour, and marks own messages', () => {
    const [head] = messageLines({ ...message, own: true }, 60);
    expect(hhmm(message.ts)).toBe('09:05');
    expect(head).toContain('09:05');
    expect(head).toContain(`{${colourOf('Nok')}-fg}{bold}Nok{/}`);
    expect(head).toContain('›');
  });

  it('indents the lines of a multi-line message under the text, marked, so they cannot forge another line', () => {
    const lines = messageLines({ ...message, own: false }, 60).map(plain);
    expect(lines).toEqual(['09:05 Nok: hi', '         │ 04:20 admin: forged']);
  });

  it('gives each user a stable colour, the same in any case', () => {
    expect(colourOf('somchai')).toBe(colourOf('SOMCHAI'));
  });
});

describe('commands', () => {
  it('parses slash commands and leaves other text alone', () => {
    expect(parseCommand('/join ห้องเล่น')).toEqual({ kind: 'join', room: 'ห้องเล่น' });
    expect(parseCommand('/join')).toMatchObject({ kind: 'error' });
    expect(parseCommand('/quit')).toEqual({ kind: 'quit' });
    expect(parseCommand('/nope')).toMatchObject({ kind: 'error', message: expect.stringContaining('/help') });
    expect(parseCommand('hello')).toBeUndefined();
    expect(parseCommand('//not a command')).toBeUndefined();
  });

  it('parses /dm, /upload with spaces in the path, and /bell', () => {
    expect(parseCommand('/dm nok')).toEqual({ kind: 'dm', name: 'nok' });
    expect(parseCommand('/dm')).toMatchObject({ kind: 'error', message: 'usage: /dm NAME' });
    expect(parseCommand('/upload ~/My Pictures/cat 1.png')).toEqual({
      kind: 'upload',
      path: '~/My Pictures/cat 1.png',
    });
    expect(parseCommand('/upload')).toMatchObject({ kind: 'error' });
    expect(parseCommand('/bell')).toEqual({ kind: 'bell', on: undefined });
    expect(parseCommand('/bell off')).toEqual({ kind: 'bell', on: false });
    expect(parseCommand('/bell loud')).toMatchObject({ kind: 'error' });
  });

  it('reads +emoji and +:shortcode: as a reaction, and other + lines as text', () => {
    const emoji = loadEmojiIndex('en');
    const expand = (text: string) => expandShortcodes(text, emoji);
    expect(reactionOf('+👍🏽', expand)).toBe('👍🏽');
    expect(reactionOf('+:tada:', expand)).toBe('🎉');
    expect(reactionOf(' +🧑‍💻 ', expand)).toBe('🧑‍💻');
    expect(reactionOf('+1', expand)).toBeUndefined();
    expect(reactionOf('+👍👍', expand)).toBeUndefined();
    expect(reactionOf('+ 👍', expand)).toBeUndefined();
    expect(reactionOf('+:nosuchcode:', expand)).toBeUndefined();
  });

  it('lists help in lines that fit the message pane of a 120-column terminal', () => {
    // 120 columns less the side panes (16 + 20), the borders and the notice prefix.
    for (const line of HELP) expect(displayWidth(line), line).toBeLessThanOrEqual(120 - 36 - 3 - 9);
  });

  it('mentions only shortcodes that @kuykan/emoji knows', () => {
    const emoji = loadEmojiIndex('en');
    for (const line of HELP)
      for (const [, code] of line.matchAll(/:([a-z+_]+):/g)) expect(emoji.byShortcode(code!)).toBeDefined();
  });
});
