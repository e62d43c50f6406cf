import { describe, expect, it } from 'vitest';
import { parseFaults } from '../src/faults.js';
import { FAULTS } from '../src/index.js';
import { member, startTestServer } from './helpers.js';

describe('fault injection (test only)', () => {
  it('refuses unknown fault names so a typo cannot silently test a clean server', () => {
    expect(() => parseFaults('duplicate-fanout,nonsense')).toThrow(/unknown fault "nonsense"/);
    expect(parseFaults(' seq-gap , resume-skip ')).toEqual(['seq-gap', 'resume-skip']);
  });

  it('documents the requirement each fault breaks', () => {
    for (const text of Object.values(FAULTS)) expect(text).toMatch(/^[A-Z]+-\d+: /);
  });

  it('changes behaviour when a fault is on (duplicate-fanout delivers twice)', async () => {
    const server = await startTestServer({ faults: ['duplicate-fanout'] });
    const a = await member(server.url, 'fa', 'faulty');
    const b = await member(server.url, 'fb', 'faulty');
    await a.request({ type: 'send', room: 'faulty', clientId: 'x', text: 'twice' });
    await b.barrier();
    expect(b.of('message')).toHaveLength(2);
    a.close();
    b.close();
    await server.close();
  });
});
