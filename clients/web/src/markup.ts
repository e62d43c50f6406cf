/**
 * Message markup: a small markdown-lite tokeniser (bold, italic, strike,
 * inline code, code blocks, quotes), links found by linkify-it and @mentions
 * of known names. It returns plain tokens that kk-message-list renders as Lit
 * templates, so message text never becomes HTML. markdown-it would do the
 * block and inline parsing, but it costs 41.6 KB min+gzip, nearly the whole
 * first-paint budget; this subset is what chat needs.
 *
 * linkify-it (4.4 KB min+gzip) loads just after the first paint: until it is
 * there, messages show without links, then {@link linkifyReady} resolves and
 * the list parses them again.
 *
 * @module
 */
import type { LinkifyIt } from 'linkify-it';
import { displayText } from './text.js';

export type Inline =
  | { t: 'text'; text: string }
  | { t: 'b' | 'i' | 's'; c: Inline[] }
  | { t: 'code'; text: string }
  | { t: 'a'; href: string; text: string }
  | { t: 'mention'; name: string; me: boolean };

export type Block = { t: 'p'; c: Inline[] } | { t: 'pre'; text: string } | { t: 'quote'; c: Inline[] };

/** Schemes a link may have; anything else (javascript:, data:, ftp:) stays text. */
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

let linkify: LinkifyIt | undefined;

/** Resolves once links are recognised; messages parsed before then have none. */
export const linkifyReady: Promise<void> = import('linkify-it').then(({ LinkifyIt }) => {
  linkify = new LinkifyIt().add('ftp:', null).add('//', null);
});

/** Emphasis markers, longest first; a marker must hug its text (`**x**`, not `** x **`). */
const EMPHASIS: ReadonlyArray<[marker: string, kind: 'b' | 'i' | 's']> = [
  ['**', 'b'],
  ['~~', 's'],
  ['*', 'i'],
  ['_', 'i'],
];

export interface MarkupContext {
  /** Names that `@name` may mention (the room's members and authors). */
  names: readonly string[];
  /** This user's name: mentions of it are flagged `me`. */
  me: string;
}

/** Splits a message into blocks: fenced code, quotes (`> `) and paragraphs. */
export function parseMessage(raw: string, context: MarkupContext): Block[] {
  const blocks: Block[] = [];
  const lines = displayText(raw).split('\n');
  let para: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ t: 'p', c: parseInline(para.join('\n'), context) });
    if (quote.length) blocks.push({ t: 'quote', c: parseInline(quote.join('\n'), context) });
    para = [];
    quote = [];
  };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trimStart().startsWith('```')) {
      const end = lines.findIndex((l, k) => k > n && l.trimStart().startsWith('```'));
      if (end > n) {
        flush();
        blocks.push({ t: 'pre', text: lines.slice(n + 1, end).join('\n') });
        n = end;
        continue;
      }
    }
    const quoted = /^>\s?(.*)$/.exec(line);
    if (quoted) {
      if (para.length) flush();
      quote.push(quoted[1]!);
    } else {
      if (quote.length) flush();
      para.push(line);
    }
  }
  flush();
  return blocks;
}

/** Inline markup: `code` first (nothing inside it is markup), then emphasis, links and mentions. */
export function parseInline(text: string, context: MarkupContext): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const push = (token: Inline) => {
    if (plain) out.push(...linksAndMentions(plain, context));
    plain = '';
    out.push(token);
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        push({ t: 'code', text: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    const emphasis = EMPHASIS.find(([marker]) => text.startsWith(marker, i));
    if (emphasis && opens(text, i, emphasis[0])) {
      const [marker, kind] = emphasis;
      const end = closing(text, i + marker.length, marker);
      if (end > 0) {
        push({ t: kind, c: parseInline(text.slice(i + marker.length, end), context) });
        i = end + marker.length;
        continue;
      }
    }
    plain += ch;
    i++;
  }
  if (plain) out.push(...linksAndMentions(plain, context));
  return out;
}

/** A marker opens emphasis at a word start, before a non-space (so `2*3*4` and snake_case stay text). */
function opens(text: string, at: number, marker: string): boolean {
  const before = at === 0 ? ' ' : text[at - 1]!;
  const after = text[at + marker.length];
  return after !== undefined && !/\s/.test(after) && !/[\p{L}\p{N}]/u.test(before);
}

function closing(text: string, from: number, marker: string): number {
  for (let end = text.indexOf(marker, from); end > from; end = text.indexOf(marker, end + 1)) {
    const after = text[end + marker.length];
    if (!/\s/.test(text[end - 1]!) && (after === undefined || !/[\p{L}\p{N}]/u.test(after))) return end;
  }
  return -1;
}

/** Links (http, https, mailto only) and @mentions in a run of plain text. */
function linksAndMentions(text: string, context: MarkupContext): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of linkify?.match(text) ?? []) {
    const scheme = safeScheme(match.url);
    if (!scheme) continue;
    if (match.index > last) out.push(...mentions(text.slice(last, match.index), context));
    out.push({ t: 'a', href: match.url, text: match.text });
    last = match.lastIndex;
  }
  if (last < text.length) out.push(...mentions(text.slice(last), context));
  return out;
}

function safeScheme(url: string): string | undefined {
  try {
    const { protocol } = new URL(url);
    return SAFE_SCHEMES.has(protocol) ? protocol : undefined;
  } catch {
    return undefined;
  }
}

/** `@name` for a known name (longest match, ignoring case), at the start or after a space. */
function mentions(text: string, context: MarkupContext): Inline[] {
  const out: Inline[] = [];
  const names = [...context.names].sort((a, b) => b.length - a.length);
  let plain = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '@' && (i === 0 || /\s|\(/.test(text[i - 1]!))) {
      const rest = text.slice(i + 1).toLowerCase();
      const name = names.find(
        (n) => rest.startsWith(n.toLowerCase()) && !/[\p{L}\p{N}\p{M}_]/u.test(rest[n.length] ?? ''),
      );
      if (name) {
        if (plain) out.push({ t: 'text', text: plain });
        plain = '';
        out.push({ t: 'mention', name, me: name.toLowerCase() === context.me.toLowerCase() });
        i += name.length + 1;
        continue;
      }
    }
    plain += text[i];
    i++;
  }
  if (plain) out.push({ t: 'text', text: plain });
  return out;
}

/** Whether a message mentions `me` (for highlighting and notifications). */
export function mentionsMe(blocks: Block[]): boolean {
  const visit = (tokens: Inline[]): boolean =>
    tokens.some(
      (tok) => (tok.t === 'mention' && tok.me) || ((tok.t === 'b' || tok.t === 'i' || tok.t === 's') && visit(tok.c)),
    );
  return blocks.some((block) => block.t !== 'pre' && visit(block.c));
}

/** The names a message's `@mentions` name, each once (v2 sends them with the message [MENTION-1]). */
export function mentionedNames(blocks: Block[]): string[] {
  const names = new Set<string>();
  const visit = (tokens: Inline[]): void => {
    for (const tok of tokens) {
      if (tok.t === 'mention') names.add(tok.name);
      else if (tok.t === 'b' || tok.t === 'i' || tok.t === 's') visit(tok.c);
    }
  };
  for (const block of blocks) if (block.t !== 'pre') visit(block.c);
  return [...names];
}
