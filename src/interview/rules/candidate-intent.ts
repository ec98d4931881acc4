import { measureWords } from './word-measure.js';

/**
 * What a short message from the candidate asks for instead of answering: hear the question again,
 * skip it, or admit they do not know. `none` is an ordinary answer.
 */
export type CandidateIntent = 'repeat' | 'skip' | 'unknown' | 'none';

/**
 * Intents are only read from short messages: "I don't know if this is relevant, but at my last job…"
 * is an answer, not an admission. About 14 words, or some 22 Chinese characters.
 */
const MAX_INTENT_WORDS = 14;

const REPEAT_PATTERNS: readonly RegExp[] = [
  /\b(repeat|say (that|it|the question) again|come again|pardon|rephrase|one more time|ask (that|it) again)\b/i,
  /\b(didn'?t|did not|couldn'?t|could not) (catch|hear|get|understand) (that|it|the question|you)\b/i,
  /\b(what was the question|what'?s the question|what do you mean|not sure what you mean|don'?t understand the question)\b/i,
  /^\s*(sorry|what|huh|pardon|excuse me)\s*[?？]?\s*$/i,
  /再说一(遍|次|下)|再讲一(遍|次|下)|再问一(遍|次|下)|重复一(下|遍|次)|再重复|没听清|没听到|没听懂|没听明白|没明白你的意思|不太明白你的意思|不懂你的意思|什么意思|问题是什么|题目是什么|刚才问的是什么|你说什么|您说什么|换个说法|能再说/,
];

const SKIP_PATTERNS: readonly RegExp[] = [
  /\b(skip|next question|move on|go to the next|pass on (this|that)( one)?|rather not (answer|say|talk about)|prefer not to (answer|say)|let'?s go on)\b/i,
  /^\s*pass[.!]?\s*$/i,
  /跳过|下一题|下一个问题|下一道|换一题|换个问题|换一个问题|不想回答|不方便回答|不回答了|过吧|^\s*过\s*[。！!]?\s*$/,
];

const UNKNOWN_PATTERNS: readonly RegExp[] = [
  /\b(i (really |honestly |just )?(do not|don'?t) know|dunno|no idea|not sure|no clue|i'?m not familiar|not familiar with|never (done|used|worked with|heard of)|haven'?t (done|used|worked with|heard of)|no experience (with|in)|i can'?t answer|can'?t think of (one|any|anything|an example)|nothing comes to mind|i don'?t have (an|any) (example|experience|answer))\b/i,
  /不知道|不清楚|不太清楚|不了解|不太了解|不太懂|不懂|不会|没做过|没接触过|没有接触过|没用过|没有经验|想不出来|想不起来|答不上来|说不上来|没有这方面的经验|没遇到过|没有遇到过/,
];

// "not sure, but I think a cache would help" is an attempt at an answer, not an admission
const ATTEMPT_PATTERN = /\b(but|though|although|maybe|perhaps|probably|i think|i guess|i'?d say|my guess)\b|但是|但|不过|可能|应该|我猜|我觉得|我认为|大概/i;

/** Reads a short candidate message as a request to repeat or skip, or as "I don't know". */
export function detectIntent(text: string): CandidateIntent {
  const trimmed = text.trim();
  if (trimmed === '' || measureWords(trimmed) > MAX_INTENT_WORDS) return 'none';
  if (REPEAT_PATTERNS.some((pattern) => pattern.test(trimmed))) return 'repeat';
  if (SKIP_PATTERNS.some((pattern) => pattern.test(trimmed))) return 'skip';
  if (UNKNOWN_PATTERNS.some((pattern) => pattern.test(trimmed)) && !ATTEMPT_PATTERN.test(trimmed)) return 'unknown';
  return 'none';
}

const NO_QUESTIONS_PATTERN =
  /^\W*(no|nope|none|nothing|not really|i'?m good|i'?m fine|all good|no questions?|not (at the moment|right now|for now)|i don'?t have any|i think that'?s (it|all)|that'?s (it|all))\b|没有|暂时没有|没什么问题|没问题了|都清楚了|没了|不用了/i;

/** At the "any questions for me?" stage: whether the candidate is saying they have none. */
export function hasNoQuestions(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === '') return true;
  // a question mark or a longer message means they did ask something
  if (/[?？]/.test(trimmed) || measureWords(trimmed) > MAX_INTENT_WORDS) return false;
  return NO_QUESTIONS_PATTERN.test(trimmed);
}

const ASKING_PATTERN =
  /[?？]|^\W*(what|how|why|when|where|who|which|is|are|do|does|did|can|could|will|would|should)\b|\b(i'?d like to know|i'?m curious|i was wondering|i wonder)\b|吗|什么|怎么|如何|哪些|哪里|多少|是否|想了解|想知道/i;

/** Whether a message asks something (a question mark, a question word, or "I'd like to know…"). */
export function asksSomething(text: string): boolean {
  return ASKING_PATTERN.test(text.trim());
}
