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
  notifications: 'Notifications',
  notifyOn: 'Notifications on',
  notifyOff: 'Notifications off',
  mentionedYou: '{name} mentioned you in #{room}',
  newMessageIn: '{name} in #{room}',
  members: 'People',
  suggestions: 'Suggestions',
  newCount: '{count} new messages',
  signOut: 'Sign out',
  refresh: 'Refresh',
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
  counter: '{count} / {max}',
  tooLong: 'ยาวเกินไป: {count} จาก {max} ตัวอักษร ตัดให้สั้นลงเพื่อส่ง',
  edit: 'แก้ไข',
  errNameTaken: 'ชื่อนี้มีคนใช้อยู่ ลองชื่ออื่น',
  errNameInvalid: 'ชื่อยาว 1 ถึง {max} ตัวอักษร ห้ามมีอักขระที่มองไม่เห็นหรืออักขระควบคุม',
  errRoomInvalid: 'ชื่อห้องยาว 1 ถึง {max} ตัวอักษร ห้ามมีช่องว่างหรืออักขระควบคุม',
  errTextInvalid: 'เซิร์ฟเวอร์ไม่รับข้อความนี้: ว่าง ยาวเกินไป หรือมีอักขระควบคุม',
  errTooManyRooms: 'คุณอยู่ในห้องมากเกินไป ออกจากห้องหนึ่งก่อน',
  errRateLimited: 'ช้าลงหน่อย: ส่งข้อความถี่เกินไป',
  errUnauthorized: 'เซิร์ฟเวอร์นี้ต้องใช้กุญแจเข้าระบบที่ถูกต้อง',
  errServer: 'เซิร์ฟเวอร์มีปัญหา ลองอีกครั้ง',
  errTimeout: 'เซิร์ฟเวอร์ไม่ตอบกลับทันเวลา',
  errClosed: 'การเชื่อมต่อปิดก่อนเซิร์ฟเวอร์ตอบกลับ',
  errQueueFull: 'มีข้อความรอส่งมากเกินไป',
  errOther: 'เซิร์ฟเวอร์ปฏิเสธ: {reason}',
  leaveRoom: 'ออกจาก #{room}',
  directory: 'ดูห้องทั้งหมด',
  searchRooms: 'ค้นหาห้อง',
  noRooms: 'ไม่พบห้องที่ตรงกัน',
  createRoom: 'สร้าง #{room}',
  membersCount: 'ออนไลน์ {count} คน',
  close: 'ปิด',
  unread: 'ยังไม่ได้อ่าน {count}',
  mentions: 'กล่าวถึงคุณ {count} ครั้ง',
  notifications: 'การแจ้งเตือน',
  notifyOn: 'เปิดการแจ้งเตือน',
  notifyOff: 'ปิดการแจ้งเตือน',
  mentionedYou: '{name} กล่าวถึงคุณใน #{room}',
  newMessageIn: '{name} ใน #{room}',
  members: 'สมาชิก',
  suggestions: 'คำแนะนำ',
  newCount: 'ข้อความใหม่ {count} ข้อความ',
  signOut: 'ออกจากระบบ',
  refresh: 'รีเฟรช',
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
