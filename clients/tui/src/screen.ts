/**
 * The terminal screen and the emoji data, set up once: blessed with our
 * width function and output patches (blessed-patch.ts), and the emoji index
 * in the user's language with search in English and Thai.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { createEmojiIndex, type EmojiIndex, emojiLocaleFor } from '@kuykan/emoji';
import { loadEmojiSources } from '@kuykan/emoji/node';
import blessed from 'blessed';
import { coalesceRenders, patchBlessedElement, patchBlessedUnicode, patchProgramOutput } from './blessed-patch.js';

const require = createRequire(import.meta.url);

/** Emoji labelled in the user's language (LC_ALL, LC_MESSAGES, LANG); search in English and Thai whatever the locale. */
export function loadEmoji(): EmojiIndex {
  const locale = emojiLocaleFor(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG);
  const own = loadEmojiSources(locale);
  const other = loadEmojiSources(locale === 'th' ? 'en' : 'th');
  return createEmojiIndex(own.data, [own.github, own.emojibase], { messages: own.messages, keywords: [other.data] });
}

/** The blessed screen, patched: call after the width profile is applied (terminal.ts). */
export function createScreen(): blessed.Widgets.Screen {
  const unicode = require('blessed/lib/unicode');
  patchBlessedUnicode(unicode);
  patchBlessedElement(require('blessed/lib/widgets/element').prototype, unicode);
  const screen = blessed.screen({
    smartCSR: true,
    fullUnicode: true,
    title: 'Kuykan',
    autoPadding: true,
    dockBorders: true,
  });
  patchProgramOutput(screen.program as unknown as Parameters<typeof patchProgramOutput>[0]);
  coalesceRenders(screen);
  return screen;
}
