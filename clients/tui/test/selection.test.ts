import { describe, expect, it } from 'vitest';
import { MessageSelection } from '../src/selection.js';

const list = (...ids: string[]) => ids.map((messageId) => ({ messageId }));

describe('MessageSelection', () => {
  it('starts at the newest going up, moves by message, and ends past the newest', () => {
    const selection = new MessageSelection();
    const messages = list('a', 'b', 'c');
    expect(selection.move(messages, 1)).toBeUndefined();
    expect(selection.move(messages, -1)).toBe('c');
    expect(selection.move(messages, -1)).toBe('b');
    expect(selection.move(messages, -5)).toBe('a');
    expect(selection.move(messages, 1)).toBe('b');
    expect(selection.move(messages, 1)).toBe('c');
    expect(selection.move(messages, 1)).toBeUndefined();
  });

  it('stays on its message when others arrive or are paged in above it, and lets go when it is gone', () => {
    const selection = new MessageSelection();
    selection.move(list('a', 'b'), -1);
    expect(selection.of(list('x', 'y', 'a', 'b', 'c'))?.messageId).toBe('b');
    expect(selection.of(list('a', 'c'))).toBeUndefined();
    expect(selection.move(list('a', 'c'), -1)).toBe('c');
  });
});
