import { createHmac } from 'node:crypto';
import anyAscii from 'any-ascii';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import type { DbOrTx } from '../db/db.js';
import { jaroWinkler } from '../linkage/jaro-winkler.js';
import { normaliseFamilyNames, normaliseGivenNames } from '../linkage/names.js';
import { formaliseGivenNames } from '../linkage/nicknames.js';
import { phoneticKey } from '../linkage/phonetic.js';
import { words } from '../linkage/text.js';

/**
 * The searchable form of names and free text. We never store a name or a note word in clear: each token is the
 * first 32 bits of an HMAC under a key derived from the hotline's blind-index key. Equal words give equal tokens (so
 * the database can find them with a GIN index), but a stolen database shows only numbers.
 *
 * Names survive typos through a deletion neighbourhood (every word with one letter removed: any single insertion,
 * deletion, substitution or swap of neighbours makes the two neighbourhoods meet), sound-alike spellings through the
 * linkage phonetic key, nicknames through the linkage nickname table, accents through folding, other scripts through
 * transliteration (Cyrillic and Greek by our table, every other script by any-ascii), names written in Arabic or Hebrew
 * script through their consonant skeleton (those scripts leave short vowels out: محمد is "mhmd", typed "Mohammed"),
 * and swapped given/family names because a person's words form one unordered bag.
 */

const CYRILLIC_GREEK: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n',
  о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '',
  э: 'e', ю: 'iu', я: 'ia', і: 'i', ї: 'i', є: 'ie', ґ: 'g',
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x', ο: 'o',
  π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o', ά: 'a', έ: 'e', ή: 'i', ί: 'i', ό: 'o', ύ: 'y', ώ: 'o',
};

