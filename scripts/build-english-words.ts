/**
 * The English word list the OCR plausibility filter weighs (src/models/english-words.json): every single-word lemma of
 * WordNet 3.0 that was tagged at least once in its sense-tagged corpora (cntlist.rev), plus the function words WordNet
 * leaves out. WordNet 3.0 is Princeton's (WordNet 3.0 licence, permissive); Debian ships it as wordnet-base.
 *   npx tsx scripts/build-english-words.ts [--wordnet /usr/share/wordnet]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** Articles, pronouns, prepositions, conjunctions and auxiliaries: common in any English line, absent from WordNet. */
const FUNCTION_WORDS = `a an the and or but nor if then than so as at by for from in into of off on onto out over to up
  upon with within without about above after against along among around before behind below beneath beside between
  beyond down during except inside near past since through toward towards under until via i me my mine we us our ours
  you your yours he him his she her hers it its they them their theirs this that these those who whom whose which what
  where when why how all any each every both either neither some no not none is am are was were be been being have has
  had do does did will would shall should can could may might must here there yes oh ok`;

/** Lowercase single words of two letters or more with a corpus count of at least one, sorted, no repeats. */
export function taggedLemmas(cntlist: string): string[] {
  const words = new Set<string>();
  for (const line of cntlist.split('\n')) {
    const [key, , count] = line.split(' ');
    const lemma = key?.split('%')[0] ?? '';
    if (Number(count) > 0 && /^[a-z]{2,}$/.test(lemma)) words.add(lemma);
  }
  return [...words].sort();
}

const { values } = parseArgs({ options: { wordnet: { type: 'string', default: '/usr/share/wordnet' } } });
const words = [
  ...new Set([...taggedLemmas(readFileSync(join(values.wordnet, 'cntlist.rev'), 'utf8')), ...FUNCTION_WORDS.split(/\s+/).filter(Boolean)]),
].sort();
const out = 'src/models/english-words.json';
writeFileSync(
  out,
  `${JSON.stringify({ source: 'WordNet 3.0 (Princeton University, WordNet 3.0 licence), Debian wordnet-base 1:3.0-37: cntlist.rev lemmas with a corpus count, and function words', command: 'npx tsx scripts/build-english-words.ts', words: words.join(' ') })}\n`,
);
console.log(`${words.length} words -> ${out}`);
