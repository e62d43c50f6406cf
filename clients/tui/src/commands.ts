/** Slash commands typed in the input line. */

export type Command =
  | { kind: 'join'; room: string }
  | { kind: 'leave' }
  | { kind: 'rooms' }
  | { kind: 'users' }
  | { kind: 'help' }
  | { kind: 'clear' }
  | { kind: 'quit' }
  | { kind: 'error'; message: string };

/** `/help`: one command or key per line, so it reads at any width. */
export const HELP = [
  '/join ROOM     join or create a room',
  '/leave         leave the current room',
  '/rooms         list rooms on the server',
  '/users         list who is here',
  '/clear         clear this room\u2019s log',
  '/quit          exit (also Ctrl+C)',
  '//text         send text starting with /',
  'Enter          send (:thumbsup: and other shortcodes become emoji)',
  'Tab            complete the :shortcode before the cursor',
  'Ctrl+E         emoji picker: type to search, Tab category, Ctrl+T tone',
  'Up/Down        input history',
  'PageUp/Down    scroll; older history loads at the top',
  'Ctrl+N/Ctrl+P  next/previous room',
];

/** Parses a line starting with `/`; undefined for ordinary text (and `//text`, sent as `/text`). */
export function parseCommand(line: string): Command | undefined {
  if (!line.startsWith('/') || line.startsWith('//')) return undefined;
  const [name, ...args] = line.slice(1).trim().split(/\s+/);
  switch (name) {
    case 'join':
    case 'j':
      return args[0] ? { kind: 'join', room: args[0] } : { kind: 'error', message: 'usage: /join ROOM' };
    case 'leave':
    case 'part':
      return { kind: 'leave' };
    case 'rooms':
      return { kind: 'rooms' };
    case 'users':
    case 'who':
      return { kind: 'users' };
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'clear':
      return { kind: 'clear' };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    default:
      return { kind: 'error', message: `unknown command /${name}; try /help` };
  }
}
