/**
 * Routes each request frame to its handler.
 *
 * @module
 */

import type { RequestFrame } from '@kuykan/protocol';
import { ErrorCode, ProtocolError } from '@kuykan/protocol';
import type { Session } from '../session.js';
import { handleDelete, handleEdit, handleReact } from './changes.js';
import { handleDm } from './direct.js';
import { handleUpload } from './files.js';
import { handleHistory, handleSend, handleTyping } from './messages.js';
import { handleRead } from './read.js';
import { handleRooms } from './room-list.js';
import { handleJoin, handleLeave } from './rooms.js';
import { handleHello, handleLogin } from './session.js';

export { pipelines } from './messages.js';
export { handleHello };

/**
 * Handles one request after the handshake. Throws (or rejects with)
 * ProtocolError to refuse it. Not async itself: it hands on its handler's
 * promise, rather than wrap it in one more for every frame.
 */
export function handleFrame(session: Session, frame: RequestFrame): Promise<void> {
  switch (frame.type) {
    case 'ping':
      return handlePing(session, frame.id);
    case 'login':
      return handleLogin(session, frame);
  }
  if (!session.user) throw new ProtocolError(ErrorCode.NOT_LOGGED_IN, 'log in first');
  switch (frame.type) {
    case 'join':
      return handleJoin(session, frame);
    case 'leave':
      return handleLeave(session, frame);
    case 'rooms':
      return handleRooms(session, frame);
    case 'send':
      return handleSend(session, frame);
    case 'history':
      return handleHistory(session, frame);
    case 'typing':
      return handleTyping(session, frame);
    // v2 frames: a v1 session never decodes them [VER-3], so they reach here on v2 sessions only.
    case 'edit':
      return handleEdit(session, frame);
    case 'delete':
      return handleDelete(session, frame);
    case 'react':
      return handleReact(session, frame);
    case 'read':
      return handleRead(session, frame);
    case 'dm':
      return handleDm(session, frame);
    case 'upload':
      return handleUpload(session, frame);
  }
}

async function handlePing(session: Session, id: number): Promise<void> {
  await syncBarrier(session);
  session.send({ type: 'pong', id });
}

/**
 * Waits until every event of the session's rooms that other nodes published
 * before the ping has been delivered here, so the pong follows them; in v2
 * also its user's events (read markers, mentions), which need no room
 * [PING-3]. This node's own events are delivered before their requests are
 * answered.
 */
async function syncBarrier(session: Session): Promise<void> {
  // The session's array of rooms is replaced, never changed, on join and leave: this one stays as it is.
  const { rooms } = session;
  if (rooms.length === 0 && session.version < 2) return;
  await session.hub.cluster.barrier();
  await Promise.all(rooms.map((room) => room.settled()));
}
