/**
 * Remote text is shown literally [SEC-3]: no terminal escape sequence,
 * control character, bidi override or blessed tag from the network reaches
 * the screen as anything but visible characters.
 *
 * @module
 */

// CSI, OSC, DCS/PM/APC/SOS strings and two-character escapes, 7-bit and 8-bit forms.
const ESCAPES =
  /(?:\u001B\[|\u009B)[0-?]*[ -/]*[@-~]|(?:\u001B\]|\u009D)[\s\S]*?(?:\u0007|\u001B\\|\u009C)|(?:\u001B[PX^_]|[\u0090\u0098\u009E\u009F])[\s\S]*?(?:\u001B\\|\u009C)|\u001B[\s\S]?/g;
// Remaining C0/C1 controls (tab and newline are handled by the caller) and DEL.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Bidi embeddings, overrides and isolates could reorder what a line appears to say.
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
// Private-use code points are our own cell markers (see blessed-patch.ts).
const PRIVATE_USE = /[\uE000-\uF8FF\u{F0000}-\u{FFFFD}\u{100000}-\u{10FFFD}]/gu;

/** Makes one line of remote text inert: escapes removed, controls shown as `�`, tabs as spaces. */
export function inert(text: string): string {
  return text
    .replace(ESCAPES, '�')
    .replace(/\t/g, '    ')
    .replace(/\r\n?|\n/g, ' ')
    .replace(CONTROLS, '�')
    .replace(BIDI, '')
    .replace(PRIVATE_USE, '�');
}

/** Escapes blessed tag syntax so `{bold}` is shown as typed. */
export function escapeTags(text: string): string {
  return text.replace(/[{}]/g, (ch) => (ch === '{' ? '{open}' : '{close}'));
}

/** Remote text ready for a tag-enabled blessed element. */
export function safe(text: string): string {
  return escapeTags(inert(text));
}

/** The lines of a multi-line message, each made safe. */
export function safeLines(text: string): string[] {
  return text.split(/\r\n?|\n/).map(safe);
}
