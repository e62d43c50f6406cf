import { describe, expect, it } from 'vitest';
import { type Block, linkifyReady, mentionsMe, parseInline, parseMessage } from '../src/markup.js';
import { displayText } from '../src/text.js';

const ctx = { names: ['Nok', 'สมชาย', 'Nok Chai'], me: 'nok' };
await linkifyReady;

describe('parseInline', () => {
  it('tokenises bold, italic, strike and inline code, with nothing parsed inside code', () => {
    expect(parseInline('**b** *i* _u_ ~~s~~ `a *b*`', ctx)).toEqual([
      { t: 'b', c: [{ t: 'text', text: 'b' }] },
      { t: 'text', text: ' ' },
      { t: 'i', c: [{ t: 'text', text: 'i' }] },
      { t: 'text', text: ' ' },
      { t: 'i', c: [{ t: 'text', text: 'u' }] },
      { t: 'text', text: ' ' },
      { t: 's', c: [{ t: 'text', text: 's' }] },
      { t: 'text', text: ' ' },
      { t: 'code', text: 'a *b*' },
    ]);
  });

  it('leaves arithmetic, snake_case and unclosed markers as text', () => {
    for (const text of ['2*3*4', 'snake_case_name', '**open', '* spaced *']) {
      expect(parseInline(text, ctx)).toEqual([{ t: 'text', text }]);
    }
  });

  it('links http, https and mailto, and leaves javascript:, data: and ftp: as text', () => {
    const tokens = parseInline(
      'see https://example.com/a?b=1 or mail a@b.co, not javascript:alert(1) ftp://x.org',
      ctx,
    );
    const links = tokens.filter((t) => t.t === 'a');
    expect(links).toEqual([
      { t: 'a', href: 'https://example.com/a?b=1', text: 'https://example.com/a?b=1' },
      { t: 'a', href: 'mailto:a@b.co', text: 'a@b.co' },
    ]);
  });

  it('finds mentions of known names, the longest first, ignoring case', () => {
    expect(parseInline('hi @nok chai and @สมชาย, not @nobody or x@nok', ctx)).toEqual([
      { t: 'text', text: 'hi ' },
      { t: 'mention', name: 'Nok Chai', me: false },
      { t: 'text', text: ' and ' },
      { t: 'mention', name: 'สมชาย', me: false },
      { t: 'text', text: ', not @nobody or x@nok' },
    ]);
  });
});

describe('parseMessage', () => {
  it('splits fenced code, quotes and paragraphs', () => {
    const blocks = parseMessage('> quoted **line**\nplain\n```\nconst x = *1*;\n```\nafter', ctx);
    expect(blocks.map((b) => b.t)).toEqual(['quote', 'p', 'pre', 'p']);
    expect(blocks[2]).toEqual({ t: 'pre', text: 'const x = *1*;' });
  });

  it('tells whether a message mentions me', () => {
    expect(mentionsMe(parseMessage('hey **@Nok**', ctx))).toBe(true);
    expect(mentionsMe(parseMessage('```\n@nok\n```', ctx))).toBe(false);
    expect(mentionsMe(parseMessage('hey @สมชาย', ctx))).toBe(false);
  });

  it('drops bidi overrides and caps combining-mark towers', () => {
    const [block] = parseMessage(`abc \u202Eevil txt.exe ก${'\u0E48'.repeat(240)}`, ctx) as [Block];
    const text = block.t === 'p' ? block.c.map((t) => (t.t === 'text' ? t.text : '')).join('') : '';
    expect(text).not.toContain('\u202E');
    expect(text).toBe(`abc evil txt.exe ก${'\u0E48'.repeat(4)}`);
    expect(displayText('กิ่ง')).toBe('กิ่ง');
  });
});