const CYRILLIC_OR_GREEK = /[\u0370-\u03ff\u0400-\u04ff]/g;
/** Letters of scripts any-ascii knows (everything outside Latin, Cyrillic and Greek, and outside plain ASCII). */
const OTHER_SCRIPT = /[^\u0000-\u024f\u0300-\u036f\u0370-\u03ff\u0400-\u04ff\u1e00-\u1eff]+/g;
/** Arabic (with Persian and Urdu letters), Hebrew, Syriac and Thaana: scripts that do not write short vowels. */
const ABJAD = /[\u0590-\u05ff\u0600-\u06ff\u0700-\u074f\u0750-\u077f\u0780-\u07bf\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
/** Chinese, Japanese and Korean: any-ascii writes each syllable capitalised ("王小明" → "WangXiaoMing"). */
const SYLLABIC = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

/**
 * Latin letters for a name in any script: Cyrillic and Greek by the table above ("Наталья" → natalia), every other
 * script by any-ascii ("محمد" → mhmd, "Γιώργος" stays on the table, "ታደሰ" → tadese, "王小明" → wang xiao ming).
 * Apostrophes any-ascii writes for glottal stops are dropped so they do not split a word.
 */
export function transliterate(text: string): string {
  const latin = text.replace(OTHER_SCRIPT, (run) => {
    const ascii = anyAscii(run).replace(/['`]/g, '');
    return SYLLABIC.test(run) ? ascii.replace(/([a-z])([A-Z])/g, '$1 $2') : ascii;
  });
  return latin.toLowerCase().replace(CYRILLIC_OR_GREEK, (ch) => CYRILLIC_GREEK[ch] ?? ch);
}

/** Whether a text is written in a script without short vowels (so its words are compared by consonant skeleton). */
export function isAbjad(text: string | undefined): boolean {
  return !!text && ABJAD.test(text);
}

/**
 * The consonants of a Latin word as an abjad would write them: vowels and the letters that stand for long vowels
 * (w, y) dropped, a final h (ta marbuta) dropped, doubled letters once. "Mohammed" and "mhmd" (محمد) give "mhmd";
 * "Fatimah" and "ftmh" (فاطمة) give "ftm"; "Yusuf" and "ywsf" (يوسف) give "sf".
 */
export function consonantSkeleton(word: string): string {
  return word.replace(/[aeiouwy]/g, '').replace(/h$/, '').replace(/([a-z])\1+/g, '$1');
}

export interface NameParts {
  givenNames?: string;
  familyNames?: string;
  aliases?: string[];
}

/** The comparable words of a person's names: given names (as typed and formalised), family names, aliases. */
export function nameWordsOf(parts: NameParts): string[] {
  const out = new Set<string>();
  const given = normaliseGivenNames(parts.givenNames ? transliterate(parts.givenNames) : undefined);
  const family = normaliseFamilyNames(parts.familyNames ? transliterate(parts.familyNames) : undefined);
  for (const w of [...(given?.plainWords ?? []), ...(given?.words ?? []), ...(family?.words ?? [])]) out.add(w);
  for (const alias of parts.aliases ?? []) {
    const plain = words(transliterate(alias));
    for (const w of [...plain, ...formaliseGivenNames(plain)]) out.add(w);
  }
  if (given && given.plainWords.length > 1) out.add(given.plainJoined);
  return [...out].filter((w) => w.length >= 2);
}

/** Consonant skeletons of the name words written in an abjad (Arabic, Hebrew…), compared to typed Latin words. */
export function skeletonsOf(parts: NameParts): Set<string> {
  const out = new Set<string>();
  for (const text of [parts.givenNames, parts.familyNames, ...(parts.aliases ?? [])]) {
    if (!isAbjad(text)) continue;
    for (const w of words(transliterate(text!))) {
      const skeleton = consonantSkeleton(w);
      if (skeleton.length >= 2) out.add(skeleton);
    }
  }
  return out;
}

/** The words of a query typed in the search box, with nickname formal forms added. */
export function queryWordsOf(q: string): string[] {
  const plain = words(transliterate(q));
  return [...new Set([...plain, ...formaliseGivenNames(plain)])].filter((w) => w.length >= 2);
}

const MAX_QUERY_WORDS = 4;

/**
 * The words of a typed name that can match: transliterated and folded, without the particles ("de", "del", "van",
 * "al"…) that indexed family names leave out — else "Miguel García del Río" would need a "del" the index does not have.
 */
export function queryNameWords(q: string): string[] {
  return normaliseFamilyNames(transliterate(q))?.plainWords ?? [];
}

/**
 * One group of token strings per typed word: the word's neighbourhood and phonetic key, those of its formal forms
 * (Bill → William), and its consonant skeleton (to meet names written in Arabic or Hebrew script). A person matches a
 * word when they share any token of its group. At most four words are used (the longest ones: they say the most).
 */
export function queryTokenGroups(q: string): string[][] {
  const plain = [...new Set(queryNameWords(q).filter((w) => w.length >= 2))];
  const kept = plain.length > MAX_QUERY_WORDS ? [...plain].sort((a, b) => b.length - a.length).slice(0, MAX_QUERY_WORDS) : plain;
  return kept.map((word) => {
    const group = new Set(nameTokenStrings(word));
    for (const formal of formaliseGivenNames([word])) if (formal !== word) for (const t of nameTokenStrings(formal)) group.add(t);
    const skeleton = consonantSkeleton(word);
    if (skeleton.length >= 2) group.add(`k:${skeleton}`);
    return [...group];
  });
}

/** The token strings of one name word: its one-deletion neighbourhood (with itself) and its phonetic key. */
export function nameTokenStrings(word: string): string[] {
  const tokens = [`d:${word}`];
  if (word.length >= 4) for (let i = 0; i < word.length; i++) tokens.push(`d:${word.slice(0, i)}${word.slice(i + 1)}`);
  const key = phoneticKey(word);
  if (key.length >= 2) tokens.push(`p:${key}`);
  return tokens;
}

export type TokenHasher = (token: string) => number;

/** A hasher keyed per hotline: the key is derived from the blind-index key, so it never sits in the database. */
export async function tokenHasher(ctx: AppContext, hotlineId: string): Promise<TokenHasher> {
  const key = await ctx.keys.blindIndex(hotlineId, 'text', 'catalyst-search-token-key-v1');
  return (token) => createHmac('sha256', key).update(token).digest().readInt32BE(0);
}

export function hashAll(hash: TokenHasher, tokens: Iterable<string>): number[] {
  return [...new Set([...tokens].map(hash))];
}

export function nameTokens(hash: TokenHasher, parts: NameParts): number[] {
  return hashAll(hash, [...nameWordsOf(parts).flatMap(nameTokenStrings), ...[...skeletonsOf(parts)].map((s) => `k:${s}`)]);
}

const STEMMED = sql`to_tsvector('english', unaccent(t.doc)) || to_tsvector('spanish', unaccent(t.doc)) || to_tsvector('french', unaccent(t.doc))`;

/**
 * The stems of each text under the English, Spanish and French stemmers (PostgreSQL's own), computed in the database
 * but never stored there: only the keyed hashes of the stems are kept.
 */
export async function stemTexts(db: DbOrTx, texts: string[]): Promise<string[][]> {
  if (texts.length === 0) return [];
  const { rows } = await sql<{ ord: string; lexemes: string[] }>`
    select t.ord, array(select distinct u.lexeme from unnest(${STEMMED}) u) as lexemes
    from unnest(${texts}::text[]) with ordinality as t(doc, ord)`.execute(db);
  const out: string[][] = texts.map(() => []);
  for (const row of rows) out[Number(row.ord) - 1] = row.lexemes;
  return out;
}

export async function textTokens(db: DbOrTx, hash: TokenHasher, texts: (string | null | undefined)[]): Promise<number[]> {
  const present = texts.filter((t): t is string => !!t && t.trim().length > 0);
  if (present.length === 0) return [];
  const stems = await stemTexts(db, [present.join('\n')]);
  return hashAll(hash, stems[0].map((s) => `t:${s}`));
}

/**
 * How similar a typed name is to a person's names, 0..1: each query word against its best word of the person. A word
 * whose consonants are those of a name the person has in an abjad (`skeletons`) counts as 90 % similar.
 */
export function nameSimilarity(queryWords: string[], personWords: string[], skeletons: Set<string> = new Set()): number {
  if (queryWords.length === 0 || personWords.length === 0) return 0;
  const plain = words(transliterate(queryWords.join(' ')));
  const formal = formaliseGivenNames(plain);
  const personKeys = personWords.map(phoneticKey);
  let total = 0;
  for (let i = 0; i < plain.length; i++) {
    let best = 0;
    for (const candidate of new Set([plain[i], formal[i] ?? plain[i]])) {
      const key = phoneticKey(candidate);
      personWords.forEach((w, j) => {
        let score = jaroWinkler(candidate, w);
        // Sounds alike (b/v, j/g, c/s/z…): at least 90 %.
        if (score < 0.9 && key.length >= 2 && key === personKeys[j]) score = 0.9;
        if (score > best) best = score;
      });
      if (best < 0.9 && skeletons.size > 0 && skeletons.has(consonantSkeleton(candidate))) best = 0.9;
    }
    total += best;
  }
  return total / plain.length;
}
