/**
 * A phonetic key for names written in Spanish, French or English (our own, in the spirit of Metaphone).
 * It keeps a consonant skeleton in which letters that sound alike in at least one of the three languages
 * share a code, so common misspellings collide: b/v/w (Spanish betacismo), soft c/s/z/x/ç, hard c/k/q/g,
 * j and soft g (Jiménez/Giménez), d/t, ch/sh/sch. Vowels and h are dropped except for one leading vowel,
 * a code repeated without a vowel between collapses (double letters). The key is for blocking and for a "sounds alike" agreement level, never as
 * sole evidence.
 */

const MAX_KEY_LENGTH = 6;

function isVowel(letter: string | undefined): boolean {
  return letter === 'a' || letter === 'e' || letter === 'i' || letter === 'o' || letter === 'u' || letter === 'y';
}

function isFrontVowel(letter: string | undefined): boolean {
  return letter === 'e' || letter === 'i' || letter === 'y';
}

/** Phonetic key of one folded word (a-z); "" when it has no letters. */
export function phoneticKey(word: string): string {
  // Doubled letters are one sound (and a common typo): collapse them before reading the word.
  const letters = word.replace(/[^a-z]/g, '').replace(/([a-z])\1+/g, '$1');
  if (!letters) return '';
  let key = '';
  let index = 0;
  // One leading vowel sound is kept ("Ana" and "Ena" differ from "Na"); a leading silent h is skipped.
  if (letters[0] === 'h' && isVowel(letters[1])) index = 1;
  if (isVowel(letters[index])) {
    key = 'A';
    index++;
  }
  let previousCode = '';
  for (; index < letters.length && key.length < MAX_KEY_LENGTH + 2; index++) {
    const letter = letters[index];
    const next = letters[index + 1];
    let code = '';
    switch (letter) {
      case 'b': case 'v': case 'w': code = 'B'; break;
      case 'p':
        if (next === 'h') { code = 'F'; index++; } else code = 'P';
        break;
      case 'f': code = 'F'; break;
      case 'd': code = 'T'; break;
      case 't':
        code = 'T';
        if (next === 'h') index++;
        break;
      case 'c':
        if (next === 'h') { code = 'X'; index++; }
        else if (isFrontVowel(next)) code = 'S';
        else code = 'K';
        break;
      case 's':
        if (next === 'h') { code = 'X'; index++; }
        else if (next === 'c' && letters[index + 2] === 'h') { code = 'X'; index += 2; }
        else code = 'S';
        break;
      case 'z': case 'x': code = 'S'; break;
      case 'k': case 'q': code = 'K'; break;
      case 'g':
        if (next === 'u' && isFrontVowel(letters[index + 2])) { code = 'K'; index++; }
        else if (next === 'n') { code = 'N'; index++; }
        else if (isFrontVowel(next)) code = 'J';
        else if (next === 'h') { code = 'K'; index++; }
        else code = 'K';
        break;
      case 'j': code = 'J'; break;
      case 'l': code = 'L'; break;
      case 'r': code = 'R'; break;
      case 'm': code = 'M'; break;
      case 'n': code = 'N'; break;
      default: code = ''; // vowels, h, y
    }
    if (!code) {
      // A vowel separates two sounds ("Nana" keeps both n); a silent h does not.
      if (letter !== 'h') previousCode = '';
      continue;
    }
    if (code !== previousCode) key += code;
    previousCode = code;
  }
  return key.slice(0, MAX_KEY_LENGTH);
}
