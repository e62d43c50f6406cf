/**
 * Read markers [READ-1]: one per identity and room, moving forward only.
 * A lasting identity's markers live in the store; a keyless user's live on
 * its user object and are forgotten with it, as [READ-1] allows (a keyless
 * identity never returns, §8).
 *
 * @module
 */

import { isLasting } from './identity.js';
import type { ChatStore } from './store/types.js';
import type { User } from './users.js';

interface Marker {
  epoch: string;
  seq: number;
}

const transient = new WeakMap<User, Map<string, Marker>>();

/** The user's marker in the room's log of `epoch`; 0 when none. */
export async function readMarkerOf(chat: ChatStore, user: User, room: string, epoch: string): Promise<number> {
  if (isLasting(user.identity)) return chat.readMarker(user.identity, room, epoch);
  const marker = transient.get(user)?.get(room);
  return marker?.epoch === epoch ? marker.seq : 0;
}

/** Moves the user's marker forward to `seq`; resolves whether it moved. */
export async function moveReadMarker(
  chat: ChatStore,
  user: User,
  room: string,
  epoch: string,
  seq: number,
): Promise<boolean> {
  if (isLasting(user.identity)) return chat.moveReadMarker(user.identity, room, epoch, seq);
  if (seq <= (await readMarkerOf(chat, user, room, epoch))) return false;
  let markers = transient.get(user);
  if (!markers) {
    markers = new Map();
    transient.set(user, markers);
  }
  markers.set(room, { epoch, seq });
  return true;
}
