/** Writes spec/requirements.json from spec/PROTOCOL.md. Run: npm run requirements -w @kuykan/protocol */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requirementsJson } from './requirements.js';

const spec = fileURLToPath(new URL('../PROTOCOL.md', import.meta.url));
const out = fileURLToPath(new URL('../requirements.json', import.meta.url));
const json = requirementsJson(readFileSync(spec, 'utf8'));
writeFileSync(out, json);
console.log(`wrote ${out}: ${JSON.parse(json).requirements.length} requirements`);
