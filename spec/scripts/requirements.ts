/**
 * Extracts the requirement IDs of PROTOCOL.md (`[AREA-N LEVEL]`) into the
 * data the conformance suite reports against.
 */

/** One normative statement of the spec. */
export interface Requirement {
  id: string;
  level: 'MUST' | 'MUST NOT' | 'SHOULD' | 'SHOULD NOT' | 'MAY';
  text: string;
  section: string;
}

const TAG = /\[([A-Z]+-\d+) (MUST NOT|MUST|SHOULD NOT|SHOULD|MAY)\]/g;

/** Parses the spec text: each bullet (or paragraph) holding a tag is one requirement. */
export function extractRequirements(markdown: string): Requirement[] {
  const requirements: Requirement[] = [];
  let section = '';
  // A "block" is a bullet with its continuation lines, or a paragraph.
  const blocks: Array<{ section: string; text: string }> = [];
  let current: { section: string; text: string } | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^#{2,3} (.+)$/.exec(line);
    if (heading) {
      if (/^#{2} /.test(line)) section = heading[1]!.trim();
      current = undefined;
      continue;
    }
    if (line.trim() === '') {
      current = undefined;
      continue;
    }
    if (/^\s*- /.test(line) || !current) {
      current = { section, text: line.replace(/^\s*- /, '').trim() };
      blocks.push(current);
    } else {
      current.text += ` ${line.trim()}`;
    }
  }
  for (const block of blocks) {
    for (const match of block.text.matchAll(TAG)) {
      requirements.push({
        id: match[1]!,
        level: match[2] as Requirement['level'],
        text: block.text.replace(TAG, '').replace(/\s+/g, ' ').trim(),
        section: block.section,
      });
    }
  }
  return requirements;
}

/** The committed JSON form. */
export function requirementsJson(markdown: string): string {
  return `${JSON.stringify({ version: 1, requirements: extractRequirements(markdown) }, null, 2)}\n`;
}
