/**
 * Text folding shared by every comparator. Records come from hotlines in several languages and are
 * typed in a hurry, so "José", "JOSE", "Jose" and "josé" must all become the same key.
 */

// Letters that Unicode decomposition does not split into base + mark.
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ŀ: 'l',
};
const SPECIAL_LETTER_PATTERN = /[ßæœøłđðþıŀ]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Lower-case and strip diacritics: "Ñúñez-Gómez" becomes "nunez-gomez". */
export function foldAccents(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(SPECIAL_LETTER_PATTERN, (letter) => SPECIAL_LETTERS[letter] ?? letter);
}

/**
 * Fold and split into words of letters and digits. Hyphens, apostrophes, dots and commas separate
 * words, so "Jean-Baptiste", "O'Neil" and "d'Artagnan" give ["jean","baptiste"], ["o","neil"], ["d","artagnan"].
 */
export function words(text: string | undefined): string[] {
  if (!text) return [];
  const folded = foldAccents(text);
  const result: string[] = [];
  for (const word of folded.split(/[^a-z0-9]+/)) if (word) result.push(word);
  return result;
}

/** Only the digits of a string: phone numbers, dates, postcodes. */
export function digitsOnly(text: string): string {
  return text.replace(/\D+/g, '');
}
