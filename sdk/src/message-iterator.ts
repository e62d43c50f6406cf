/**
 * `room.messages()`: a room's live messages as an async iterator.
 *
 * @module
 */

import type { Emitter } from './emitter.js';
import type { MessageContext, RoomEvents } from './types.js';

type Message = MessageContext['message'];

/**
 * Iterates the `message` events of `room` from now on. `stops` receives the
 * function that ends the iteration, so the room can end it when it is left.
 * @internal
 */
export function iterateMessages(room: Emitter<RoomEvents>, stops: Set<() => void>): AsyncIterableIterator<Message> {
  const queue: Message[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const onMessage = (ctx: MessageContext) => {
    queue.push(ctx.message);
    wake?.();
  };
  const stop = () => {
    done = true;
    room.off('message', onMessage);
    wake?.();
  };
  room.on('message', onMessage);
  stops.add(stop);
  const iterator: AsyncIterableIterator<Message> = {
    [Symbol.asyncIterator]: () => iterator,
    next: async () => {
      while (queue.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
      const value = queue.shift();
      return value ? { value, done: false } : { value: undefined, done: true };
    },
    return: async () => {
      stop();
      stops.delete(stop);
      return { value: undefined, done: true };
    },
  };
  return iterator;
}
