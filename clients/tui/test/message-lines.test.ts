import { describe, expect, it } from 'vitest';
import { formatBytes, messageLines, type Shown } from '../src/message-lines.js';
import { displayWidth, setWidthModel } from '../src/width.js';

/** A laid-out line as drawn: tags removed, `{open}`/`{close}` back to braces. */
const plain = (line: string) =>
  line.replace(/\{\/?[a-z0-9-]*\}/g, (tag) => (tag === '{open}' ? '{' : tag === '{close}' ? '}' : ''));

const base: Shown = { ts: new Date(2026, 11, 7, 9, 5).getTime(), from: 'nok', text: 'hello', own: false };
const HOSTILE = `\u202Eevil\u202C \u001b]0;pwned\u0007\u001b[2J {bold}x{/bold} ${'ยาว👍🏽'.repeat(2500)}`;

describe('messageLines (protocol v2 parts)', () => {
  it('puts the quote of the original above a reply, on one line clipped by display width', () => {
    setWidthModel('unicode');
    for (const width of [40, 61, 120, 200]) {
      const lines = messageLines({ ...base, reply: { messageId: 'm1', from: 'ploy', text: HOSTILE } }, width).map(
        plain,
      );
      expect(lines).toHaveLength(2);
      // The inert text, cut between clusters: escapes and controls as �, the bidi override dropped.
      const shown = `${' '.repeat(11)}↱ ploy: evil �� {bold}x{/bold} ${'ยาว👍🏽'.repeat(2500)}`;
      expect(shown.startsWith(lines[0]!.slice(0, -1)), lines[0]).toBe(true);
      expect(lines[0]).not.toContain('pwned');
      expect(lines[0]!.endsWith('…')).toBe(true);
      expect(displayWidth(lines[0]!)).toBeLessThanOrEqual(width);
      // Nothing of the escapes is left to act: no ESC, BEL or bidi control.
      expect(lines[0]).not.toMatch(/[\u001b\u0007\u202A-\u202E]/);
      expect(lines[1]).toBe('09:05 nok: hello');
    }
  });

  it('shows a deleted original in the quote and a deleted message as a tombstone without its parts', () => {
    const quote = messageLines({ ...base, reply: { messageId: 'm1', from: 'ploy', text: '', deleted: true } }, 60);
    expect(plain(quote[0]!)).toBe('           ↱ ploy: (deleted)');
    const tombstone = messageLines(
      { ...base, text: '', deleted: true, reactions: [{ emoji: '👍', count: 2, names: [] }] },
      60,
    );
    expect(tombstone.map(plain)).toEqual(['09:05 nok: (message deleted)']);
  });

  it('marks an edited message and a bot', () => {
    expect(messageLines({ ...base, editedTs: base.ts + 1, bot: true }, 60).map(plain)).toEqual([
      '09:05 nok bot: hello (edited)',
    ]);
  });

  it('lists reactions under the text, mine in cyan and bold', () => {
    const lines = messageLines(
      {
        ...base,
        reactions: [
          { emoji: '👍🏽', count: 3, names: ['a'], me: true },
          { emoji: '🎉', count: 1, names: ['b'] },
        ],
      },
      60,
    );
    expect(plain(lines[1]!)).toBe('           👍🏽 3  🎉 1');
    expect(lines[1]).toContain('{cyan-fg}{bold}👍🏽 3');
    expect(lines[1]).toContain('{gray-fg}🎉 1');
  });

  it('shows a file as its name, size and type on one line, the name cut first, then its whole link', () => {
    setWidthModel('unicode');
    const url = `https://chat.example/files/f1?sig=${'x'.repeat(120)}`;
    for (const width of [40, 80, 200]) {
      const lines = messageLines(
        {
          ...base,
          text: '',
          attachments: [{ fileId: 'f1', name: HOSTILE, size: 2_345_678, mediaType: 'image/png', url }],
        },
        width,
      ).map(plain);
      expect(lines[1]).toMatch(/^ {11}📎 evil �� \{bold\}x/);
      // A narrow pane keeps 16 columns of the name and cuts the size and type; a wider one has all three.
      if (width >= 80) expect(lines[1]).toMatch(/… · 2\.3 MB · image\/png$/);
      expect(displayWidth(lines[1]!)).toBeLessThanOrEqual(width);
      expect(lines[1]).not.toMatch(/[\u001b\u0007\u202A-\u202E]/);
      const link = lines
        .slice(2)
        .map((l, i) => l.trim().slice(i === 0 ? 0 : 1))
        .join('');
      expect(link).toBe(url);
    }
  });

  it('highlights @me as a whole word in any case, not a longer name', () => {
    const [line] = messageLines({ ...base, text: 'hi @PLOY, @ploy2 and @ploy.', mentionsMe: true }, 80, { me: 'ploy' });
    expect(line).toContain('{black-fg}{yellow-bg}@PLOY{/}');
    expect(line).toContain('{black-fg}{yellow-bg}@ploy{/}');
    expect(line).not.toContain('{yellow-bg}@ploy2');
    // The time is marked too, so a mention stands out when scrolling.
    expect(line!.startsWith('{/}{yellow-fg}{bold}09:05')).toBe(true);
  });

  it('draws a selected message inverse, every line filled to the width', () => {
    setWidthModel('unicode');
    const lines = messageLines(
      {
        ...base,
        text: 'a long message that wraps onto a second line',
        reactions: [{ emoji: '🎉', count: 1, names: [] }],
      },
      30,
      { selected: true },
    );
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      expect(displayWidth(plain(line))).toBe(30);
      for (const span of line.split('{/}').filter(Boolean)) expect(span).toContain('{inverse}');
    }
  });
});

describe('file line', () => {
  it('keeps 16 columns of a long name in a narrow pane and cuts the size and type instead', () => {
    setWidthModel('unicode');
    const [, line] = messageLines(
      {
        ...base,
        text: '',
        attachments: [
          { fileId: 'f', name: 'quarterly-report-2026.pdf', size: 26, mediaType: 'application/pdf', url: '/f' },
        ],
      },
      40,
    ).map(plain);
    expect(line).toBe('           📎 quarterly-repor… · 26 B ·…');
    expect(displayWidth(line!)).toBe(40);
  });
});

describe('formatBytes', () => {
  it('gives bytes, then kB, MB, GB with one decimal', () => {
    expect([0, 999, 1000, 1_234_567, 5e9].map(formatBytes)).toEqual(['0 B', '999 B', '1.0 kB', '1.2 MB', '5.0 GB']);
  });
});
