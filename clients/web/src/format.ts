/** Display helpers: times and day labels in the UI language, stable per-user colours, initials. */
import { lang, t } from './i18n.js';

/**
 * The locale for dates and times follows the UI language, not the browser:
 * a Thai UI on an English browser shows Thai dates. Both use a 24-hour clock
 * without a leading zero ("9:05", "17:59"); English uses en-GB for that.
 */
function locale(): string {
  return lang() === 'th' ? 'th-TH' : 'en-GB';
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(kind: 'time' | 'day' | 'full'): Intl.DateTimeFormat {
  const key = `${locale()}|${kind}`;
  let fmt = formats.get(key);
  if (!fmt) {
    const time = { hour: 'numeric', minute: '2-digit', hourCycle: 'h23' } as const;
    const day = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } as const;
    fmt = new Intl.DateTimeFormat(locale(), kind === 'time' ? time : kind === 'day' ? day : { ...day, ...time });
    formats.set(key, fmt);
  }
  return fmt;
}

/** "17:59" in both languages. */
export function timeOf(ts: number): string {
  return format('time').format(ts);
}

/** The full date and time, for a timestamp's tooltip. */
export function fullTimeOf(ts: number): string {
  return format('full').format(ts);
}

export function dayKey(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** Today, Yesterday, or the date, in the UI language. */
export function dayLabel(ts: number, now = Date.now()): string {
  if (dayKey(ts) === dayKey(now)) return t('today');
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1); // not now - 24 h: a DST day is 23 or 25 hours
  if (dayKey(ts) === dayKey(yesterday.getTime())) return t('yesterday');
  return format('day').format(ts);
}

/** A stable hue per name, so each user keeps their colour. */
export function hueOf(name: string): number {
  let hash = 2166136261;
  for (const ch of name.toLowerCase()) hash = Math.imul(hash ^ ch.codePointAt(0)!, 16777619);
  return Math.abs(hash) % 360;
}

/**
 * Lightness of a sender's name in each theme: dark enough (light theme) and
 * light enough (dark theme) that every hue reads at 4.5:1 or more on the
 * message backgrounds, plain, hovered and mentioned (WCAG AA).
 */
export const NAME_LIGHTNESS = { light: 26, dark: 78 } as const;
export const NAME_SATURATION = { light: 65, dark: 75 } as const;

/** The colour of a sender's name: its hue, at a lightness every theme can read. */
export function nameColor(name: string): string {
  const hue = hueOf(name);
  return `light-dark(hsl(${hue} ${NAME_SATURATION.light}% ${NAME_LIGHTNESS.light}%), hsl(${hue} ${NAME_SATURATION.dark}% ${NAME_LIGHTNESS.dark}%))`;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Up to two initials for an avatar: the first grapheme of the first two
 * words ("Nok Chai" → "NC", "สมชาย" → "ส"), whole clusters so Thai marks and
 * emoji sequences are never split.
 */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean).slice(0, 2);
  return words
    .map((word) => graphemes.segment(word)[Symbol.iterator]().next().value?.segment ?? '')
    .join('')
    .toUpperCase();
}

/** The minute a message belongs to, for grouping by author and minute. */
export function minuteOf(ts: number): number {
  return Math.floor(ts / 60_000);
}

/** A size for people: "512 B", "12.3 KB", "4.5 MB" (1 KB = 1024 bytes; digits in the UI language's locale). */
export function sizeOf(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(locale(), { maximumFractionDigits: digits })} ${units[unit]}`;
}
