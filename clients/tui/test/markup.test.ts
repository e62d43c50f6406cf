import { describe, expect, it } from 'vitest';
import { patchProgramOutput } from '../src/blessed-patch.js';
import { markup } from '../src/markup.js';

describe('markup', () => {
  it('styles bold, italic, inline code and links', () => {
    expect(markup('a **b** *c* _d_ `e` https://kuykan.example/x.')).toEqual([
      { text: 'a ' },
      { text: 'b', style: ['bold'] },
      { text: ' ' },
      { text: 'c', style: ['blink'] },
      { text: ' ' },
      { text: 'd', style: ['blink'] },
      { text: ' ' },
      { text: 'e', style: ['yellow-fg'] },
      { text: ' ' },
      { text: 'https://kuykan.example/x', style: ['underline', 'blue-fg'] },
      { text: '.' },
    ]);
  });

  it('leaves arithmetic, snake_case and unclosed markers as text', () => {
    expect(markup('2 * 3 * 4')).toEqual([{ text: '2 * 3 * 4' }]);
    expect(markup('snake_case_name')).toEqual([{ text: 'snake_case_name' }]);
    expect(markup('**open')).toEqual([{ text: '**open' }]);
  });

  it('keeps markup from hiding tag syntax: the text of a styled span is still plain text', () => {
    expect(markup('**{red-fg}x**')).toEqual([{ text: '{red-fg}x', style: ['bold'] }]);
  });
});

describe('italic on output', () => {
  it('draws blink as italic (SGR 3) and leaves 256-colour parameters alone', () => {
    const written: string[] = [];
    const program = { _owrite: (text: string) => written.push(text), write: (_: string) => undefined };
    patchProgramOutput(program);
    program._owrite('\x1b[5;38;5;5;48;5;5mx\x1b[25my\x1b[1;5mz\x1b[38;2;5;5;5mw');
    expect(written).toEqual(['\x1b[3;38;5;5;48;5;5mx\x1b[23my\x1b[1;3mz\x1b[38;2;5;5;5mw']);
  });
});
