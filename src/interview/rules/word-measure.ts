/**
 * How long a message is, in any interview language: the domain's rules (which short messages are
 * requests rather than answers, what counts as thin) and every engine measure text the same way.
 */

const CJK_IDEOGRAPH_GLOBAL = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
const LATIN_WORD_GLOBAL = /[A-Za-z0-9][A-Za-z0-9'’+#.-]*/g;

export function countCjkCharacters(text: string): number {
  return text.match(CJK_IDEOGRAPH_GLOBAL)?.length ?? 0;
}

export function countLatinWords(text: string): number {
  return text.match(LATIN_WORD_GLOBAL)?.length ?? 0;
}

/**
 * Answer size in English-word equivalents. Chinese has no spaces, so its characters are counted and
 * scaled: a Chinese word averages about 1.6 characters, which keeps thresholds comparable across languages.
 */
export function measureWords(text: string): number {
  return countLatinWords(text) + countCjkCharacters(text) / 1.6;
}

/** Whether a text is mostly Chinese, judged from the text itself (a candidate may switch language). */
export function looksChinese(text: string): boolean {
  return countCjkCharacters(text) >= countLatinWords(text);
}
