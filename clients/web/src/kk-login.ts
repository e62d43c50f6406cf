import { validateName } from '@kuykan/protocol';
import { css, html, LitElement } from 'lit';
import { errorText, refusal } from './error-text.js';
import { t } from './i18n.js';

/**
 * The login form. Validates with the protocol's name rules as you type and
 * shows the server's refusal (name taken, invalid) inline.
 *
 * @fires kk-login - detail `{ name }` when the form is submitted with a valid name
 */
export class KkLogin extends LitElement {
  static override properties = {
    error: { type: String },
    busy: { type: Boolean },
    name: { type: String },
  };

  /** Error text to show under the field (from the server or local validation). */
  declare error: string;
  /** True while connecting: the form is disabled. */
  declare busy: boolean;
  /** Initial value of the field (the remembered name). */
  declare name: string;

  constructor() {
    super();
    this.error = '';
    this.busy = false;
    this.name = '';
  }

  static override styles = css`
    :host { display: grid; place-items: center; height: 100%; padding: 1rem; box-sizing: border-box; }
    form { background: var(--kk-surface); border: 1px solid var(--kk-border); border-radius: 16px; padding: 2rem; width: min(24rem, 100%); box-sizing: border-box; }
    h1 { margin: 0; font-size: 1.8rem; color: var(--kk-accent); }
    p { margin: 0.25rem 0 1.5rem; color: var(--kk-muted); }
    label { display: block; font-weight: 600; margin-bottom: 0.4rem; }
    input { width: 100%; box-sizing: border-box; font: inherit; padding: 0.7rem 0.8rem; border-radius: 10px; border: 1px solid var(--kk-border); background: var(--kk-bg); color: var(--kk-text); }
    input[aria-invalid='true'] { border-color: var(--kk-danger); }
    .error { color: var(--kk-danger); min-height: 1.4em; margin: 0.4rem 0 0.8rem; font-size: 0.9rem; }
    button { width: 100%; font: inherit; font-weight: 600; padding: 0.7rem; border: 0; border-radius: 10px; background: var(--kk-accent); color: var(--kk-accent-text); cursor: pointer; }
    button:disabled { opacity: 0.6; cursor: progress; }
    :focus-visible { outline: 3px solid var(--kk-focus); outline-offset: 2px; }
  `;

  override render() {
    return html`
      <form @submit=${this._onSubmit} aria-labelledby="title">
        <h1 id="title">${t('appName')}</h1>
        <p>${t('tagline')}</p>
        <label for="name">${t('nameLabel')}</label>
        <input id="name" name="name" autocomplete="nickname" .value=${this.name} placeholder=${t('namePlaceholder')}
          aria-invalid=${this.error ? 'true' : 'false'} aria-describedby="error" ?disabled=${this.busy} required />
        <div id="error" class="error" role="alert">${this.error}</div>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? t('connecting') : t('enter')}</button>
      </form>
    `;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  private _onSubmit(event: Event): void {
    event.preventDefault();
    const raw = (this.renderRoot.querySelector('input') as HTMLInputElement).value;
    const checked = validateName(raw);
    if (!checked.ok) {
      this.error = errorText(refusal(checked));
      return;
    }
    this.error = '';
    this.dispatchEvent(new CustomEvent('kk-login', { detail: { name: checked.value }, bubbles: true, composed: true }));
  }
}
customElements.define('kk-login', KkLogin);

declare global {
  interface HTMLElementTagNameMap {
    'kk-login': KkLogin;
  }
}
