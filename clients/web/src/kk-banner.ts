import { css, html, LitElement, nothing } from 'lit';
import { t } from './i18n.js';

/** The connection banner: reconnecting, offline, back, or closed, driven by SDK state. */
export class KkBanner extends LitElement {
  static override properties = { kind: { type: String }, reason: { type: String } };

  /** 'reconnecting' | 'back' | 'closed', or empty for no banner. */
  declare kind: string;
  /** Why the connection closed, for 'closed'. */
  declare reason: string;

  constructor() {
    super();
    this.kind = '';
    this.reason = '';
  }

  static override styles = css`
    div { padding: 0.5rem 1rem; text-align: center; font-size: 0.9rem; }
    .reconnecting { background: #fef3c7; color: #78350f; }
    .back { background: #d1fae5; color: #064e3b; }
    .closed { background: #fee4e2; color: #7a271a; }
  `;

  override render() {
    if (!this.kind) return nothing;
    const text =
      this.kind === 'reconnecting'
        ? navigator.onLine
          ? t('reconnecting')
          : t('offline')
        : this.kind === 'back'
          ? t('back')
          : t('closed', { reason: this.reason });
    return html`<div class=${this.kind} role="status" aria-live="assertive">${text}</div>`;
  }
}
customElements.define('kk-banner', KkBanner);

declare global {
  interface HTMLElementTagNameMap {
    'kk-banner': KkBanner;
  }
}
