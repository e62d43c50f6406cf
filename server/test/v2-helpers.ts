/**
 * Helpers of the version 2 tests: requests that must succeed, and the
 * entries and records a session received.
 */

import type { AckFrame, ChatMessage, MessageFrame, ServerFrame } from '@kuykan/protocol';
import { expect } from 'vitest';
import type { RawClient } from './helpers.js';

let clientIds = 0;

/** A fresh clientId. */
export function cid(): string {
  clientIds += 1;
  return `c-${clientIds}`;
}

/** Sends a message (v2 fields optional) and returns its ack. */
export async function say(
  client: RawClient,
  room: string,
  text: string,
  extra: { replyTo?: string; mentions?: string[]; clientId?: string; files?: string[] } = {},
): Promise<AckFrame> {
  const reply = await client.request({ type: 'send', room, text, clientId: extra.clientId ?? cid(), ...extra });
  expect(reply, JSON.stringify(reply)).toMatchObject({ type: 'ack' });
  return reply as AckFrame;
}

/** Expects a request's reply to be an error with `code`. */
export function refused(reply: ServerFrame, code: number): void {
  expect(reply, JSON.stringify(reply)).toMatchObject({ type: 'error', code });
}

/** The `message` frames a session received for a room, in order. */
export function entriesOf(client: RawClient, room: string): MessageFrame[] {
  return client.of('message').filter((m) => m.room === room);
}

/** The record of one message in a page or joined. */
export function recordOf(messages: ChatMessage[], messageId: string): ChatMessage {
  const record = messages.find((m) => m.messageId === messageId);
  expect(record, `no record of ${messageId}`).toBeDefined();
  return record!;
}

/** A page of history that must succeed. */
export async function page(
  client: RawClient,
  room: string,
  query: { before?: number; after?: number; limit?: number } = {},
) {
  const reply = await client.request({ type: 'history', room, ...query });
  expect(reply, JSON.stringify(reply)).toMatchObject({ type: 'page' });
  return reply as Extract<ServerFrame, { type: 'page' }>;
}
