import unhomoglyph from 'unhomoglyph';

/**
 * Unicode's defences against names made to pass for others (UTS #39, Unicode Security Mechanisms):
 * the confusable skeleton, equal for strings that look alike ("ѕсоре" in Cyrillic and "scope"), and
 * the "Highly Restrictive" level, which refuses mixed scripts ("аdmin" with a Cyrillic "а").
 */

// A pass is UTS #39's skeleton, NFD(map(NFD(x))), with unhomoglyph (confusables.txt) as the map; it maps
// code point by code point and normalizes nothing, hence the NFDs. Some of its targets decompose into
// characters that map again (ǆ → "dž" → "dz" + caron → "dz" + breve), so one pass can leave a string that
// a second pass changes, and "dž" typed as d + ž would not meet "ǆ": passes repeat to a fixed point. The
// data settle in at most two; the bound only keeps a future data version that cycled from looping.
const MAX_SKELETON_PASSES = 8;

/** The UTS #39 skeleton, iterated to its fixed point: two strings that look alike have the same one. Not for display. */
export function confusableSkeleton(text: string): string {
  let skeleton = text.normalize('NFD');
  for (let pass = 0; pass < MAX_SKELETON_PASSES; pass++) {
    const next = unhomoglyph(skeleton).normalize('NFD');
    if (next === skeleton) break;
    skeleton = next;
  }
  return skeleton;
}

/**
 * Every script but Common and Inherited, as ISO 15924 codes for `\p{Script_Extensions=…}`. JavaScript can
 * test a character against a script but can neither list scripts nor name a character's, so the names are
 * here; which characters each holds comes from the engine's own Unicode data. A character in none of them
 * (a script newer than this list) is refused as mixed, and test/users/username-confusables.unit.test.ts fails
 * when a letter or digit is left out.
 */
const SCRIPTS = [
  'Adlm', 'Aghb', 'Ahom', 'Arab', 'Armi', 'Armn', 'Avst', 'Bali', 'Bamu', 'Bass', 'Batk', 'Beng', 'Berf', 'Bhks',
  'Bopo', 'Brah', 'Brai', 'Bugi', 'Buhd', 'Cakm', 'Cans', 'Cari', 'Cham', 'Cher', 'Chrs', 'Copt', 'Cpmn', 'Cprt',
  'Cyrl', 'Deva', 'Diak', 'Dogr', 'Dsrt', 'Dupl', 'Egyp', 'Elba', 'Elym', 'Ethi', 'Gara', 'Geor', 'Glag', 'Gong',
  'Gonm', 'Goth', 'Gran', 'Grek', 'Gujr', 'Gukh', 'Guru', 'Hang', 'Hani', 'Hano', 'Hatr', 'Hebr', 'Hira', 'Hluw',
  'Hmng', 'Hmnp', 'Hung', 'Ital', 'Java', 'Kali', 'Kana', 'Kawi', 'Khar', 'Khmr', 'Khoj', 'Kits', 'Knda', 'Krai',
  'Kthi', 'Lana', 'Laoo', 'Latn', 'Lepc', 'Limb', 'Lina', 'Linb', 'Lisu', 'Lyci', 'Lydi', 'Mahj', 'Maka', 'Mand',
  'Mani', 'Marc', 'Medf', 'Mend', 'Merc', 'Mero', 'Mlym', 'Modi', 'Mong', 'Mroo', 'Mtei', 'Mult', 'Mymr', 'Nagm',
  'Nand', 'Narb', 'Nbat', 'Newa', 'Nkoo', 'Nshu', 'Ogam', 'Olck', 'Onao', 'Orkh', 'Orya', 'Osge', 'Osma', 'Ougr',
  'Palm', 'Pauc', 'Perm', 'Phag', 'Phli', 'Phlp', 'Phnx', 'Plrd', 'Prti', 'Rjng', 'Rohg', 'Runr', 'Samr', 'Sarb',
  'Saur', 'Sgnw', 'Shaw', 'Shrd', 'Sidd', 'Sidt', 'Sind', 'Sinh', 'Sogd', 'Sogo', 'Sora', 'Soyo', 'Sund', 'Sunu',
  'Sylo', 'Syrc', 'Tagb', 'Takr', 'Tale', 'Talu', 'Taml', 'Tang', 'Tavt', 'Tayo', 'Telu', 'Tfng', 'Tglg', 'Thaa',
  'Thai', 'Tibt', 'Tirh', 'Tnsa', 'Todr', 'Tols', 'Toto', 'Tutg', 'Ugar', 'Vaii', 'Vith', 'Wara', 'Wcho', 'Xpeo',
  'Xsux', 'Yezi', 'Yiii', 'Zanb',
] as const;

const SCRIPT_PATTERNS = SCRIPTS.map((script) => ({ script, pattern: new RegExp(`\\p{scx=${script}}`, 'u') }));

// Script_Extensions, not Script: "ー" is Common by Script but kana by its extensions, and a digit, "_",
// "." or "-" has no script of its own and goes with any.
const ANY_SCRIPT = /[\p{scx=Zyyy}\p{scx=Zinh}]/u;

// UTS #39's augmented script sets: Han with kana is Japanese (Jpan), Han with Hangul Korean (Kore), Han
// with Bopomofo Chinese (Hanb), so "山田たろう" is one script as its readers see it.
const AUGMENTED: Readonly<Record<string, readonly string[]>> = {
  Hani: ['Hanb', 'Jpan', 'Kore'],
  Hira: ['Jpan'],
  Kana: ['Jpan'],
  Hang: ['Kore'],
  Bopo: ['Hanb'],
};

// Latin as Japanese, Chinese and Korean are written beside it: the mixes the level allows.
const HIGHLY_RESTRICTIVE_MIXES = [
  /^[\p{scx=Latn}\p{scx=Hani}\p{scx=Hira}\p{scx=Kana}\p{scx=Zyyy}\p{scx=Zinh}]*$/u,
  /^[\p{scx=Latn}\p{scx=Hani}\p{scx=Bopo}\p{scx=Zyyy}\p{scx=Zinh}]*$/u,
  /^[\p{scx=Latn}\p{scx=Hani}\p{scx=Hang}\p{scx=Zyyy}\p{scx=Zinh}]*$/u,
];

function augmentedScripts(character: string): Set<string> {
  const scripts = new Set<string>();
  for (const { script, pattern } of SCRIPT_PATTERNS) {
    if (!pattern.test(character)) continue;
    scripts.add(script);
    for (const writingSystem of AUGMENTED[script] ?? []) scripts.add(writingSystem);
  }
  return scripts;
}

const intersection = (left: ReadonlySet<string>, right: ReadonlySet<string>): Set<string> =>
  new Set([...left].filter((item) => right.has(item)));

/** Whether some script holds every character of text (UTS #39 "single script"; characters of no script go with any). */
function isSingleScript(text: string): boolean {
  let shared: ReadonlySet<string> | undefined;
  for (const character of text) {
    if (ANY_SCRIPT.test(character)) continue;
    const scripts = augmentedScripts(character);
    shared = shared ? intersection(shared, scripts) : scripts;
    if (shared.size === 0) return false;
  }
  return true;
}

/**
 * UTS #39's "Highly Restrictive" level: one script, or Latin with Han and kana, Han and Bopomofo, or Han
 * and Hangul. Any other mix, such as a Cyrillic "а" in "admin", is how a name is made to pass for another.
 */
export function isHighlyRestrictive(text: string): boolean {
  return isSingleScript(text) || HIGHLY_RESTRICTIVE_MIXES.some((mix) => mix.test(text));
}
