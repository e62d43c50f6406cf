/**
 * What the browser remembers between visits, in localStorage: the name and
 * login key (the same name and key are the same user, so a reload or a
 * second tab resumes without asking) and whether to sign in again on load.
 * The rooms, the open room and the drafts of each user are the app model's
 * (`@kuykan/sdk/model`, under `kuykan.user.<name>.…`).
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
}
