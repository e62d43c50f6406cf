import { createRequire } from 'node:module';
import { ErrorCode, type ProtocolError, validateName } from '@kuykan/protocol';
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../src/cluster/types.js';
import { nameSkeleton } from '../src/skeleton.js';
import { Users } from '../src/users.js';

/** The confusable → prototype table the skeleton uses (Unicode confusables.txt). */
const table = createRequire(import.meta.url)('unhomoglyph/data.json') as Record<string, string>;
/** Every confusable of each prototype. */
const confusablesOf = new Map<string, string[]>();
for (const [from, to] of Object.entries(table)) confusablesOf.set(to, [...(confusablesOf.get(to) ?? []), from]);

const engine: Pick<Cluster, 'claimName' | 'releaseName'> = {
  claimName: async (_key, _secret, user) => user,
  releaseName: () => {},
};
let sessionCount = 0;
const session = () => ({ id: `s${sessionCount++}` });

/** Logs `name` in as the server does: validate, then claim; returns the refusal code, if any. */
async function login(users: Users, name: string, key: string): Promise<number | undefined> {
  const checked = validateName(name);
  if (!checked.ok) return checked.code;
  try {
    await users.claim(session(), checked.value, key);
    return undefined;
  } catch (error) {
    return (error as ProtocolError).code;
  }
}

describe('Users name uniqueness by confusable skeleton [NAME-5, NAME-6]', () => {
  it.each([
    ['аlice', 'Cyrillic а'],
    ['alіce', 'Ukrainian і'],
    ['ａｌｉｃｅ', 'full-width'],
    ['ALICE', 'upper case'],
    ['𝐚𝐥𝐢𝐜𝐞', 'mathematical bold'],
    ['aIice', 'capital I for l'],
  ])('refuses %s (%s) while alice is online', async (name) => {
    const users = new Users(() => 1000, engine);
    expect(await login(users, 'alice', 'k1')).toBeUndefined();
    expect([ErrorCode.NAME_TAKEN, ErrorCode.NAME_INVALID]).toContain(await login(users, name, 'k2'));
    users.clear();
  });

  it('lets a different real name in', async () => {
    const users = new Users(() => 1000, engine);
    await login(users, 'alice', 'k1');
    expect(await login(users, 'alicia', 'k2')).toBeUndefined();
    expect(nameSkeleton('b0b')).toBe(nameSkeleton('bob'));
    users.clear();
  });

  it('refuses every single-letter confusable of names that are online', async () => {
    const online = ['alice', 'admin', 'somchai', 'paypal', 'bob'];
    let tried = 0;
    let refusedAsTaken = 0;
    let refusedAsInvalid = 0;
    const accepted: string[] = [];
    for (const name of online) {
      const users = new Users(() => 1000, engine);
      await login(users, name, 'owner');
      for (let at = 0; at < name.length; at++) {
        for (const lookalike of confusablesOf.get(name[at]!) ?? []) {
          const variant = name.slice(0, at) + lookalike + name.slice(at + 1);
          tried++;
          const code = await login(users, variant, `impostor${tried}`);
          if (code === ErrorCode.NAME_TAKEN) refusedAsTaken++;
          else if (code === ErrorCode.NAME_INVALID) refusedAsInvalid++;
          else accepted.push(variant);
        }
      }
      users.clear();
    }
    console.info(
      `confusable names: ${tried} tried, ${refusedAsTaken + refusedAsInvalid} refused (${refusedAsTaken} NAME_TAKEN, ${refusedAsInvalid} NAME_INVALID)`,
    );
    expect(tried).toBeGreaterThan(300);
    expect(accepted).toEqual([]);
  });
});
