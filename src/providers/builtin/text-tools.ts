import type { Language } from '@viva/protocol/interview-schemas.js';

const CJK_IDEOGRAPH = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const ASCII_ALPHANUMERIC = /[A-Za-z0-9]/;

/**
 * The character codes of `marks` (each one UTF-16 unit): scans that look at every character of a reply or
 * an answer test its code rather than a one-character string made for it.
 */
export function codesOf(marks: string): ReadonlySet<number> {
  return new Set([...marks].map((mark) => mark.charCodeAt(0)));
}

export function isCjkIdeograph(character: string): boolean {
  return CJK_IDEOGRAPH.test(character);
}

// word counts are the domain's (its rules and every engine measure text alike)
export { countCjkCharacters, countLatinWords, looksChinese, measureWords } from '../../interview/rules/word-measure.js';

/**
 * Fills `{name}` placeholders. In Chinese text a Latin term (say "Kafka" or "Backend Engineer") gets a
 * space on the sides where it touches a Chinese character, the usual typesetting for mixed text;
 * Chinese terms and punctuation neighbours get none.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>, language: Language): string {
  return template.replace(/\{(\w+)\}/g, (placeholder: string, key: string, offset: number) => {
    const value = values[key];
    if (value === undefined) return placeholder;
    if (language !== 'zh' || value === '') return value;
    const before = template.charAt(offset - 1);
    const after = template.charAt(offset + placeholder.length);
    const spaceBefore = before !== '' && isCjkIdeograph(before) && ASCII_ALPHANUMERIC.test(value.charAt(0));
    const spaceAfter = after !== '' && isCjkIdeograph(after) && ASCII_ALPHANUMERIC.test(value.charAt(value.length - 1));
    return `${spaceBefore ? ' ' : ''}${value}${spaceAfter ? ' ' : ''}`;
  });
}

/** Sentences joined the way each language writes them: a space in English, nothing in Chinese. */
export function joinSentences(sentences: readonly string[], language: Language): string {
  const present = sentences.map((sentence) => sentence.trim()).filter((sentence) => sentence !== '');
  return present.join(language === 'zh' ? '' : ' ');
}

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
