import { css, html, LitElement } from 'lit';

/**
 * The emoji picker (emoji-mart with its data bundled, no CDN), loaded on
 * first open into its own chunk so the first paint stays small.
 *
 * @fires kk-emoji - detail `{ native }` when an emoji is picked
 * @fires kk-close - when the picker asks to close (Escape or click outside)
 */
export class KkEmojiPicker extends LitElement {
  static override styles = css`
    :host { display: block; }
    .loading { padding: 1rem; background: var(--kk-surface); border: 1px solid var(--kk-border); border-radius: 10px; }
  `;

  override render() {
    return html`<div class="loading" role="status">…</div>`;
  }

  override async firstUpdated(): Promise<void> {
    const [{ Picker }, data] = await Promise.all([import('emoji-mart'), import('@emoji-mart/data')]);
    const dark =
      document.documentElement.dataset.theme === 'dark' ||
      (document.documentElement.dataset.theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
    const picker = new Picker({
      data: data.default ?? data,
      theme: dark ? 'dark' : 'light',
      previewPosition: 'none',
      skinTonePosition: 'search',
      autoFocus: true,
      onEmojiSelect: (emoji: { native: string }) =>
        this.dispatchEvent(
          new CustomEvent('kk-emoji', { detail: { native: emoji.native }, bubbles: true, composed: true }),
        ),
      onClickOutside: () => this.dispatchEvent(new CustomEvent('kk-close', { bubbles: true, composed: true })),
    });
    this.renderRoot.replaceChildren(picker as unknown as Node);
  }
}
customElements.define('kk-emoji-picker', KkEmojiPicker);

declare global {
  interface HTMLElementTagNameMap {
    'kk-emoji-picker': KkEmojiPicker;
  }
}
