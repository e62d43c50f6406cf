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
  send: 'Send',
  emoji: 'Emoji',
  newMessages: 'New messages ↓',
  loadingOlder: 'Loading older messages…',
  beginning: 'This is the beginning of #{room}.',
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
} as const;

export type StringKey = keyof typeof en;

const th: Record<StringKey, string> = {
  appName: 'คุยกัน',
  tagline: 'Kuykan — แชตแบบเรียลไทม์',
  nameLabel: 'ชื่อของคุณ',
  namePlaceholder: 'เช่น สมชาย หรือ Nok',
  enter: 'เริ่มคุย',
  connecting: 'กำลังเชื่อมต่อ…',
  rooms: 'ห้อง',
  joinRoom: 'เข้าหรือสร้างห้อง',
  joinPlaceholder: 'ชื่อห้อง',
  join: 'เข้าห้อง',
  online: 'ออนไลน์',
  messagePlaceholder: 'พิมพ์ข้อความถึง #{room} — Enter เพื่อส่ง, Shift+Enter ขึ้นบรรทัดใหม่',
  send: 'ส่ง',
  emoji: 'อีโมจิ',
  newMessages: 'ข้อความใหม่ ↓',
  loadingOlder: 'กำลังโหลดข้อความเก่า…',
  beginning: 'นี่คือจุดเริ่มต้นของ #{room}',
  joined: '{name} เข้าห้องแล้ว',
  left: '{name} ออกจากห้องแล้ว',
  typingOne: '{name} กำลังพิมพ์…',
  typingMany: '{names} กำลังพิมพ์…',
  reconnecting: 'การเชื่อมต่อหลุด — กำลังเชื่อมต่อใหม่…',
  offline: 'คุณออฟไลน์อยู่ ข้อความจะถูกส่งเมื่อกลับมาเชื่อมต่อได้',
  back: 'กลับมาออนไลน์แล้ว',
  resetNotice: 'กู้คืนข้อความบางส่วนหลังเชื่อมต่อใหม่ไม่ได้ จึงแสดงข้อความล่าสุดแทน',
  resumedNotice: 'เชื่อมต่อใหม่แล้ว',
  sending: 'กำลังส่ง…',
  queued: 'รอการเชื่อมต่อ',
  failed: 'ส่งไม่สำเร็จ',
  retry: 'ลองอีกครั้ง',
  you: 'คุณ',
  today: 'วันนี้',
  yesterday: 'เมื่อวาน',
  theme: 'ธีม',
  language: 'English',
  leave: 'ออกจากห้อง',
  closed: 'ตัดการเชื่อมต่อแล้ว: {reason}',
  messages: 'ข้อความ',
};

export type Lang = 'en' | 'th';
const tables: Record<Lang, Record<StringKey, string>> = { en, th };

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
  document.documentElement.lang = next;
}

/** The string for `key` in the current language, with `{placeholders}` filled (as text, never markup). */
export function t(key: StringKey, values: Record<string, string> = {}): string {
  return tables[current][key].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}
