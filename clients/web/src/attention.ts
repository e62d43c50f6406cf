/**
 * Getting the user's attention: unread and mention counts in the title,
 * desktop notifications while the tab is hidden (permission asked on the
 * first send, a user gesture, and never again once answered; an off switch
 * remembered per browser), and polite screen-reader announcements of new
 * messages, batched so a busy room does not talk over the user.
 *
 * @module
 */
import type { ChatMessage } from '@kuykan/sdk';
import { t } from './i18n.js';
import { displayText } from './text.js';

const SETTING = 'kuykan.notify';
/** At most one announcement per this many milliseconds. */
export const ANNOUNCE_EVERY_MS = 2000;
const BASE_TITLE = 'Kuykan · คุยกัน';

interface Host {
  /** Unread and mention counts over all rooms, as the rooms list shows them. */
  totals(): { unread: number; mentions: number };
  changed(): void;
}

export class Attention {
  /** What the polite live region says now. */
  announcement = '';
  private pending: ChatMessage[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastAnnounced = 0;

  constructor(private readonly host: Host) {}

  /** Whether desktop notifications are wanted (the switch; the browser may still deny them). */
  get enabled(): boolean {
    return globalThis.localStorage?.getItem(SETTING) !== 'off';
  }

  get supported(): boolean {
    return typeof Notification !== 'undefined';
  }

  toggle(): void {
    localStorage.setItem(SETTING, this.enabled ? 'off' : 'on');
    if (this.enabled) this.askPermission();
    this.host.changed();
  }

  /** Asks for permission once, from a user gesture (sending, or turning notifications on). */
  askPermission(): void {
    if (this.supported && this.enabled && Notification.permission === 'default') void Notification.requestPermission();
  }

  /** Unread and mention counts over all rooms, e.g. "(3 · @1) Kuykan · คุยกัน". */
  updateTitle(): void {
    const { unread, mentions } = this.host.totals();
    const counts = unread > 0 ? `(${unread}${mentions > 0 ? ` · @${mentions}` : ''}) ` : '';
    document.title = counts + BASE_TITLE;
  }

  /**
   * A message from someone else arrived where the user is not looking.
   * `room` is how the UI names it: `#lobby`, or `@Nok` for a direct room.
   */
  notify(room: string, message: ChatMessage, mention: boolean): void {
    if (!document.hidden || !this.enabled || !this.supported || Notification.permission !== 'granted') return;
    const title = t(mention ? 'mentionedYou' : 'newMessageIn', { name: displayText(message.from), room });
    // One notification per room: a newer message replaces the older one.
    new Notification(title, { body: displayText(message.text).slice(0, 200), tag: `kuykan-${room}` });
  }

  /** Queues a message of the open room for the screen-reader announcement. */
  announce(message: ChatMessage): void {
    this.pending.push(message);
    if (this.timer) return;
    const wait = Math.max(0, this.lastAnnounced + ANNOUNCE_EVERY_MS - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    this.lastAnnounced = Date.now();
    const [first] = this.pending;
    this.announcement =
      this.pending.length === 1 && first
        ? `${displayText(first.from)}: ${displayText(first.text).slice(0, 300)}`
        : t('newCount', { count: String(this.pending.length) });
    this.pending = [];
    this.host.changed();
  }
}
