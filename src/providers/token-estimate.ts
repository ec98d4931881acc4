import type { ModelMessage } from './language-model.js';

const CJK = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/g;

/** Tokens a message costs beyond its text (role and separators), roughly as chat templates add them. */
const MESSAGE_OVERHEAD_TOKENS = 4;

/**
 * Approximate tokens of a text, without a tokenizer: about 4 characters per token for alphabetic scripts,
 * about 1 token per CJK character (and full-width punctuation). Errs high rather than low, as budgets
 * should. Good to within some 20% for English and Chinese on GPT, Qwen, DeepSeek and Llama tokenizers.
 */
export function estimateTokens(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  return cjk + Math.ceil((text.length - cjk) / 4);
}

export function estimateMessageTokens(messages: readonly ModelMessage[]): number {
  return messages.reduce((total, message) => total + MESSAGE_OVERHEAD_TOKENS + estimateTokens(message.content), 0);
}

/**
 * The longest start of `text` within `maxTokens` (by the estimate), cut at a line or word break where one
 * is near, with `marker` appended when something was cut.
 */
export function truncateToTokens(text: string, maxTokens: number, marker = ' […]'): string {
  if (estimateTokens(text) <= maxTokens) return text;
  if (maxTokens <= 0) return '';
  // binary search on length: the estimate grows with every character
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (estimateTokens(text.slice(0, middle)) + estimateTokens(marker) <= maxTokens) low = middle;
    else high = middle - 1;
  }
  const head = text.slice(0, low);
  const breakAt = Math.max(head.lastIndexOf('\n'), head.lastIndexOf(' '), head.lastIndexOf('。'), head.lastIndexOf('，'));
  return `${breakAt > low * 0.8 ? head.slice(0, breakAt) : head}${marker}`;
}
