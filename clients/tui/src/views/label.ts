/**
 * A border label that fits: blessed draws a label as a shrink-to-fit box two
 * columns in from the border's left corner, and wraps what does not fit onto
 * a second line, inside the box it labels; one that reaches the right
 * corner has blessed draw that corner as a side. So a label is cut (by
 * display width, `…`) to the box's width less its corners, its two-column
 * offset, the spaces around it and one column of border.
 *
 * @module
 */
import { encodeClusters } from '../blessed-patch.js';
import { escapeTags, inert } from '../sanitize.js';
import { truncate } from '../width.js';

/** ` text ` for `box.setLabel`, cut to fit a box `width` columns wide; '' for no label. Remote text is made inert. */
export function fitLabel(text: string, width: number): string {
  return text ? ` ${encodeClusters(escapeTags(truncate(inert(text), Math.max(1, width - 6))))} ` : '';
}
