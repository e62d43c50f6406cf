/** Display helpers: local times, day labels, stable per-user colours. */
import { t } from './i18n.js';

export function timeOf(ts: number): string {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function dayKey(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function dayLabel(ts: number, now = Date.now()): string {
  if (dayKey(ts) === dayKey(now)) return t('today');
  if (dayKey(ts) === dayKey(now - 86_400_000)) return t('yesterday');
  return new Date(ts).toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

/** A stable hue per name, so each user keeps their colour. */
export function hueOf(name: string): number {
  let hash = 2166136261;
  for (const ch of name.toLowerCase()) hash = Math.imul(hash ^ ch.codePointAt(0)!, 16777619);
  return Math.abs(hash) % 360;
}

/** The minute a message belongs to, for grouping by author and minute. */
export function minuteOf(ts: number): number {
  return Math.floor(ts / 60_000);
}
