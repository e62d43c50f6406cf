/**
 * How the proxy half of the fault matrix writes a bug: each fault is a
 * rewrite of the reference server's frames by the mutation proxy, with the
 * requirement the suite must name and the sections to run. These helpers
 * build the common rewrites.
 */

import type { ServerFrame } from '@kuykan/protocol';
import type { Mutation, ProxySession } from '../mutation-proxy.js';

export interface ProxyFault {
  readonly name: string;
  /** The requirement the suite must report as FAIL. */
  readonly requirement: string;
  /** `--only` globs: the sections whose tests can see the bug (keeps the matrix fast). */
  readonly only: string;
  /** A fresh mutation per run (some keep state across connections). */
  readonly make: () => Mutation;
  /** Server options beyond the suite's limits (e.g. a real limit the welcome misstates). */
  readonly server?: Record<string, unknown>;
}

export type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/** A mutation of one frame type only. */
export function on<T extends ServerFrame['type']>(
  type: T,
  edit: (f: Frame<T>, s: ProxySession) => (ServerFrame | Uint8Array)[] | ServerFrame | Uint8Array | undefined,
): () => Mutation {
  return () => ({
    down(frame, session) {
      if (frame.type !== type) return undefined;
      const out = edit(frame as Frame<T>, session);
      return out === undefined ? undefined : Array.isArray(out) ? out : [out];
    },
  });
}

/** Replaces error code `from` by `to`. */
export const recode = (from: number, to: number) => on('error', (f) => (f.code === from ? { ...f, code: to } : f));

/** Maps one close code to another. */
export const reclose =
  (from: number, to: number | null): (() => Mutation) =>
  () => ({ close: (code) => (code === from ? to : code) });

/** What the request a reply answers was. */
export const requestOf = (s: ProxySession, id: number | undefined) =>
  id === undefined ? undefined : s.requests.get(id);

/** Stateful dedupe by a wrong key: later sends with the same key get the first ack, their message is dropped. */
export function wrongDedupe(keyOf: (room: string, clientId: string, name: string) => string): () => Mutation {
  return () => {
    const first = new Map<string, { ack: Frame<'ack'>; owner: string }>();
    const dropped = new Set<string>();
    return {
      down(frame, s) {
        if (frame.type === 'message' && frame.clientId !== undefined) {
          const key = keyOf(frame.room, frame.clientId, frame.from);
          if (dropped.has(frame.messageId)) return [];
          const seen = first.get(key);
          if (seen && seen.owner !== `${frame.room}/${frame.from}`) {
            dropped.add(frame.messageId);
            return [];
          }
          return undefined;
        }
        if (frame.type === 'ack') {
          const request = requestOf(s, frame.id);
          if (request?.type !== 'send' || !s.name) return undefined;
          const key = keyOf(frame.room, request.clientId, s.name);
          const seen = first.get(key);
          if (!seen) {
            first.set(key, { ack: frame, owner: `${frame.room}/${s.name}` });
            return undefined;
          }
          if (seen.owner === `${frame.room}/${s.name}`) return undefined;
          dropped.add(frame.messageId);
          return [{ ...seen.ack, id: frame.id }];
        }
        return undefined;
      },
    };
  };
}
