import { ClientError, ProtocolError } from '@kuykan/sdk';
import { describe, expect, it } from 'vitest';
import { explain, reasonText } from '../src/errors.js';

const socketError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('explain', () => {
  it('words a failed connection from the ClientError cause once, without the SDK sentence around it', () => {
    const dns = new ClientError('CLOSED', 'could not connect to ws://x.invalid:1: host not found in DNS (ENOTFOUND)', {
      closeCode: 1006,
      cause: socketError('ENOTFOUND', 'getaddrinfo ENOTFOUND x.invalid'),
    });
    expect(explain(dns)).toBe('host not found (DNS)');
    const refused = new ClientError('CLOSED', 'could not connect', { cause: socketError('ECONNREFUSED', 'connect') });
    expect(explain(refused)).toBe('connection refused (is the server running on that port?)');
  });

  it('names an HTTP status answered to the upgrade, and a TLS failure', () => {
    const http = new ClientError('CLOSED', 'could not connect: the server answered the upgrade with HTTP 404', {
      httpStatus: 404,
      cause: new Error('Unexpected server response: 404'),
    });
    expect(explain(http)).toBe('HTTP 404 Not Found (not a Kuykan WebSocket endpoint?)');
    const tls = new ClientError('CLOSED', 'could not connect', {
      cause: socketError('CERT_HAS_EXPIRED', 'certificate has expired'),
    });
    expect(explain(tls)).toBe('TLS: certificate has expired');
  });

  it('gives other errors their own message, a cancelled upload too', () => {
    const aborted = new ClientError('ABORTED', 'the upload was cancelled', {
      cause: socketError('ABORT_ERR', 'aborted'),
    });
    expect(explain(aborted)).toBe('the upload was cancelled');
    expect(explain(new ClientError('TIMEOUT', 'no welcome from ws://x'))).toBe('no welcome from ws://x');
    expect(explain(new ProtocolError(202, 'name taken'))).toBe('name taken');
    expect(explain('plain')).toBe('plain');
  });
});

describe('reasonText', () => {
  it('leaves the URL out of a failed attempt (the status bar names the server)', () => {
    expect(
      reasonText({ code: 1006, message: 'could not connect to ws://127.0.0.1:9: connection refused (ECONNREFUSED)' }),
    ).toBe('connection refused (ECONNREFUSED)');
    expect(reasonText({ code: 1006, message: '' })).toBe('closed with 1006');
    expect(reasonText({ code: 0, message: '' })).toBe('connection lost');
  });
});
