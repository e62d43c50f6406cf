/** Slash commands, and the `+emoji` reaction, typed in the input line. */
import { validateReaction } from '@kuykan/protocol';

export type Command =
  | { kind: 'join'; room: string }
  | { kind: 'leave' }
  | { kind: 'rooms' }
  | { kind: 'users' }
  | { kind: 'help' }
  | { kind: 'clear' }
  | { kind: 'dm'; name: string }
  | { kind: 'upload'; path: string }
  | { kind: 'bell'; on: boolean | undefined }
  | { kind: 'quit' }
  | { kind: 'error'; message: string };

/** `/help`: one command or key per line, so it reads at any width. */
export const HELP = [
  '/join ROOM     join or create a room',
  '/dm NAME       open a direct room with NAME',
  '/leave         leave the current room',
  '/rooms         list rooms on the server',
  '/users         list who is here',
  '/upload PATH   send a file (progress in the status bar; Esc cancels)',
  '/bell [on|off] ring the terminal bell when someone mentions me',
  '/clear         clear this room\u2019s log',
  '/quit          exit (also Ctrl+C)',
  '//text         send text starting with /',
  '+:tada: or +🎉  react to the selected (else the newest) message',
  'Enter          send (:thumbsup: and other shortcodes become emoji)',
  'Tab            complete the :shortcode before the cursor',
  'Ctrl+E         emoji picker: type to search, Tab category, Ctrl+T tone',
  'Up             in an empty input: edit my last message',
  'Ctrl+Up/Down   input history (Up/Down too once the input has text)',
  'Alt+Up/Down    select a message; then:',
  '  r reply · e edit · d delete · + react · Up/Down move · Esc done',
  'Esc            cancel a reply, an edit or an upload',
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
    case 'dm':
    case 'msg':
      return args[0] ? { kind: 'dm', name: args.join(' ') } : { kind: 'error', message: 'usage: /dm NAME' };
    case 'upload': {
      // The rest of the line is the path, spaces included.
      const path = line.slice(1).trim().slice(name!.length).trim();
      return path ? { kind: 'upload', path } : { kind: 'error', message: 'usage: /upload PATH' };
    }
    case 'bell':
      if (args[0] === undefined) return { kind: 'bell', on: undefined };
      if (args[0] === 'on' || args[0] === 'off') return { kind: 'bell', on: args[0] === 'on' };
      return { kind: 'error', message: 'usage: /bell [on|off]' };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    default:
      return { kind: 'error', message: `unknown command /${name}; try /help` };
  }
}

/**
 * The emoji of a reaction line: `+` and exactly one emoji, given or as a
 * `:shortcode:` (`expand` turns shortcodes into emoji); undefined for other
 * text, so `+1` or `+ yes` are sent as they are.
 */
export function reactionOf(line: string, expand: (text: string) => string): string | undefined {
  const match = /^\+(\S+)$/u.exec(line.trim());
  if (!match) return undefined;
  const emoji = expand(match[1]!);
  return validateReaction(emoji).ok ? emoji : undefined;
}
