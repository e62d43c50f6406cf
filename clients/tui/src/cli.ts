#!/usr/bin/env node
/** `kuykan [ws://host:port[,ws://…]] [--name NAME] [--key KEY] [--room ROOM] [--bell]`: the terminal client. */
import { parseArgs } from 'node:util';
import { App } from './app.js';
import { WIDTH_ENV } from './terminal.js';

const ENV: Record<string, string> = {
  KUYKAN_URL: 'server when none is given (default ws://localhost:8080)',
  KUYKAN_KEY: 'login key when --key is not given (other users can read a --key in ps; not this)',
  ...WIDTH_ENV,
  LANG: 'a Thai locale (th_TH.UTF-8) searches emoji in Thai as well as English',
};

const USAGE = `Usage: kuykan [ws://host:port[,ws://…]] [--name NAME] [--key KEY] [--room ROOM] [--bell]

  ws://host:port   server to connect to (default $KUYKAN_URL, else ws://localhost:8080);
                   several comma-separated nodes of one cluster are tried in turn
  --name NAME      log in as NAME (otherwise you are asked)
  --key KEY        login key: the same name and key are you again on the next run
                   (your messages to edit, read markers, direct rooms); default random
  --room ROOM      room to join first (default lobby)
  --bell           ring the terminal bell when someone mentions you (/bell toggles it)
  --help           show this help

Environment:
${Object.entries(ENV)
  .map(([name, text]) => `  ${name.padEnd(22)} ${text}`)
  .join('\n')}

In the client: /help lists keys and commands; Alt+Up selects a message (r reply, e edit,
d delete, + react); Ctrl+E opens the emoji picker; Ctrl+C quits.`;

function fail(message: string): never {
  process.stderr.write(`kuykan: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

let parsed: ReturnType<typeof parseArgs>;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string', short: 'n' },
      key: { type: 'string', short: 'k' },
      room: { type: 'string', short: 'r' },
      bell: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  fail((error as Error).message);
}
if (parsed.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const url = parsed.positionals[0] ?? process.env.KUYKAN_URL ?? 'ws://localhost:8080';
const urls = url.split(',').map((u) => u.trim());
for (const u of urls) if (!/^wss?:\/\/./.test(u)) fail(`"${u}" is not a ws:// or wss:// URL`);
if (!process.stdout.isTTY) fail('needs a terminal');

const key = (parsed.values.key as string | undefined) ?? process.env.KUYKAN_KEY;
const app = new App({
  urls,
  name: parsed.values.name as string | undefined,
  ...(key !== undefined ? { key } : {}),
  room: (parsed.values.room as string | undefined) ?? 'lobby',
  bell: parsed.values.bell === true,
});

/** Every way out gives the terminal back first, then says why on the normal screen. */
function exit(code: number, message?: string): never {
  app.destroy();
  if (message) process.stderr.write(`kuykan: ${message}\n`);
  process.exit(code);
}
for (const signal of ['SIGTERM', 'SIGHUP'] as const)
  process.on(signal, () => exit(128 + (signal === 'SIGTERM' ? 15 : 1)));
process.on('uncaughtException', (error) => exit(1, `internal error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (error) =>
  exit(1, `internal error: ${error instanceof Error ? error.stack : String(error)}`),
);

app.start().catch((error: unknown) => {
  exit(1, error instanceof Error ? error.message : String(error));
});
