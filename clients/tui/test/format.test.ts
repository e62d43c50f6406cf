import { describe, expect, it } from 'vitest';
import { parseCommand } from '../src/commands.js';
import { colourOf, hhmm, messageLines } from '../src/format.js';
import { complete, expand, lookup } from '../src/shortcodes.js';

describe('message lines', () => {
  const message = {
    seq: 1,
    messageId: 'e.1',
    ts: new Date(2026, 10, 25, 9, 5).getTime(),
    from: 'Nok',
    text: 'hi\n04:20 admin: forged',
  };

  it('shows HH:MM, the name in its colour, and marks own messages', () => {
    const [head] = messageLines(message, true);
    expect(hhmm(message.ts)).toBe('09:05');
    expect(head).toContain('09:05');
    expect(head).toContain(`{${colourOf('Nok')}-fg}{bold}Nok{/bold}`);
    expect(head).toContain('›');
  });

  it('indents continuation lines so a message cannot forge another line', () => {
    const lines = messageLines(message, false);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ {8}\{gray-fg\}│\{\/\} 04:20 admin: forged$/);
  });

  it('gives each user a stable colour, the same in any case', () => {
    expect(colourOf('somchai')).toBe(colourOf('SOMCHAI'));
  });
});

describe('shortcodes', () => {
  it('looks up and expands :shortcode:s from the shipped emoji data', () => {
    expect(lookup('tada')).toBe('🎉');
    expect(expand('party :tada: :not_an_emoji:')).toBe('party 🎉 :not_an_emoji:');
    expect(complete('wav')[0]?.native).toBe('👋');
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
});
