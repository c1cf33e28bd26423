/** Choose the caption language: the `lang` parameter, else Accept-Language, by RFC 4647 lookup; English when nothing matches. */
import { CAPTION_LANGUAGES, ENGLISH } from './packs.js';

/** RFC 4647 §3.4 lookup of one range: the range itself, then shorter by truncation (a lone single-letter subtag goes too). */
export function lookupLanguage(range: string, available: readonly string[] = CAPTION_LANGUAGES): string | undefined {
  const byLower = new Map(available.map((tag) => [tag.toLowerCase(), tag]));
  let tag = range.trim().toLowerCase();
  while (tag.length > 0 && tag !== '*') {
    const found = byLower.get(tag);
    if (found) return found;
    const cut = tag.lastIndexOf('-');
    if (cut < 0) return undefined;
    tag = tag.slice(0, cut);
    if (/-.$/.test(tag)) tag = tag.slice(0, -2);
  }
  return undefined;
}

/** Accept-Language (RFC 9110 §12.5.4) as ranges, most preferred first; q=0 ranges dropped, ties kept in order. */
export function acceptedRanges(header: string): string[] {
  return header
    .split(',')
    .map((part, order) => {
      const [range = '', ...params] = part.split(';').map((s) => s.trim());
      const q = params.find((p) => /^q=/i.test(p));
      const weight = q ? Number(q.slice(2)) : 1;
      return { range, weight: Number.isFinite(weight) ? weight : 0, order };
    })
    .filter(({ range, weight }) => range.length > 0 && weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order)
    .map(({ range }) => range);
}

/** The language to write in: an explicit `lang` decides alone; else the first Accept-Language range that looks up; else English. */
export function negotiateLanguage(lang: string | undefined, acceptLanguage: string | undefined): string {
  if (lang !== undefined) return lookupLanguage(lang) ?? ENGLISH;
  for (const range of acceptedRanges(acceptLanguage ?? '')) {
    const found = lookupLanguage(range);
    if (found) return found;
  }
  return ENGLISH;
}
