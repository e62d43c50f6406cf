import { css, html, LitElement, nothing } from 'lit';
import { sizeOf } from './format.js';
import { t } from './i18n.js';
import { displayText } from './text.js';
import type { UploadEntry } from './uploads.js';

/**
 * Files on their way to the open room, above the composer: a progress bar
 * and Cancel for each upload, the reason and Dismiss for a failed one, and
 * Retry beside it when the failure may pass (the entry's own `retry`).
 *
 * @fires kk-cancel-upload - detail `{ id }`: cancel an upload, or dismiss a failed one
 */
export class KkUploads extends LitElement {
  static override properties = { entries: { attribute: false } };
  declare entries: readonly UploadEntry[];

  constructor() {
    super();
    this.entries = [];
  }

  static override styles = css`
    :host { display: block; }
    ul { list-style: none; margin: 0 0 0.4rem; padding: 0; display: flex; flex-direction: column; gap: 0.25rem; }
    li { display: flex; align-items: center; gap: 0.5rem; font-size: 0.85rem; min-width: 0; }
    .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; unicode-bidi: isolate; }
    .failed { color: var(--kk-danger); }
    progress { flex: none; width: 6rem; }
    button { font: inherit; font-size: 0.8rem; border: 1px solid var(--kk-border); border-radius: 6px; background: var(--kk-bg); color: var(--kk-text); padding: 0.1rem 0.5rem; cursor: pointer; flex: none; }
    :focus-visible { outline: 3px solid var(--kk-focus); outline-offset: 1px; }
  `;

  override render() {
    if (this.entries.length === 0) return nothing;
    return html`<ul>${this.entries.map((entry) => {
      const name = displayText(entry.name);
      if (entry.error !== undefined) {
        return html`<li class="failed"><span class="name" dir="auto" role="alert">${t('uploadFailed', { name, reason: entry.error })}</span>
          ${entry.retry ? html`<button @click=${entry.retry}>${t('retry')}</button>` : nothing}
          <button @click=${() => this._cancel(entry.id)}>${t('dismiss')}</button></li>`;
      }
      const percent = entry.total > 0 ? Math.floor((100 * entry.sent) / entry.total) : 0;
      const label = t('uploading', { name, percent: String(percent) });
      return html`<li><span class="name" dir="auto" title=${sizeOf(entry.total)}>${label}</span>
        <progress max=${Math.max(entry.total, 1)} .value=${entry.sent} aria-label=${label}></progress>
        <button @click=${() => this._cancel(entry.id)}>${t('cancel')}</button></li>`;
    })}</ul>`;
  }

  private _cancel(id: number): void {
    this.dispatchEvent(new CustomEvent('kk-cancel-upload', { detail: { id }, bubbles: true, composed: true }));
  }
}
customElements.define('kk-uploads', KkUploads);

declare global {
  interface HTMLElementTagNameMap {
    'kk-uploads': KkUploads;
  }
}
