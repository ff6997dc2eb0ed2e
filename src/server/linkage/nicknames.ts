/**
 * Nicknames, hypocoristics and transliteration variants, folded (no accents, lower case).
 * A person registered as "Pepe" on one call and "José" on the next is the same person, so a given name
 * is compared through its formal form. Written for this project from common usage in English, Spanish
 * and French; extend it per hotline rather than making it clever.
 *
 * Each entry: formal name (possibly several words) -> the short forms and spellings that stand for it.
 */
const FORMAL_TO_VARIANTS: Record<string, string[]> = {
  // English
  robert: ['bob', 'bobby', 'rob', 'robbie'],
  william: ['bill', 'billy', 'will', 'willy'],
  richard: ['rick', 'ricky', 'dick', 'rich', 'richie'],
  james: ['jim', 'jimmy', 'jamie'],
  john: ['johnny', 'jack', 'jon'],
  joseph: ['joe', 'joey'],
  michael: ['mike', 'mikey', 'mick'],
  thomas: ['tom', 'tommy'],
  charles: ['charlie', 'chuck', 'chas'],
  christopher: ['chris', 'kit'],
  daniel: ['dan', 'danny'],
  matthew: ['matt'],
  anthony: ['tony'],
  edward: ['ed', 'eddie', 'ted', 'ned'],
  elizabeth: ['liz', 'lizzie', 'beth', 'betty', 'eliza', 'libby'],
  margaret: ['maggie', 'meg', 'peggy', 'marge'],
  katherine: ['kate', 'katie', 'kathy', 'kat', 'catherine', 'kathryn'],
  jennifer: ['jen', 'jenny'],
  patricia: ['pat', 'patty', 'trish'],
  susan: ['sue', 'susie'],
  deborah: ['debbie', 'deb'],
  rebecca: ['becky', 'becca'],
  alexander: ['alex', 'sasha', 'alejandro', 'alexandre', 'aleksandr'],
  nicholas: ['nick', 'nicky', 'nicolas'],
  samuel: ['sam', 'sammy'],
  benjamin: ['ben', 'benny'],
  jonathan: ['jonny'],
  stephen: ['steve', 'steven', 'stevie'],
  // Spanish
  jose: ['pepe', 'pepito', 'chepe', 'jose', 'joseph'],
  'jose maria': ['chema', 'josema'],
  'jose luis': ['joselu', 'pepelu'],
  'maria jose': ['majo'],
  francisco: ['paco', 'pancho', 'curro', 'frasco', 'quico', 'kiko', 'paquito', 'francis'],
  guadalupe: ['lupe', 'lupita', 'pita'],
  ignacio: ['nacho'],
  jesus: ['chucho', 'chuy', 'chus'],
  enrique: ['quique', 'kike'],
  manuel: ['manolo', 'manu', 'lolo'],
  dolores: ['lola', 'loli'],
  concepcion: ['concha', 'conchita', 'chelo'],
  consuelo: ['chelo'],
  rosario: ['charo', 'chayo'],
  mercedes: ['merche', 'meche'],
  guillermo: ['memo', 'guille'],
  alberto: ['beto', 'tito'],
  roberto: ['beto', 'robe'],
  antonio: ['tono', 'toni', 'tonio', 'antoine'],
  eduardo: ['lalo', 'edu'],
  fernando: ['nando', 'fer'],
  rafael: ['rafa'],
  luis: ['lucho', 'luisito'],
  carlos: ['carlitos', 'charly'],
  ramon: ['moncho'],
  santiago: ['santi', 'chago'],
  alejandra: ['ale'],
  teresa: ['tere', 'teresita', 'therese'],
  isabel: ['isa', 'chabela', 'elisabeth', 'isabelle'],
  cristina: ['cris', 'tina', 'christine'],
  // French
  'jean baptiste': ['jb', 'jean baptist'],
  'jean pierre': ['jp'],
  'jean francois': ['jf'],
  'marie therese': ['maite'],
  francois: ['fanfan', 'francky'],
  frederic: ['fred', 'freddy', 'frederick'],
  guillaume: ['guigui', 'guillem'],
  nathalie: ['nath', 'natalie', 'natalia'],
  stephanie: ['steph', 'estefania'],
  philippe: ['phil', 'felipe', 'philip', 'phillip'],
  dominique: ['dom'],
  christophe: ['cricri'],
  sebastien: ['seb', 'sebastian'],
  // Transliteration variants (Arabic, Slavic) common in hotline caseloads
  muhammad: ['mohammed', 'mohamed', 'mohammad', 'muhammed', 'mohamad', 'mehmet'],
  yusuf: ['youssef', 'yousef', 'yusef', 'youcef'],
  fatima: ['fatimah', 'fatma', 'fatoumata'],
  aisha: ['aicha', 'ayesha', 'aysha'],
  olga: ['olha'],
  natalya: ['natalia', 'natasha'],
  yekaterina: ['ekaterina', 'katya'],
};

/** Variant -> formal words. When a variant is listed under several formal names the first wins. */
const VARIANT_TO_FORMAL = new Map<string, string[]>();
for (const [formal, variants] of Object.entries(FORMAL_TO_VARIANTS)) {
  for (const variant of variants) {
    if (variant !== formal && !VARIANT_TO_FORMAL.has(variant)) VARIANT_TO_FORMAL.set(variant, formal.split(' '));
  }
}
// Follow chains so that every spelling of one name lands on the same form: joe -> joseph -> jose.
for (const [variant, formal] of VARIANT_TO_FORMAL) {
  let resolved = formal;
  for (let hop = 0; hop < 4 && resolved.length === 1; hop++) {
    const next = VARIANT_TO_FORMAL.get(resolved[0]);
    if (!next || next.join(' ') === variant) break;
    resolved = next;
  }
  VARIANT_TO_FORMAL.set(variant, resolved);
}

const FORMAL_NAMES = new Set(Object.keys(FORMAL_TO_VARIANTS));
const LONGEST_VARIANT_WORDS = Math.max(...[...VARIANT_TO_FORMAL.keys()].map((variant) => variant.split(' ').length));

/**
 * Replace nicknames by formal names, word by word, preferring longer variants ("jean baptist" before "jean").
 * Input and output are folded words.
 */
export function formaliseGivenNames(nameWords: readonly string[]): string[] {
  const result: string[] = [];
  let index = 0;
  while (index < nameWords.length) {
    let replaced = false;
    for (let span = Math.min(LONGEST_VARIANT_WORDS, nameWords.length - index); span >= 1 && !replaced; span--) {
      const text = nameWords.slice(index, index + span).join(' ');
      // A formal name of several words is kept whole, so that formalising twice changes nothing.
      const formal = span > 1 && FORMAL_NAMES.has(text) ? text.split(' ') : VARIANT_TO_FORMAL.get(text);
      if (formal) {
        result.push(...formal);
        index += span;
        replaced = true;
      }
    }
    if (!replaced) result.push(nameWords[index++]);
  }
  return result;
}

/** The table, for the benchmark generator (which uses it to corrupt names) and for docs. */
export function nicknameTable(): Readonly<Record<string, readonly string[]>> {
  return FORMAL_TO_VARIANTS;
}
