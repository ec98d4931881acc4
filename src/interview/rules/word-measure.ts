/**
 * How long a message is, in any interview language: the domain's rules (which short messages are
 * requests rather than answers, what counts as thin) and every engine measure text the same way.
 */

/*
 * Counted by one pass over the UTF-16 code units, not by `text.match(/…/g).length`: a turn measures the
 * answer several times, and each match built an array of every word as a string of its own only to read
 * its length. The counts are those of the patterns in each comment (word-measure.test.ts holds them to it).
 */

/** A CJK ideograph, `/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/`: Extension A, the unified block, compatibility. */
function isCjkIdeograph(code: number): boolean {
  return (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff);
}

/** `[A-Za-z0-9]`: what a Latin word starts with. */
function startsLatinWord(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** `[A-Za-z0-9'’+#.-]`: what a Latin word goes on with ("don't", "C++", "C#", "v2.1", "event-driven"). */
function continuesLatinWord(code: number): boolean {
  return startsLatinWord(code) || code === 0x27 || code === 0x2019 || code === 0x2b || code === 0x23 || code === 0x2e || code === 0x2d;
}

/** Ideographs in `text` (see isCjkIdeograph). */
export function countCjkCharacters(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) if (isCjkIdeograph(text.charCodeAt(index))) count += 1;
  return count;
}

/** Latin words in `text`: the matches of `/[A-Za-z0-9][A-Za-z0-9'’+#.-]*\/g`, each as long as it can be. */
export function countLatinWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inWord && continuesLatinWord(code)) continue;
    inWord = startsLatinWord(code);
    if (inWord) count += 1;
  }
  return count;
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
