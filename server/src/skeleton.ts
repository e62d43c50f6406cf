/**
 * The key user names are unique by [NAME-5]: a UTS #39 confusable skeleton,
 * so `alice`, `аlice` (Cyrillic а), `ａｌｉｃｅ`, `aIice` and `ALICE` are one name.
 *
 * The prototype mapping is `confusables.txt` of Unicode 13.0 as shipped by
 * `unhomoglyph` (maintained by nodeca; the newest UTS #39 data any npm
 * package carries). PROTOCOL.md §6 pins that data, so every node agrees.
 *
 * @module
 */

import unhomoglyph from 'unhomoglyph';

/** skeleton(X) of UTS #39 §4: NFD, map every character to its prototype, NFD again. */
function skeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD')).normalize('NFD');
}

/**
 * skeleton(lower(skeleton(NFKC(skeleton(name))))) with `i` folded into `l`. Names compare
 * ignoring case, but case folding alone would undo the mapping of capital
 * `I` to `l`: skeleton first catches `aIice`, lower case then catches
 * `ALICE`, and since a capital I lower-cases to `i` the two letters it can
 * stand for are one. The cost is that `ali` and `all` collide while one is online.
 */
export function nameSkeleton(name: string): string {
  // confusables.txt leaves some compatibility forms out (full-width ｋ), and
  // NFKC turns others (U+FFE8 ￨) into forms it does not map: both, in order.
  const folded = skeleton(name).normalize('NFKC');
  return skeleton(skeleton(folded).toLowerCase()).replaceAll('i', 'l');
}
