import { describe, expect, it } from 'vitest';
import {
  CLOSE_ADVICE,
  CloseCode,
  closeAdvice,
  ErrorCode,
  isRetryable,
  ProtocolError,
  ReconnectAdvice,
} from '../src/index.js';

describe('close advice [CLOSE-2]', () => {
  it('gives advice for every defined close code', () => {
    for (const code of Object.values(CloseCode)) expect(Object.values(ReconnectAdvice)).toContain(CLOSE_ADVICE[code]);
  });

  it('stops on do-not-reconnect codes and backs off on unknown or abnormal ones', () => {
    expect(closeAdvice(CloseCode.UNAUTHORIZED)).toBe('stop');
    expect(closeAdvice(CloseCode.SLOW_CONSUMER)).toBe('reconnect');
    expect(closeAdvice(1006)).toBe('backoff');
    expect(closeAdvice(4999)).toBe('backoff');
  });
});

describe('ProtocolError', () => {
  it('turns into an error frame and back, keeping code, id and retry-after', () => {
    const error = new ProtocolError(ErrorCode.RATE_LIMITED, 'slow down', { requestId: 9, retryAfterMs: 120 });
    const frame = error.toFrame();
    expect(frame).toEqual({ type: 'error', id: 9, code: 400, message: 'slow down', retryAfterMs: 120 });
    const back = ProtocolError.fromFrame(frame);
    expect(back).toBeInstanceOf(ProtocolError);
    expect(back).toMatchObject({ code: 400, requestId: 9, retryAfterMs: 120, codeName: 'RATE_LIMITED' });
  });

  it('marks only the 4xx and 5xx ranges retryable', () => {
    expect(isRetryable(ErrorCode.RATE_LIMITED)).toBe(true);
    expect(isRetryable(ErrorCode.UNAVAILABLE)).toBe(true);
    expect(isRetryable(ErrorCode.NAME_TAKEN)).toBe(false);
    expect(isRetryable(ErrorCode.BAD_FRAME)).toBe(false);
  });
});
