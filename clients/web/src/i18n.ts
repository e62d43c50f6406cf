/** UI strings in English and Thai, chosen from the browser language, switchable. */

const en = {
  appName: 'Kuykan',
  tagline: "Let's talk — คุยกัน",
  nameLabel: 'Your name',
  namePlaceholder: 'e.g. สมชาย or Nok',
  enter: 'Start chatting',
  connecting: 'Connecting…',
  rooms: 'Rooms',
  joinRoom: 'Join or create a room',
  joinPlaceholder: 'room name',
  join: 'Join',
  online: 'Online',
  messagePlaceholder: 'Message #{room} — Enter to send, Shift+Enter for a new line',
  messageDirect: 'Message @{name} — Enter to send, Shift+Enter for a new line',
  send: 'Send',
  emoji: 'Emoji',
  newMessages: 'New messages ↓',
  loadingOlder: 'Loading older messages…',
  beginning: 'This is the beginning of #{room}.',
  pruned: 'Older messages of #{room} were removed.',
  joined: '{name} joined',
  left: '{name} left',
  typingOne: '{name} is typing…',
  typingMany: '{names} are typing…',
  reconnecting: 'Connection lost — reconnecting…',
  offline: 'You are offline. Messages will be sent when the connection is back.',
  back: 'Back online.',
  resetNotice: 'Some messages could not be recovered after reconnecting; showing the latest.',
  resumedNotice: 'Reconnected.',
  sending: 'sending…',
  queued: 'waiting for connection',
  failed: 'not sent',
  retry: 'Retry',
  you: 'you',
  today: 'Today',
  yesterday: 'Yesterday',
  theme: 'Theme',
  language: 'ภาษาไทย',
  leave: 'Leave',
  closed: 'Disconnected: {reason}',
  messages: 'Messages',
  counter: '{count} / {max}',
  tooLong: 'Too long: {count} of {max} characters. Shorten it to send.',
  edit: 'Edit',
  errNameTaken: 'That name is in use. Try another.',
  errNameInvalid: 'Names are 1 to {max} characters, without invisible or control characters.',
  errRoomInvalid: 'Room names are 1 to {max} characters, without spaces or control characters.',
  errTextInvalid: 'The server refused this message: empty, too long, or with control characters.',
  errTooManyRooms: 'You are in too many rooms. Leave one first.',
  errRateLimited: 'Slow down: too many messages at once.',
  errUnauthorized: 'This server needs a valid sign-in key.',
  errServer: 'The server had a problem. Try again.',
  errTimeout: 'The server did not answer in time.',
  errClosed: 'The connection closed before the server answered.',
  errQueueFull: 'Too many messages are waiting to be sent.',
  errOther: 'The server refused: {reason}',
  leaveRoom: 'Leave #{room}',
  directory: 'Browse rooms',
  searchRooms: 'Search rooms',
  noRooms: 'No rooms match.',
  createRoom: 'Create #{room}',
  membersCount: '{count} online',
  close: 'Close',
  unread: '{count} unread',
  mentions: '{count} mentions of you',
  mentionOne: '1 mention of you',
  notifications: 'Notifications',
  notifyOn: 'Notifications on',
  notifyOff: 'Notifications off',
  mentionedYou: '{name} mentioned you in {room}',
  newMessageIn: '{name} in {room}',
  members: 'People',
  suggestions: 'Suggestions',
  newCount: '{count} new messages',
  searchEmoji: 'Search emoji',
  skinTone: 'Skin tone',
  emojiGroups: 'Emoji categories',
  recent: 'Recently used',
  noEmoji: 'No emoji found.',
  toneDefault: 'default',
  toneLight: 'light',
  toneMediumLight: 'medium-light',
  toneMedium: 'medium',
  toneMediumDark: 'medium-dark',
  toneDark: 'dark',
  signOut: 'Sign out',
  refresh: 'Refresh',
  edited: 'edited',
  editedAt: 'Edited {time}',
  deleted: 'message deleted',
  bot: 'bot',
  actions: 'Actions for the message from {name}',
  react: 'React with {emoji}',
  moreReactions: 'More reactions',
  reactionCount: '{emoji} {count}, by {names}. Press to toggle yours',
  reply: 'Reply',
  editMessage: 'Edit',
  deleteMessage: 'Delete',
  confirmDelete: 'Delete this message?',
  cancel: 'Cancel',
  replyingTo: 'Replying to {name}',
  editing: 'Editing your message — Esc cancels',
  inReplyTo: 'In reply to {name}',
  showOriginal: 'Show the message this answers',
  originalNotLoaded: 'The message this answers is too far back to show here.',
  unreadLine: 'New messages',
  attach: 'Attach files',
  dropFiles: 'Drop files to send them to {room}',
  uploading: 'Uploading {name}: {percent}%',
  uploadFailed: '{name} was not sent: {reason}',
  dismiss: 'Dismiss',
  download: 'Download {name} ({size})',
  directMessage: 'Message {name} directly',
  directRooms: 'Direct messages',
  invites: 'Mentions in other rooms',
  inviteFrom: '{name} mentioned you',
  dismissInvite: 'Dismiss the mention in #{room}',
  errNotAuthor: 'Only the author can change this message.',
  errMessageDeleted: 'That message was deleted.',
  errMessageNotFound: 'That message is no longer there.',
  errEditExpired: 'The time to edit this message has passed.',
  errReactionInvalid: 'A reaction is exactly one emoji.',
  errTooManyReactions: 'This message has as many different reactions as it can take.',
  errMentionsInvalid: 'Too many people mentioned in one message.',
  errTooLarge: 'The file is too large (at most {max}).',
  errUploadInvalid: 'The server refused the file (empty, too large, or a bad name).',
  errFileInvalid: 'The server refused the attachment.',
  errQuotaExceeded: 'Your storage is full: delete messages with files to make room.',
  errUserNotFound: 'That user is not online.',
  errDirectInvalid: 'A direct message needs another signed-in user.',
  errForbidden: 'That room is private.',
  errAborted: 'Cancelled.',
  errUnsupported: 'This server does not support that.',
  openImage: 'Open image {name}',
  closeImage: 'Close',
  downloadImage: 'Download',
} as const;

export type StringKey = keyof typeof en;

export type Lang = 'en' | 'th';
/** English is always here; Thai arrives with `loadLang` (first paint of an English UI is lighter). */
const tables: Partial<Record<Lang, Record<StringKey, string>>> = { en };

/** Loads a language's strings (Thai is a lazy chunk); resolves once `t` can use them. */
export async function loadLang(next: Lang): Promise<void> {
  if (!tables[next]) tables[next] = (await import('./i18n-th.js')).th;
}

function initialLang(): Lang {
  const saved = globalThis.localStorage?.getItem('kuykan.lang');
  if (saved === 'en' || saved === 'th') return saved;
  return globalThis.navigator?.language?.toLowerCase().startsWith('th') ? 'th' : 'en';
}

let current: Lang = initialLang();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  globalThis.localStorage?.setItem('kuykan.lang', next);
  if (globalThis.document) document.documentElement.lang = next;
}

/** The string for `key` in the current language, with `{placeholders}` filled (as text, never markup). */
export function t(key: StringKey, values: Record<string, string> = {}): string {
  // Until the Thai strings are loaded (the app waits for them before its first paint), English.
  return (tables[current] ?? en)[key].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}
