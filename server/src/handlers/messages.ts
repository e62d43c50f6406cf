/**
 * `send` (PROTOCOL.md §10, §16.7, §16.8), `history` (§12) and `typing` (§11).
 *
 * @module
 */

import {
  type ChatMessage,
  type Checked,
  ErrorCode,
  type Frame,
  type HistoryFrame,
  isDirectRoom,
  MAX_SERVER_FRAME_BYTES,
  type PageFrame,
  PROTOCOL_VERSION,
  ProtocolError,
  type SendFrame,
  type TypingFrame,
  validateClientId,
  validateMentions,
  validateText,
} from '@kuykan/protocol';
import { encodeFor } from '../encoding.js';
import type { Room } from '../rooms.js';
import type { Session } from '../session.js';
import type { AppendResult, RangeQuery } from '../store/index.js';
import { answerEntry, appendEntry, commitEntry, type EntryInput } from './commit.js';
import { checkFiles, fileHolding } from './files.js';
import { refuse } from './refusal.js';
import { joinedRoom } from './rooms.js';

/**
 * Whether a frame may be taken while the sends before it are still being
 * answered: a send without files, whose append goes to the store at once
 * (files are claimed first, in order with everything else).
 */
export function pipelines(frame: Frame): boolean {
  return frame.type === 'send' && !frame.files?.length;
}

/**
 * Commits a message and delivers it [MSG-9]; in v2 it may answer another
 * message [REPLY-1] and mention users, who hear of it [MENTION-2], and it
 * may attach files (§17, through the file service). Checks in the order of
 * §5.4; the store checks `replyTo` once the clientId is known to be new.
 * A send without files is answered through the session's pipeline.
 */
export async function handleSend(session: Session, frame: SendFrame): Promise<void> {
  const room = joinedRoom(session, frame.room);
  const files = frame.files ?? [];
  check(validateClientId(frame.clientId));
  // A message of files only may have no text [MSG-1].
  if (files.length === 0 || frame.text !== '') check(validateText(frame.text, session.hub.limits.maxTextLength));
  const mentions = frame.mentions && checkMentions(session, frame.mentions);
  checkFiles(session, files);
  const input: EntryInput = { clientId: frame.clientId, text: frame.text };
  if (frame.replyTo !== undefined) input.replyTo = frame.replyTo;
  if (mentions?.length) input.mentions = mentions;
  if (files.length > 0) {
    const result = await commitEntry(session, room, frame.id, input, fileHolding(session, room, frame.clientId, files));
    await notifyMentioned(session, room, result);
    return;
  }
  const received = performance.now();
  const appended = appendEntry(session, room, input);
  // Settled by the pipeline; a rejection left for it must not count as unhandled meanwhile.
  appended.catch(() => {});
  session.pipeline(async () => {
    try {
      const result = await appended;
      await answerEntry(session, room, frame.id, input, result);
      session.hub.metrics.acked(received);
      await notifyMentioned(session, room, result);
    } catch (error) {
      refuse(session, frame, error);
    }
  });
}

/** Tells the users a new message mentions, or the peer of a direct room, of it [MENTION-2]. */
async function notifyMentioned(session: Session, room: Room, { message, duplicate }: AppendResult): Promise<void> {
  const { chat, notifier } = session.hub;
  if (duplicate || !chat) return;
  const direct = isDirectRoom(room.name) ? await chat.directRoom(room.name) : undefined;
  notifier.mentioned(room.name, message, session.user!, direct);
}

/**
 * Serves one page before, after, or at the end of the log [HIST-1..4]: of
 * folded message records in v2 [FOLD-4], of the messages that are not
 * deleted in v1 [VER-4], so `more` is exact for what the session sees.
 */
export async function handleHistory(session: Session, frame: HistoryFrame): Promise<void> {
  const { hub } = session;
  const room = joinedRoom(session, frame.room);
  if (frame.before !== undefined && frame.after !== undefined) {
    throw new ProtocolError(ErrorCode.HISTORY_INVALID, 'give before or after, not both');
  }
  const limit = frame.limit ?? hub.limits.historyPageMax;
  if (limit < 1 || limit > hub.limits.historyPageMax) {
    throw new ProtocolError(ErrorCode.HISTORY_INVALID, `limit must be 1 to ${hub.limits.historyPageMax}`);
  }
  session.takeToken(session.historyBucket);
  // Messages acked on other nodes before this request first reach this node's room [HIST-5]
  // (a join waits the same way, see Hub.attach); on one node both waits are immediate.
  await hub.cluster.barrier();
  await room.settled().catch(() => {});
  // Only delivered messages are history: nothing past the room's snapshot seq.
  const top = room.lastSeq + 1;
  let messages: ChatMessage[];
  let more: boolean;
  if (frame.after !== undefined) {
    const rows = await hub.metrics.timeStore('range', () =>
      hub.store.range(room.name, {
        afterSeq: frame.after!,
        beforeSeq: top,
        limit: limit + 1,
        newest: false,
        ...pageView(session),
      }),
    );
    more = rows.length > limit;
    messages = rows.slice(0, limit);
  } else {
    const before = Math.min(frame.before ?? top, top);
    const rows = await hub.metrics.timeStore('range', () =>
      hub.store.range(room.name, { beforeSeq: before, limit: limit + 1, newest: true, ...pageView(session) }),
    );
    more = rows.length > limit;
    messages = more ? rows.slice(1) : rows;
  }
  const page: PageFrame = { type: 'page', id: frame.id, room: room.name, messages, more };
  session.send(fitPage(page, frame.after !== undefined, session.version));
}

/**
 * Shrinks a page over 4 MiB to the messages nearest its starting point, with
 * `more: true`, so that no server frame exceeds what clients accept [WIRE-6].
 */
export function fitPage(page: PageFrame, forward: boolean, version = PROTOCOL_VERSION): PageFrame {
  let fitted = page;
  while (fitted.messages.length > 1 && encodeFor(fitted, version).byteLength > MAX_SERVER_FRAME_BYTES) {
    const keep = Math.floor(fitted.messages.length / 2);
    const messages = forward ? fitted.messages.slice(0, keep) : fitted.messages.slice(-keep);
    fitted = { ...fitted, messages, more: true };
  }
  return fitted;
}

/** Which records a session's pages and `joined` hold, and whose reactions they show. */
export function pageView(session: Session): Pick<RangeQuery, 'records' | 'viewer'> {
  return session.version >= 2 ? { records: 'messages', viewer: session.user!.identity } : { records: 'visible' };
}

function check(checked: Checked): void {
  if (!checked.ok) throw new ProtocolError(checked.code, checked.reason);
}

/** The normalized mentions of a message or edit, or MENTIONS_INVALID [MENTION-1]. */
export function checkMentions(session: Session, names: readonly string[]): string[] {
  const { limits } = session.hub;
  const checked = validateMentions(names, limits.maxMentions, limits.maxNameLength);
  if (!checked.ok) throw new ProtocolError(checked.code, checked.reason);
  return checked.value;
}

/** Relays a typing indication [TYPE-1]; never stored [TYPE-2]. */
export async function handleTyping(session: Session, frame: TypingFrame): Promise<void> {
  const room = joinedRoom(session, frame.room);
  session.takeToken();
  room.setTyping(session.user!, frame.active);
  session.send({ type: 'ok', id: frame.id });
}
