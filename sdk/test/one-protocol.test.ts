import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as bundle } from 'esbuild';
import { build, type Options } from 'tsup';
import { describe, expect, it } from 'vitest';
import configs from '../tsup.config.js';

const sdk = fileURLToPath(new URL('..', import.meta.url));
const protocolSource = fileURLToPath(new URL('../../spec/src/index.ts', import.meta.url));

describe('browser build', () => {
  it('leaves @kuykan/protocol an import, so a bundled page has one ProtocolError class', async () => {
    const browser = (configs as Options[]).find((c) => 'browser' in (c.entry as Record<string, string>))!;
    const out = mkdtempSync(join(tmpdir(), 'kuykan-sdk-browser-'));
    try {
      // The package's own browser build, as published (without types, which take long). tsup
      // leaves the dependencies of the package.json in its working directory external; this
      // process runs elsewhere, so they are named here (the config's `noExternal` would still win).
      const { dependencies } = JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      await build({
        external: Object.keys(dependencies),
        ...browser,
        entry: { browser: join(sdk, 'src/browser.ts') },
        outDir: out,
        dts: false,
        sourcemap: false,
        silent: true,
        config: false,
      });
      expect(readFileSync(join(out, 'browser.js'), 'utf8')).toMatch(/from "@kuykan\/protocol"/);
      // A page that takes the class from both packages, bundled the way an app's bundler would.
      const page = await bundle({
        stdin: {
          contents: `
            import { ProtocolError as FromSdk, ErrorCode } from ${JSON.stringify(join(out, 'browser.js'))};
            import { ProtocolError } from '@kuykan/protocol';
            export const same = FromSdk === ProtocolError;
            export const recognised = new FromSdk(ErrorCode.NAME_TAKEN, 'taken') instanceof ProtocolError;`,
          resolveDir: sdk,
        },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        plugins: [
          {
            name: 'protocol-from-source',
            setup: (b) => b.onResolve({ filter: /^@kuykan\/protocol$/ }, () => ({ path: protocolSource })),
          },
        ],
      });
      const file = join(out, 'page.mjs');
      writeFileSync(file, page.outputFiles[0]!.contents);
      const { same, recognised } = (await import(pathToFileURL(file).href)) as { same: boolean; recognised: boolean };
      expect({ same, recognised }).toEqual({ same: true, recognised: true });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
