/**
 * The one codec of the protocol (PROTOCOL.md §3): frames ↔ MessagePack bytes,
 * for version 2 or, when asked, version 1 (whose frames leave out every v2
 * frame type and field [VER-2, VER-3]).
 *
 * `decodeFrame` never throws anything but {@link ProtocolError}: malformed
 * bytes and schema violations become `BAD_FRAME`, unknown type numbers
 * `UNKNOWN_TYPE`, oversize input `TOO_LARGE` [WIRE-4].
 *
 * @module
 */

import { Encoder } from '@msgpack/msgpack';
import { ErrorCode, ProtocolError } from './errors.js';
import { type ClientFrame, type Direction, FRAMES, FRAMES_BY_CODE, type Frame, type ServerFrame } from './frames.js';
import { DEFAULT_LIMITS, MAX_DEPTH, MAX_REQUEST_ID, MAX_SERVER_FRAME_BYTES } from './limits.js';
import { MalformedInput, readValue } from './reader.js';
import { convertInto, SchemaViolation } from './schema.js';
import { PROTOCOL_VERSION } from './version.js';

/** Options of {@link decodeFrame}. */
export type DecodeOptions = Readonly<
  Partial<{
    /**
     * Largest input accepted, in bytes. Default: `MAX_SERVER_FRAME_BYTES`
     * (what a client must accept); servers pass their `limits.maxFrameBytes`.
     */
    maxBytes: number;
    /**
     * Accept only frames sent in this direction; frames of the other
     * direction are refused with `UNKNOWN_TYPE`. Default: both.
     */
    direction: Direction;
    /**
     * The session's protocol version: frame types it does not define are
     * `UNKNOWN_TYPE`, fields it does not define are ignored. Default: the
     * newest (`PROTOCOL_VERSION`).
     */
    version: number;
  }>
>;

// msgpack's encoder counts the frame map itself as depth 1, the reader (and
// WIRE-17) as 0: its limit is one more for the same frames. Its
// `ignoreUndefined` would cost a second pass over every map's keys for
// nothing: the schema never puts an undefined value into a wire map.
const encoder = new Encoder({ maxDepth: MAX_DEPTH + 1 });

/**
 * Encodes a frame to the bytes of one binary WebSocket message, for protocol
 * `version` (default: the newest): fields a version does not define are left
 * out. Throws {@link ProtocolError} (`BAD_FRAME`) if the frame breaks its
 * schema, so an invalid frame is never sent, and `UNKNOWN_TYPE` for a frame
 * type the version does not define.
 */
export function encodeFrame(frame: Frame, version: number = PROTOCOL_VERSION): Uint8Array {
  const descriptor = FRAMES[frame.type];
  if (!descriptor || descriptor.since > version) {
    throw new ProtocolError(ErrorCode.UNKNOWN_TYPE, `frame type ${String(frame.type)} is not in version ${version}`);
  }
  let wire: Record<string, unknown>;
  try {
    wire = convertInto({ t: descriptor.code }, descriptor.fields, frame, '', 'out', version);
  } catch (error) {
    throw asProtocolError(error, `cannot encode ${frame.type}`);
  }
  return encoder.encode(wire);
}

/** Decodes the bytes of one binary WebSocket message to a validated frame. */
export function decodeFrame(
  bytes: Uint8Array | ArrayBuffer,
  options: DecodeOptions & { direction: 'client' },
): ClientFrame;
export function decodeFrame(
  bytes: Uint8Array | ArrayBuffer,
  options: DecodeOptions & { direction: 'server' },
): ServerFrame;
export function decodeFrame(bytes: Uint8Array | ArrayBuffer, options?: DecodeOptions): Frame;
export function decodeFrame(bytes: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): Frame {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const maxBytes = options.maxBytes ?? MAX_SERVER_FRAME_BYTES;
  if (view.byteLength > maxBytes) {
    throw new ProtocolError(ErrorCode.TOO_LARGE, `frame of ${view.byteLength} bytes exceeds ${maxBytes}`);
  }
  let read: ReturnType<typeof readValue>;
  try {
    read = readValue(view);
  } catch (error) {
    const detail = error instanceof MalformedInput ? error.message : errorText(error);
    throw new ProtocolError(ErrorCode.BAD_FRAME, `not a MessagePack value: ${detail}`, { cause: error });
  }
  const { value, defect } = read;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw new ProtocolError(ErrorCode.BAD_FRAME, 'a frame must be a MessagePack map');
  }
  const map = value as Record<string, unknown>;
  const requestId = readRequestId(map);
  if (defect) throw new ProtocolError(ErrorCode.BAD_FRAME, `malformed frame: ${defect}`, { requestId });
  const code = map.t;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0) {
    throw new ProtocolError(ErrorCode.BAD_FRAME, 'field t (frame type) must be a non-negative integer', { requestId });
  }
  const version = options.version ?? PROTOCOL_VERSION;
  const descriptor = FRAMES_BY_CODE.get(code);
  if (!descriptor || descriptor.since > version || (options.direction && descriptor.direction !== options.direction)) {
    throw new ProtocolError(ErrorCode.UNKNOWN_TYPE, `unknown frame type ${code}`, { requestId });
  }
  try {
    // The schema has just checked every field of the frame type.
    return convertInto({ type: descriptor.name }, descriptor.fields, map, '', 'in', version) as unknown as Frame;
  } catch (error) {
    throw asProtocolError(error, `bad ${descriptor.name} frame`, requestId);
  }
}

/**
 * The request id of a raw wire map, if it has a valid one, so that an error
 * about a malformed request can still be matched to it [REQ-4].
 * @internal
 */
function readRequestId(map: Record<string, unknown>): number | undefined {
  const raw = Object.hasOwn(map, 'i') ? map.i : undefined;
  return typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= MAX_REQUEST_ID ? raw : undefined;
}

function asProtocolError(error: unknown, context: string, requestId?: number): ProtocolError {
  if (error instanceof ProtocolError) return error;
  const detail = error instanceof SchemaViolation ? error.message : errorText(error);
  return new ProtocolError(ErrorCode.BAD_FRAME, `${context}: ${detail}`, { requestId, cause: error });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Default decode limit for servers: the advertised client frame limit. */
export const DEFAULT_SERVER_DECODE: DecodeOptions = Object.freeze({
  maxBytes: DEFAULT_LIMITS.maxFrameBytes,
  direction: 'client',
});
