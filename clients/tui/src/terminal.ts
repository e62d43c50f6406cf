/**
 * Chooses the width model for the terminal we run in and connects the
 * fallbacks to the emoji names of @kuykan/emoji.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type { EmojiIndex } from '@kuykan/emoji';
import { setEmojiNames, setWidthModel, type WidthModel } from './width.js';

const require = createRequire(import.meta.url);

/** Newest emoji version tmux's C library measures on Debian 12 (glibc 2.36). */
const TMUX_EMOJI_VERSION = 14;

/** Environment variables read here, for `--help`. */
export const WIDTH_ENV = {
  KUYKAN_WIDTHS: 'width model: "unicode" (current terminals) or "tmux" (default inside tmux)',
  KUYKAN_EMOJI_VERSION: `newest emoji version the terminal knows (default ${TMUX_EMOJI_VERSION} inside tmux, all elsewhere); newer emoji are shown by name`,
} as const;

interface EmojiRecord {
  hexcode: string;
  version: number;
}

/** Single code points of emoji newer than `version` (from emojibase-data). */
export function emojiNewerThan(version: number): Set<number> {
  const data = require('emojibase-data/en/data.json') as EmojiRecord[];
  const points = new Set<number>();
  for (const e of data) if (e.version > version && !e.hexcode.includes('-')) points.add(Number.parseInt(e.hexcode, 16));
  return points;
}

export interface TerminalProfile {
  model: WidthModel;
  /** Newest emoji version drawn as emoji; newer ones get a fallback. */
  emojiVersion: number;
}

/** The profile for an environment: `KUYKAN_WIDTHS`, `KUYKAN_EMOJI_VERSION`, else tmux when `TMUX` is set. */
export function profileFor(env: NodeJS.ProcessEnv): TerminalProfile {
  const requested = env.KUYKAN_WIDTHS;
  const model: WidthModel = requested === 'unicode' || requested === 'tmux' ? requested : env.TMUX ? 'tmux' : 'unicode';
  const version = Number(env.KUYKAN_EMOJI_VERSION);
  return {
    model,
    emojiVersion: Number.isFinite(version) && version > 0 ? version : model === 'tmux' ? TMUX_EMOJI_VERSION : Infinity,
  };
}

/** Installs a profile into width.ts, with shortcodes as the names of emoji the terminal cannot show. */
export function applyProfile(profile: TerminalProfile, emoji: EmojiIndex): void {
  setWidthModel(
    profile.model,
    Number.isFinite(profile.emojiVersion) ? emojiNewerThan(profile.emojiVersion) : new Set(),
  );
  setEmojiNames((cluster) => emoji.byEmoji(cluster)?.shortcodes[0]);
}
