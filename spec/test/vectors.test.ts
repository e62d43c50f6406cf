import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type DecodeOptions,
  decodeFrame,
  ERROR_CODE_NAMES,
  encodeFrame,
  FRAMES,
  type Frame,
  ProtocolError,
} from '../src/index.js';

const dir = fileURLToPath(new URL('../vectors/', import.meta.url));
const read = (name: string) => JSON.parse(readFileSync(`${dir}${name}`, 'utf8'));
const valid = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'invalid.json' && f !== 'accepted.json');
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

describe('test vectors', () => {
  it('has a vector file for every frame type', () => {
    expect(valid.map((f) => f.replace('.json', '')).sort()).toEqual(Object.keys(FRAMES).sort());
  });

  describe.each(valid)('%s', (file) => {
    const { frame, vectors } = read(file) as {
      frame: string;
      vectors: Array<{ description: string; hex: string; value: Frame; version?: number; decoded?: Frame }>;
    };
    it.each(vectors.map((v) => [v.description, v] as const))('encodes and decodes: %s', (_d, vector) => {
      expect(vector.value.type).toBe(frame);
      // A vector with a version is the frame as a session of that version receives it [VER-2].
      expect(Buffer.from(encodeFrame(vector.value, vector.version)).toString('hex')).toBe(vector.hex);
      expect(decodeFrame(bytes(vector.hex), { version: vector.version })).toEqual(vector.decoded ?? vector.value);
    });
  });

  describe('invalid inputs', () => {
    const { cases } = read('invalid.json') as {
      cases: Array<{
        description: string;
        hex: string;
        error: string;
        requestId?: number;
        maxBytes?: number;
        direction?: 'client';
      }>;
    };
    it('has at least 15 cases', () => expect(cases.length).toBeGreaterThanOrEqual(15));
    it.each(cases.map((c) => [c.description, c] as const))('refuses %s', (_d, c) => {
      const options: DecodeOptions = {
        ...(c.maxBytes ? { maxBytes: c.maxBytes } : {}),
        ...(c.direction ? { direction: c.direction } : {}),
      };
      let caught: unknown;
      try {
        decodeFrame(bytes(c.hex), options);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ProtocolError);
      const error = caught as ProtocolError;
      expect(ERROR_CODE_NAMES[error.code]).toBe(c.error);
      expect(error.requestId).toBe(c.requestId);
    });
  });

  describe('accepted inputs', () => {
    const { cases } = read('accepted.json') as {
      cases: Array<{ description: string; hex: string; value: Frame }>;
    };
    it.each(cases.map((c) => [c.description, c] as const))('accepts %s', (_d, c) => {
      expect(decodeFrame(bytes(c.hex), { direction: 'client' })).toEqual(c.value);
    });
  });

  it('matches the 83-byte send example of PROTOCOL.md Appendix A', () => {
    const spec = readFileSync(fileURLToPath(new URL('../PROTOCOL.md', import.meta.url)), 'utf8');
    const encoded = encodeFrame({
      type: 'send',
      id: 7,
      room: 'lobby',
      clientId: 'c-8f3a2b1c',
      text: 'สวัสดีครับ ทุกคน 👋',
    });
    expect(spec).toContain(`is ${encoded.length} bytes`);
    expect(encoded.length).toBe(83);
    const hex = Buffer.from(encoded).toString('hex');
    expect(hex.startsWith('85a17405a16907a172a56c6f626279a163aa632d3866336132623163a178d933e0b8aa')).toBe(true);
    expect(hex.endsWith('f09f918b')).toBe(true);
  });
});
