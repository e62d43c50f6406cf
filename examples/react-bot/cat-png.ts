/**
 * A 16×16 picture of a cat, drawn from the map below and encoded as a PNG at
 * start (a few hundred bytes), so the example ships no binary file.
 */
import { deflateSync } from 'node:zlib';

/** One character per pixel: `#` outline, `o` eyes, `p` nose, `.` fur, ` ` background. */
const CAT = [
  '                ',
  '  #          #  ',
  ' #.#        #.# ',
  ' #..#      #..# ',
  ' #...######...# ',
  ' #............# ',
  '#..............#',
  '#...oo....oo...#',
  '#...oo....oo...#',
  '#..............#',
  '#......pp......#',
  '#.....#..#.....#',
  ' #.....##.....# ',
  '  #..........#  ',
  '   ##########   ',
  '                ',
];

const COLOURS: Record<string, [number, number, number, number]> = {
  ' ': [0, 0, 0, 0],
  '#': [60, 40, 30, 255],
  '.': [240, 160, 70, 255],
  o: [30, 120, 60, 255],
  p: [230, 100, 130, 255],
};

/** CRC-32 of PNG chunks (ISO 3309), written out so the example runs on every Node 20. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** The cat as PNG bytes (RGBA, 8 bits per channel, no interlace). */
export function catPng(): Buffer {
  const width = CAT[0]!.length;
  const height = CAT.length;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA
  // Each scanline starts with its filter type (0: none).
  const pixels = Buffer.from(CAT.flatMap((row) => [0, ...[...row].flatMap((c) => COLOURS[c]!)]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
