/**
 * What a user gets from the registry: each publishable package is packed with
 * `npm pack`, the tarballs are installed together into an empty project from
 * the npm cache (the registry is asked only for metadata it lacks), and there they import as ESM and CJS,
 * type-check strictly, and their bins run.
 */

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['spec', 'sdk', 'server', 'conformance', 'clients/emoji', 'clients/tui', 'clients/web'];
const built = PACKAGES.every((dir) => existsSync(join(root, dir, 'dist')));
if (!built) {
  const message = 'the pack test needs `npm run build` first';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n*** SKIPPING pack tests: ${message}\n`);
}

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });

let project: string;
let installSeconds = 0;

describe.skipIf(!built)('packed packages in an empty project', { timeout: 300_000 }, () => {
  beforeAll(() => {
    const tarballs = mkdtempSync(join(tmpdir(), 'kuykan-pack-'));
    run('npm', ['pack', '--silent', '--pack-destination', tarballs, ...PACKAGES.flatMap((p) => ['-w', p])], root);
    project = mkdtempSync(join(tmpdir(), 'kuykan-consumer-'));
    writeFileSync(join(project, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}\n');
    const started = performance.now();
    // --prefer-offline: tarballs come from the cache the repository's own install filled. Install
    // scripts are off: better-sqlite3's native build is exercised by the repository's install,
    // and here the server runs on the memory store.
    run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        ...readdirSync(tarballs).map((t) => join(tarballs, t)),
      ],
      project,
    );
    installSeconds = (performance.now() - started) / 1000;
    console.log(
      `pack test: offline install of ${readdirSync(tarballs).length} tarballs took ${installSeconds.toFixed(1)} s`,
    );
  }, 300_000);

  it('contain what they publish and nothing of the repository around them', () => {
    for (const name of ['protocol', 'sdk', 'server', 'conformance', 'emoji', 'tui', 'web']) {
      const dir = join(project, 'node_modules/@kuykan', name);
      expect(existsSync(join(dir, 'package.json')), name).toBe(true);
      expect(existsSync(join(dir, 'src')), `${name} ships src/`).toBe(false);
      expect(existsSync(join(dir, 'test')), `${name} ships test/`).toBe(false);
    }
    expect(existsSync(join(project, 'node_modules/typed-emitter')), 'typed-emitter is only types').toBe(false);
    expect(existsSync(join(project, 'node_modules/rxjs'))).toBe(false);
  });

  it('import as ES modules and chat through a server started from the package', () => {
    const script = `
      import { KuykanClient } from '@kuykan/sdk';
      import { ChatModel } from '@kuykan/sdk/model';
      import { startServer } from '@kuykan/server';
      import { PROTOCOL_VERSION } from '@kuykan/protocol';
      import { runCli } from '@kuykan/conformance';
      const server = await startServer({ port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'silent' });
      const client = new KuykanClient(server.url, { name: 'packed' });
      await client.connect();
      const room = await client.join('lobby');
      const ack = await room.send('hello from a packed SDK');
      const edited = await room.edit(ack.messageId, 'hello from a packed SDK, edited');
      const model = new ChatModel(client);
      await client.close();
      await server.close();
      console.log(JSON.stringify({ seq: ack.seq, edit: edited.seq, rooms: model.rooms.length, version: PROTOCOL_VERSION, runCli: typeof runCli }));
    `;
    writeFileSync(join(project, 'esm.mjs'), script);
    const out = JSON.parse(run(process.execPath, ['esm.mjs'], project));
    expect(out).toEqual({ seq: 1, edit: 2, rooms: 0, version: 2, runCli: 'function' });
  });

  it('require as CommonJS', () => {
    const script = `
      const protocol = require('@kuykan/protocol');
      const sdk = require('@kuykan/sdk');
      const server = require('@kuykan/server');
      const conformance = require('@kuykan/conformance');
      const frame = protocol.decodeFrame(protocol.encodeFrame({ type: 'ping', id: 7 }), { direction: 'client' });
      console.log(JSON.stringify([frame.id, typeof sdk.KuykanClient, typeof server.startServer, typeof conformance.runCli]));
    `;
    writeFileSync(join(project, 'cjs.cjs'), script);
    expect(JSON.parse(run(process.execPath, ['cjs.cjs'], project))).toEqual([7, 'function', 'function', 'function']);
  });

  it('type-check strictly, library types included', () => {
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(
      join(project, 'src/index.ts'),
      `import { type ChatMessage, encodeFrame } from '@kuykan/protocol';
import { KuykanClient, type MessageContext } from '@kuykan/sdk';
import { type RunningServer, startServer } from '@kuykan/server';
import { runCli } from '@kuykan/conformance';
export async function demo(): Promise<number> {
  const server: RunningServer = await startServer({ port: 0, store: 'memory' });
  const client = new KuykanClient(server.url, { name: 'typed' });
  const room = await client.join('lobby');
  room.on('message', ({ message }: MessageContext) => {
    const m: ChatMessage = message;
    void m.text.toUpperCase();
  });
  void runCli;
  return encodeFrame({ type: 'ping', id: 1 }).byteLength;
}
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(root, 'node_modules/@types')],
        },
        include: ['src'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr, 'tsc').toBe('');
    expect(tsc.status).toBe(0);
  });

  it('run their bins', async () => {
    for (const bin of ['kuykan', 'kuykan-server', 'kuykan-conformance']) {
      const help = spawnSync(join(project, 'node_modules/.bin', bin), ['--help'], { encoding: 'utf8' });
      expect(help.status, `${bin}: ${help.stderr}`).toBe(0);
      expect(help.stdout.toLowerCase(), bin).toContain('usage');
    }
    const server = spawn(
      join(project, 'node_modules/.bin/kuykan-server'),
      ['--port', '0', '--host', '127.0.0.1', '--store', 'memory'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (chunk: Buffer) => {
          out += chunk;
          const found = /http:\/\/[^\s)"]+/.exec(out);
          if (found) resolve(found[0]);
        });
        server.once('exit', (code) => reject(new Error(`kuykan-server exited ${code}: ${out}`)));
      });
      const health = await (await fetch(`${url}/healthz`)).json();
      expect(health).toMatchObject({ status: 'ok', store: 'memory' });
    } finally {
      server.kill('SIGTERM');
    }
  });

  it('fit in CI: the offline install takes under a minute', () => {
    expect(installSeconds).toBeGreaterThan(0);
    expect(installSeconds).toBeLessThan(60);
  });
});
