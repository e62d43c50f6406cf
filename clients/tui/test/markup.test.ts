import { describe, expect, it } from 'vitest';
import { markup } from '../src/markup.js';

describe('markup', () => {
  it('styles bold, italic, inline code and links', () => {
    expect(markup('a **b** *c* _d_ `e` https://kuykan.example/x.')).toEqual([
      { text: 'a ' },
      { text: 'b', style: ['bold'] },
      { text: ' ' },
      { text: 'c', style: ['magenta-fg'] },
      { text: ' ' },
      { text: 'd', style: ['magenta-fg'] },
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
