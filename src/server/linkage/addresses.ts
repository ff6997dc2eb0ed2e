import { words } from './text.js';

/**
 * Street-type words in English, Spanish and French mapped to one short canonical word, so that
 * "Av. Reforma", "Avenida Reforma" and "Avenue Reforma" agree. Street names in one language rarely
 * collide with another's, so mixing the languages in one table costs nothing.
 */
const STREET_TYPES: Record<string, string[]> = {
  st: ['st', 'street', 'str', 'calle', 'c', 'cl', 'cll', 'rue', 'r'],
  av: ['av', 'ave', 'avenue', 'avenida', 'avda', 'avd', 'avn'],
  blvd: ['blvd', 'boulevard', 'bd', 'bvd', 'boul', 'bulevar', 'blv'],
  rd: ['rd', 'road', 'carretera', 'ctra', 'carr', 'route', 'rte'],
  dr: ['dr', 'drive'],
  ln: ['ln', 'lane'],
  ct: ['ct', 'court'],
  pl: ['pl', 'place', 'plaza', 'pza', 'plz'],
  sq: ['sq', 'square', 'squ'],
  pso: ['pso', 'paseo', 'po'],
  ch: ['ch', 'chemin'],
  imp: ['imp', 'impasse'],
  all: ['all', 'allee'],
  ps: ['ps', 'passage', 'pasaje', 'pje'],
  pkwy: ['pkwy', 'parkway'],
  hwy: ['hwy', 'highway'],
  col: ['col', 'colonia'],
  apt: ['apt', 'apartment', 'apto', 'depto', 'departamento', 'piso', 'appt', 'appartement', 'unit', 'suite', 'ste'],
};
const STREET_TYPE_BY_WORD = new Map<string, string>();
for (const [canonical, variants] of Object.entries(STREET_TYPES)) {
  for (const variant of variants) STREET_TYPE_BY_WORD.set(variant, canonical);
}

// Words that carry no identity in an address ("Calle de la Paz" = "Calle Paz"; "no." before a number).
const ADDRESS_FILLER = new Set(['de', 'del', 'la', 'las', 'los', 'el', 'des', 'du', 'le', 'les', 'the', 'of', 'no', 'num', 'numero', 'n', 'nro', 'y', 'et', 'and', 'sn']);

/** A street line reduced to comparable parts. */
export interface NormalisedStreet {
  /** House numbers and other digits, in order: "12", "12 4" for "12, piso 4". */
  numbers: string;
  /** Name words without type or filler, in order: "reforma". */
  name: string;
  /** The whole line in canonical form, for exact agreement. */
  full: string;
}

/** Normalise a street line: fold accents, canonicalise street types, drop filler words. */
export function normaliseStreet(raw: string | undefined): NormalisedStreet | undefined {
  const streetWords = words(raw);
  if (streetWords.length === 0) return undefined;
  const numbers: string[] = [];
  const nameWords: string[] = [];
  const full: string[] = [];
  for (const word of streetWords) {
    if (/^\d/.test(word)) {
      numbers.push(word.replace(/^0+(?=\d)/, ''));
      full.push(word);
      continue;
    }
    const type = STREET_TYPE_BY_WORD.get(word);
    if (type) {
      full.push(type);
      continue;
    }
    if (ADDRESS_FILLER.has(word)) continue;
    nameWords.push(word);
    full.push(word);
  }
  // Only filler words ("de la"): nothing to compare.
  if (full.length === 0) return undefined;
  return { numbers: numbers.join(' '), name: nameWords.join(' '), full: full.join(' ') };
}

/** Postcodes compared without spaces or dashes and in upper case ("sw1a 1aa" = "SW1A1AA"). */
export function normalisePostcode(raw: string | undefined): string {
  if (!raw) return '';
  return raw.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

/** City names folded and stripped of filler ("Ciudad de México" = "ciudad mexico"). */
export function normaliseCity(raw: string | undefined): string {
  return words(raw).filter((word) => !ADDRESS_FILLER.has(word)).join(' ');
}
