/**
 * Lit templates for the tokens of markup.ts: every piece of message text is
 * a text binding, every link an `<a>` built here with a checked href.
 *
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import { type StringKey, t } from './i18n.js';
import type { Block, Inline } from './markup.js';
import { displayText } from './text.js';

function inline(tokens: Inline[]): Array<TemplateResult | string> {
  return tokens.map((tok) => {
    switch (tok.t) {
      case 'text':
        return tok.text;
      case 'b':
        return html`<strong>${inline(tok.c)}</strong>`;
      case 'i':
        return html`<em>${inline(tok.c)}</em>`;
      case 's':
        return html`<s>${inline(tok.c)}</s>`;
      case 'code':
        return html`<code>${tok.text}</code>`;
      case 'a':
        return html`<a href=${tok.href} target="_blank" rel="noopener noreferrer">${tok.text}</a>`;
      default:
        return html`<span class="mention ${tok.me ? 'me' : ''}" dir="auto">@${tok.name}</span>`;
    }
  });
}

/**
 * A parsed message as templates: paragraphs, quotes and code blocks.
 * `tail` (the edited marker) ends the last paragraph, or follows a last code block or quote.
 */
export function renderBlocks(
  blocks: Block[],
  tail: TemplateResult | typeof nothing = nothing,
): Array<TemplateResult | typeof nothing> {
  const last = blocks.length - 1;
  const rendered = blocks.map((block, n) => {
    if (block.t === 'pre') return html`<pre dir="ltr"><code>${block.text}</code></pre>`;
    if (block.t === 'quote') return html`<blockquote dir="auto">${inline(block.c)}</blockquote>`;
    return html`<p dir="auto">${inline(block.c)}${n === last ? tail : nothing}</p>`;
  });
  return blocks[last]?.t === 'p' ? rendered : [...rendered, tail];
}

/**
 * A UI sentence with user strings in it ("{name} is typing…"), each value
 * isolated in a `<bdi>` so its direction cannot rearrange the sentence.
 */
export function tIsolated(key: StringKey, values: Record<string, string>): Array<TemplateResult | string> {
  const slots = Object.keys(values);
  const marked = t(key, Object.fromEntries(slots.map((name, n) => [name, `\u0000${n}\u0000`])));
  return marked
    .split('\u0000')
    .map((part, n) => (n % 2 === 0 ? part : html`<bdi>${displayText(values[slots[Number(part)]!]!)}</bdi>`));
}

/** A notice whose text starts with, or contains, a user name: the name is isolated. */
export function noticeText(text: string, name: string | undefined): Array<TemplateResult | string> | string {
  const at = name ? text.indexOf(name) : -1;
  if (!name || at < 0) return displayText(text);
  return [text.slice(0, at), html`<bdi>${displayText(name)}</bdi>`, text.slice(at + name.length)];
}
