/**
 * What the browser remembers between visits, in localStorage: the name and
 * login key (the same name and key are the same user, so a reload or a
 * second tab resumes without asking), whether to sign in again on load, and
 * per user the joined rooms, the open room and per-room drafts.
 *
 * @module
 */

const KEY = 'kuykan.key';
const NAME = 'kuykan.name';
/** Set while signed in; a reload with it set signs in again without the form. */
const RESUME = 'kuykan.resume';

function store(): Storage | undefined {
  return globalThis.localStorage;
}

function userKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

export class Session {
  /** The login key, created once per browser. */
  get key(): string {
    let key = store()?.getItem(KEY);
    if (!key) {
      key = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
      store()?.setItem(KEY, key);
    }
    return key;
  }

  /** The last name signed in with ('' if none). */
  get name(): string {
    return store()?.getItem(NAME) ?? '';
  }

  /** Whether a page load should sign in again as {@link name}. */
  get resumable(): boolean {
    return this.name !== '' && store()?.getItem(RESUME) === '1';
  }

  loggedIn(name: string): void {
    store()?.setItem(NAME, name);
    store()?.setItem(RESUME, '1');
  }

  /** Stops signing in on load (the user signed out, or the name was refused). */
  forget(): void {
    store()?.removeItem(RESUME);
  }

  private get prefix(): string {
    return `kuykan.user.${userKey(this.name)}`;
  }

  /** The rooms this user had joined, in order. */
  rooms(): string[] {
    try {
      const rooms: unknown = JSON.parse(store()?.getItem(`${this.prefix}.rooms`) ?? '[]');
      return Array.isArray(rooms) ? rooms.filter((r): r is string => typeof r === 'string') : [];
    } catch {
      return [];
    }
  }

  activeRoom(): string | undefined {
    return store()?.getItem(`${this.prefix}.active`) ?? undefined;
  }

  saveRooms(rooms: string[], active: string | undefined): void {
    store()?.setItem(`${this.prefix}.rooms`, JSON.stringify(rooms));
    if (active) store()?.setItem(`${this.prefix}.active`, active);
  }

  draft(room: string): string {
    return store()?.getItem(`${this.prefix}.draft.${room}`) ?? '';
  }

  saveDraft(room: string, text: string): void {
    if (text) store()?.setItem(`${this.prefix}.draft.${room}`, text);
    else store()?.removeItem(`${this.prefix}.draft.${room}`);
  }
}
