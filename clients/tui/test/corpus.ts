/**
 * The text this client is for, by kind: what the width properties draw
 * (tmux-width.property.test.ts, tmux-files.test.ts). Its size and the widths
 * tried are printed with each run.
 */
export const CORPUS = {
  thai: [
    'น้ำ',
    'ญี่ปุ่น',
    'ข้อความเก่า',
    'สวัสดีครับ',
    'ผู้ใหญ่',
    'ก๋วยเตี๋ยว',
    'ปั๊ม',
    'เจ้า',
    'กุ้ง',
    'ฟ้า',
    'คุยกัน',
    'ภาษาไทยไม่มีการเว้นวรรค',
  ],
  combining: ['e\u0301', 'n\u0303', 'a\u0310', 'e\u0323\u0302', 'नमस्ते', 'ज़', 'Å', 'ǖ', 'o\u0308\u0304'],
  zwj: ['👨‍👩‍👧‍👦', '👩🏽‍💻', '🏳️‍🌈', '🏳️‍⚧️', '🧑🏿‍🤝‍🧑🏿', '😶‍🌫️', '🐦‍🔥', '🍋‍🟩', '🙂‍↔️', '👨‍👩‍👧', '🧑‍🧑‍🧒‍🧒'],
  flags: ['🇹🇭', '🇯🇵', '🇺🇦', '🇧🇷', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🏁'],
  keycaps: ['#️⃣', '1️⃣', '*️⃣', '🔟'],
  tones: ['👍🏽', '✌🏽', '👋🏿', '🫷🏻', '👍'],
  newest: ['🫷', '🫸', '🫎', '🪿', '🩷', '🫠', '🫩', '🫆', '🪾', '🫪', '🫯', '🛘', '🪊'],
  cjk: ['中文', '日本語', '한국어', 'カタカナ', 'ＡＢＣ', '漢字かな交じり'],
  presentation: ['❤️', '❤', '☺️', '✔️', '™️'],
  latin: ['hello', 'world', 'a', 'longerwordwithoutbreaks', 'ok', '—', '…'],
};
