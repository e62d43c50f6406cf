/**
 * Variations the spec allows, run through the mutation proxy: the suite
 * must pass them and say so honestly.
 */

import { CloseCode, ErrorCode } from '@kuykan/protocol';
import { on, type ProxyFault } from './tools.js';

/** Variations the spec allows: the suite must pass them (and say so honestly). */
export const BENIGN: readonly (ProxyFault & { readonly verdict: RegExp })[] = [
  {
    name: 'closes-4005-after-rate-limit',
    requirement: '',
    only: 'limits',
    verdict: /RESULT: no failure in the selected tests/,
    // A rate the proxied server surely outpaces, so the limit is reached whatever the machine's load.
    server: { limits: { sendRate: 50, sendBurst: 50 } },
    make: () => ({
      down(frame, s) {
        if (frame.type !== 'error' || frame.code !== ErrorCode.RATE_LIMITED) return undefined;
        const n = ((s.state.limited as number | undefined) ?? 0) + 1;
        s.state.limited = n;
        // LIMIT-4 MAY: persistent abuse is closed with 4005 after a few refusals; nothing follows the close.
        if (n === 3) {
          s.push(frame);
          s.client.close(CloseCode.RATE_ABUSE, 'rate abuse');
          return [];
        }
        return undefined;
      },
    }),
  },
  {
    name: 'no-capabilities',
    requirement: '',
    only: '',
    verdict:
      /RESULT: conformant to the core profile \(without (v2, )?history, typing, resume, auth\.token, files\); \d+ requirements not offered/,
    make: on('welcome', (f) => ({ ...f, capabilities: [] })),
  },
  {
    name: 'speaks-version-1-only',
    requirement: '',
    only: '',
    verdict: /RESULT: conformant to the core profile \(without v2, auth\.token, files\); \d+ requirements not offered/,
    // A server that never learnt version 2: every hello reaches it offering [1] alone.
    make: () => ({
      up: (frame) => (frame.type === 'hello' && frame.versions.includes(1) ? { ...frame, versions: [1] } : frame),
    }),
  },
];
