import confusables from 'unhomoglyph/data.json';
import { usernameSkeleton } from '../../src/users/username';
import { confusableSkeleton, isHighlyRestrictive } from '../../src/users/username-confusables';

describe('confusableSkeleton', () => {
  it.each([
    ['a whole-script Cyrillic look-alike', '\u0455\u0441\u043e\u0440\u0435', 'scope'],
    ['"rn" and "m"', 'rnodern', 'modern'],
    ['"1" and "l"', 'pal_1', 'pal_l'],
    ['"ǆ" and "dž" typed as d + ž, which meet only on a second pass', '\u01c6', 'd\u017e'],
  ])('folds %s together', (_case, left, right) => {
    expect(confusableSkeleton(left)).toBe(confusableSkeleton(right));
  });

  it.each([
    // confusables.txt folds "1" with "l" and "I", not with "i".
    ['admin', 'adm1n'],
    ['admin', 'админ'],
  ])('keeps %s and %s apart', (left, right) => {
    expect(confusableSkeleton(left)).not.toBe(confusableSkeleton(right));
  });

  it('is its own fixed point for every character confusables.txt maps', () => {
    const unsettled = Object.keys(confusables).filter((character) => {
      const skeleton = confusableSkeleton(character);
      return confusableSkeleton(skeleton) !== skeleton;
    });
    expect(unsettled).toEqual([]);
  });

  it('gives usernames that differ only by case the same skeleton', () => {
    expect(usernameSkeleton('\u0405\u0421\u041e\u0420\u0415')).toBe(usernameSkeleton('scope'));
  });
});

describe('isHighlyRestrictive', () => {
  it.each([
    ['Latin with digits and punctuation', 'ada_l.1815-x'],
    ['only digits', '2024'],
    ['Cyrillic', '\u0430\u0434\u043c\u0438\u043d'],
    ['Greek', '\u0391\u03b8\u03b7\u03bd\u03ac'],
    ['Han with Hiragana and digits', '\u5c71\u7530\u305f\u308d\u3046_2024'],
    ['Katakana with its prolonged sound mark', '\u30b3\u30fc\u30d2\u30fc'],
    ['Latin with Han and Katakana', 'Taro\u5c71\u7530\u30ab'],
    ['Latin with Han and Bopomofo', 'wang\u738b\u3105'],
    ['Latin with Han and Hangul', 'kim\uae40\u91d1'],
  ])('accepts %s', (_case, username) => {
    expect(isHighlyRestrictive(username)).toBe(true);
  });

  it.each([
    ['Latin with one Cyrillic letter', '\u0430dmin'],
    ['Latin with Greek', 'alpha_\u03b2eta'],
    ['Cyrillic with Katakana', '\u043a\u043e\u0442\u30ab'],
    ['Hangul with Hiragana', '\uae40\u305f'],
    ['Bopomofo with Hiragana', '\u3105\u305f'],
    ['Latin with Arabic-Indic digits', 'a\u0661'],
  ])('refuses %s', (_case, username) => {
    expect(isHighlyRestrictive(username)).toBe(false);
  });

  it('knows the script of every letter and digit', () => {
    const unknown: string[] = [];
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const character = String.fromCodePoint(codePoint);
      if (/[\p{L}\p{N}]/u.test(character) && !isHighlyRestrictive(character)) unknown.push(codePoint.toString(16));
    }
    expect(unknown).toEqual([]);
  });
});
