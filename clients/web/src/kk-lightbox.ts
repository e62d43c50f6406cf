import { css, html, LitElement } from 'lit';
import { t } from './i18n.js';

/** What the lightbox shows: the full image, its name, and the button that opened it. */
export interface LightboxImage {
  /** The attachment's URL (the server's signed link, already checked to be http(s)). */
  url: string;
  /** The file name, made safe for display; shown as text only. */
  name: string;
  /** Gets the focus back when the lightbox closes. */
  opener: HTMLElement;
}

/**
 * An image at full size in a modal `<dialog>`, fitted to the viewport, with
 * its name as the caption and a download link. Escape, the close button or a
 * click on the backdrop closes it, and the focus goes back to the image that
 * opened it. Loaded on the first image opened (kept out of the first paint);
 * one element serves the whole page.
 */
export class KkLightbox extends LitElement {
  static override properties = { image: { attribute: false } };
  declare image: LightboxImage | undefined;

  static override styles = css`
    dialog { padding: 0; border: none; border-radius: 10px; max-width: 100vw; max-height: 100vh; background: var(--kk-surface); color: var(--kk-text); overflow: hidden; }
    dialog::backdrop { background: rgb(0 0 0 / 0.75); }
    figure { margin: 0; display: flex; flex-direction: column; }
    img { display: block; max-width: calc(100vw - 2rem); max-height: calc(100vh - 6rem); object-fit: contain; background: var(--kk-surface-2); }
    figcaption { display: flex; align-items: center; gap: 0.75rem; padding: 0.5rem 0.75rem; min-width: 0; }
    .name { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; unicode-bidi: isolate; }
    a, button { font: inherit; font-size: 0.9rem; flex: none; }
    a { color: var(--kk-link); }
    button { border: 1px solid var(--kk-border); border-radius: 6px; background: var(--kk-bg); color: var(--kk-text); padding: 0.15rem 0.6rem; cursor: pointer; }
    :focus-visible { outline: 3px solid var(--kk-focus); outline-offset: 1px; }
  `;

  override render() {
    const image = this.image;
    return html`<dialog aria-labelledby="caption" @click=${this._onClick} @close=${this._onClose}>
      ${
        image
          ? html`<figure>
          <img src=${image.url} alt=${image.name} />
          <figcaption><span id="caption" class="name" dir="auto">${image.name}</span>
            <a href=${image.url} download=${image.name} target="_blank" rel="noopener noreferrer">${t('downloadImage')}</a>
            <button @click=${this.close}>${t('closeImage')}</button></figcaption>
        </figure>`
          : ''
      }
    </dialog>`;
  }

  /** Shows `image` modally; resolves once it is on screen (the image itself may still be loading). */
  async show(image: LightboxImage): Promise<void> {
    this.image = image;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog')!;
    if (!dialog.open) dialog.showModal();
  }

  /** Closes the lightbox (the focus goes back to the opener). */
  close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  /** A click on the dialog itself, not on its content, is a click on the backdrop. */
  private _onClick(event: MouseEvent): void {
    if (event.target === event.currentTarget) this.close();
  }

  private _onClose(): void {
    const opener = this.image?.opener;
    // Drop the full image: a closed lightbox holds no large bitmap.
    this.image = undefined;
    opener?.focus();
  }
}
customElements.define('kk-lightbox', KkLightbox);

/** Opens `image` in the page's lightbox, made on first use. */
export function openLightbox(image: LightboxImage): Promise<void> {
  let box = document.querySelector('kk-lightbox');
  if (!box) box = document.body.appendChild(document.createElement('kk-lightbox'));
  return box.show(image);
}

declare global {
  interface HTMLElementTagNameMap {
    'kk-lightbox': KkLightbox;
  }
}
