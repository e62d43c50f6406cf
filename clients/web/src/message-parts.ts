/**
 * The version 2 parts of a message bubble, as Lit templates: the quoted
 * message a reply answers, the edited marker, the tombstone of a deleted
 * message, reaction chips and attachments. Every name and text here is a
 * text binding or an attribute value (file names are hostile text too), and
 * every URL comes from the server's signed links, never built from a name.
 * The bot badge is shared with the online users list, so both mark a bot alike.
 *
 * @module
 */
import type { Attachment, Reaction, ReplyPreview } from '@kuykan/protocol';
import { css, html, nothing } from 'lit';
import { fullTimeOf, sizeOf } from './format.js';
import { t } from './i18n.js';
import { displayText } from './text.js';

/** Longest side of an inline image, in CSS pixels (the server's thumbnails are 320 px). */
const IMAGE_BOX = 320;

/** The bot badge's look, for every list that marks bots [BOT-2]. */
export const botBadgeStyles = css`
  .bot { font-size: 0.7rem; font-weight: 700; border: 1px solid var(--kk-border); border-radius: 4px; padding: 0 0.25rem; color: var(--kk-muted); flex: none; }
`;

export const messagePartStyles = css`
  ${botBadgeStyles}
  .quote { display: block; width: fit-content; max-width: 100%; box-sizing: border-box; margin: 0.15rem 0 0; padding: 0.1rem 0.6rem; border-left: 3px solid var(--kk-accent); border-radius: 4px; background: var(--kk-surface-2); color: var(--kk-muted); font-size: 0.85rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; unicode-bidi: isolate; }
  .quote b { color: var(--kk-text); font-weight: 600; }
  .quote button { display: block; width: 100%; font: inherit; color: inherit; background: none; border: 0; padding: 0; margin: 0; cursor: pointer; text-align: start; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; unicode-bidi: isolate; }
  .quote button:hover { text-decoration: underline; }
  .edited { font-size: 0.75rem; color: var(--kk-muted); margin-left: 0.3rem; }
  .tombstone { font-style: italic; color: var(--kk-muted); }
  .reactions { display: flex; flex-wrap: wrap; gap: 0.25rem; margin: 0.15rem 0 0.2rem; }
  .chip { font: inherit; font-size: 0.85rem; line-height: 1.4; border: 1px solid var(--kk-border); background: var(--kk-bg); color: var(--kk-text); border-radius: 999px; padding: 0 0.5rem; cursor: pointer; }
  .chip[aria-pressed='true'] { border-color: var(--kk-accent); background: var(--kk-mention); font-weight: 600; }
  .files { display: flex; flex-direction: column; gap: 0.3rem; margin: 0.2rem 0; align-items: flex-start; }
  .thumb { display: block; max-width: 100%; padding: 0; border: none; background: none; border-radius: 8px; cursor: zoom-in; }
  .thumb:focus-visible { outline: 3px solid var(--kk-focus); outline-offset: 2px; }
  .files img { display: block; max-width: min(100%, ${IMAGE_BOX}px); height: auto; border-radius: 8px; border: 1px solid var(--kk-border); background: var(--kk-surface-2); }
  .file { display: inline-flex; gap: 0.4rem; align-items: baseline; max-width: 100%; padding: 0.3rem 0.6rem; border: 1px solid var(--kk-border); border-radius: 8px; color: var(--kk-link); text-decoration: none; }
  .file .fname { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; unicode-bidi: isolate; text-decoration: underline; }
  .file .fsize { color: var(--kk-muted); font-size: 0.8rem; flex: none; }
`;

/**
 * The quoted message a reply answers: its sender and the start of its text,
 * or that it was deleted. Pressing it shows the original (`show`).
 */
export function replyQuote(reply: ReplyPreview | undefined, show: (messageId: string) => void) {
  if (!reply) return nothing;
  const from = displayText(reply.from);
  return html`<div class="quote" dir="auto" role="note" aria-label=${t('inReplyTo', { name: from })}><button type="button"
    title=${t('showOriginal')} @click=${() => show(reply.messageId)}>↩ <b>${from}</b>
    ${reply.deleted ? html`<i>${t('deleted')}</i>` : displayText(reply.text)}</button></div>`;
}

export function editedMarker(editedTs: number | undefined) {
  if (editedTs === undefined) return nothing;
  return html`<span class="edited" title=${t('editedAt', { time: fullTimeOf(editedTs) })}>(${t('edited')})</span>`;
}

export function tombstone() {
  return html`<span class="tombstone">${t('deleted')}</span>`;
}

/** The bot badge: its text (not an icon) is what a screen reader says. Needs {@link botBadgeStyles}. */
export function botBadge(bot: boolean | undefined) {
  return bot ? html`<span class="bot">${t('bot')}</span>` : nothing;
}

/**
 * Reaction chips: one per emoji with its count; mine are pressed, and
 * pressing a chip toggles my reaction with that emoji.
 */
export function reactionChips(
  reactions: readonly Reaction[] | undefined,
  toggle: (emoji: string, on: boolean) => void,
) {
  if (!reactions?.length) return nothing;
  return html`<div class="reactions">${reactions.map(
    (r) => html`<button class="chip" aria-pressed=${r.me ? 'true' : 'false'}
      aria-label=${t('reactionCount', { emoji: r.emoji, count: String(r.count), names: r.names.map(displayText).join(', ') })}
      title=${r.names.map(displayText).join(', ')} @click=${() => toggle(r.emoji, !r.me)}>${r.emoji} ${r.count}</button>`,
  )}</div>`;
}

/** A link the server signed, kept only when it is http(s): a hostile server cannot slip in `javascript:`. */
function safeUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

/** Opens the full image in the lightbox, loaded on the first image opened (kept out of the first paint). */
async function openImage(event: Event, url: string, name: string): Promise<void> {
  const opener = event.currentTarget as HTMLElement;
  try {
    const { openLightbox } = await import('./kk-lightbox.js');
    await openLightbox({ url, name, opener });
  } catch {
    // The chunk could not load (offline, or a newer build replaced it): the image opens in a tab instead.
    window.open(url, '_blank', 'noopener,noreferrer');
  }
}

/**
 * Images inline at their thumbnail's size (space reserved before they load),
 * each a button that opens it full size; other files as download links.
 */
export function attachmentList(attachments: readonly Attachment[] | undefined) {
  if (!attachments?.length) return nothing;
  return html`<div class="files">${attachments.map((file) => {
    const name = displayText(file.name);
    const url = safeUrl(file.url);
    if (!url) return html`<span class="file">📄 <span class="fname" dir="auto">${name}</span></span>`;
    if (file.mediaType.startsWith('image/') && file.width && file.height) {
      const scale = Math.min(1, IMAGE_BOX / Math.max(file.width, file.height));
      return html`<button class="thumb" aria-label=${t('openImage', { name })} @click=${(e: Event) => openImage(e, url, name)}><img
        src=${safeUrl(file.thumbUrl) ?? url} alt=${name} width=${Math.round(file.width * scale)}
        height=${Math.round(file.height * scale)} loading="lazy" /></button>`;
    }
    return html`<a class="file" href=${url} download=${name} target="_blank" rel="noopener noreferrer"
      aria-label=${t('download', { name, size: sizeOf(file.size) })}>📄 <span class="fname" dir="auto">${name}</span>
      <span class="fsize">${sizeOf(file.size)}</span></a>`;
  })}</div>`;
}
