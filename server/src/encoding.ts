/**
 * Frames as a session of each protocol version receives them: the codec
 * leaves out the fields a version does not define [VER-2], and a version 1
 * session sees a message's files as lines of its text [VER-4].
 *
 * @module
 */

import { encodeFrame, type ServerFrame } from '@kuykan/protocol';
import { withFileLines } from './attachments.js';

/** The frame's bytes for a session of `version`. */
export function encodeFor(frame: ServerFrame, version: number): Uint8Array {
  return encodeFrame(version < 2 ? asVersion1(frame) : frame, version);
}

/** The frame with every message's files written into its text, for version 1. */
function asVersion1(frame: ServerFrame): ServerFrame {
  switch (frame.type) {
    case 'message':
      return frame.attachments ? { ...frame, text: withFileLines(frame).text } : frame;
    case 'joined':
    case 'page':
      return frame.messages.some((m) => m.attachments)
        ? { ...frame, messages: frame.messages.map(withFileLines) }
        : frame;
    default:
      return frame;
  }
}
