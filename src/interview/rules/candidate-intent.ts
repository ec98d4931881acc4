import { measureWords } from './word-measure.js';

/**
 * What a message from the candidate asks for instead of answering: hear the question again, skip it,
 * admit they do not know, ask what the question means, ask for a moment, pick up after a reconnect,
 * switch language, ask whether this is a bot; or what it is instead of an answer: abuse, or an attempt to
 * instruct the interviewer or the evaluator. `none` is an ordinary answer.
 */
export type CandidateIntent =
  | 'repeat'
  | 'skip'
  | 'unknown'
  | 'clarify'
  | 'wait'
  | 'where_were_we'
  | 'language'
  | 'human'
  | 'abuse'
  | 'injection'
  | 'none';

/** The intents that are never recorded or scored as an answer, and never praised. */
export const NON_ANSWER_INTENTS: ReadonlySet<CandidateIntent> = new Set(['repeat', 'clarify', 'wait', 'where_were_we', 'language', 'human', 'abuse', 'injection']);

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

// text written to steer the interviewer or the evaluator: role labels, "ignore previous instructions",
// verdict words and transcript markup; checked at any length, since a long answer can carry it too
const INJECTION_PATTERN =
  /(^|\n)\s*(system|assistant|interviewer|evaluator|developer)\s*[:：]|\b(ignore|disregard|forget) (all |any )?(the )?(previous|prior|above|earlier) (instructions|prompts|rules)|\byou are now\b|\b(strong_yes|overall_score|lean_no)\b|\brate (me|the candidate|this candidate) (as |a )?(strong|5|five)|<\/?(transcript|system|instructions?)>|\[\[(follow_up|next)\]\]|忽略(之前|以上|前面|上面)的?(所有)?(指令|提示|要求|规则)|(系统|面试官)\s*[:：]|给(我|候选人)打(满分|5分|五分)/i;

// abuse of the interviewer or the interview, in a message short enough to be about that and nothing else
const ABUSE_PATTERN =
  /\b(stupid|idiotic|dumb|ridiculous|pointless|moronic|bullshit|crap|shut up|screw (you|this)|f+u+c+k\w*|idiot|waste of (my )?time)\b|傻[逼瓜]|蠢|白痴|垃圾问题|破问题|浪费(我的)?时间|闭嘴|无聊透顶/i;
const MAX_ABUSE_WORDS = 25;

const WHERE_WERE_WE_PATTERN =
  /\b(where were we|where did we (leave|stop)|what were we (talking about|discussing)|(my )?(connection|internet|wifi|call) (dropped|died|cut out|froze|went down)|lost (the )?connection|i'?m back)\b|说到哪(儿|里)?了|讲到哪(儿|里)?了|刚才(说|聊|讲)到哪|掉线|断线了|网(络)?断了|我回来了/i;

const WAIT_PATTERN =
  /\b((give|let) me (a|one) (minute|moment|second|sec)|i need (a|one) (minute|moment|second|sec)|(a|one) (minute|moment|second|sec) (to think|please)|let me think( about (it|that))?|i need (some )?time to think|hold on|bear with me)\b|让我想(一)?想|我想一下|我先想想|给我一(点|些|分钟)?时间|稍等|等一下|等我想/i;

const HUMAN_PATTERN =
  /\b(are you (a |an )?(bot|robot|ai|machine|real person|human|computer)|is this (a |an )?(bot|ai|automated|recording)|(talk|speak) (to|with) (a |an )?(real )?(human|person|recruiter|someone real)|want (a|to talk to a) human)\b|你是(不是)?(机器人|ai|AI|人工智能|真人)|是机器人吗|转人工|(找|要)(真人|人工)|真人面试/i;

const LANGUAGE_PATTERN =
  /\b(answer|speak|respond|reply|continue|talk|do (this|it)) in (chinese|mandarin|english)\b|\bswitch to (chinese|mandarin|english)\b|(用|说)(英文|英语|中文|汉语)(回答|说|聊|吗|可以)|(英文|英语|中文)(回答|面试)(可以|行)吗/i;

const CLARIFY_PATTERN =
  /\b(do|did) you mean\b|\bare you asking (about|whether|if|for)\b|\bshould i (talk|focus|answer) (about|on)\b|\bby [\w\s-]{1,30} do you mean\b|\b(is|was) (it|that|the question) about\b.*\bor\b|你是(说|指)|你指的是|是指.+还是|是问.+还是|具体是指/i;

/** The language a "can I answer in …" message asks for, if it names a supported one. */
export function requestedLanguage(text: string): 'en' | 'zh' | undefined {
  if (/chinese|mandarin|中文|汉语/i.test(text)) return 'zh';
  if (/english|英文|英语/i.test(text)) return 'en';
  return undefined;
}

/** `text` with every run of whitespace made one space; `text` itself when that changes nothing. */
function collapseWhitespace(text: string): string {
  return /\s\s|[^\S ]/.test(text) ? text.replace(/\s+/g, ' ') : text;
}

/** Reads a candidate message as something other than an answer (see CandidateIntent), or as `none`. */
export function detectIntent(text: string): CandidateIntent {
  // whitespace runs become one space: `^\s*(sorry|…)\s*[?？]?\s*$` splits a long run between its two
  // `\s*` every possible way before it gives up, which is quadratic in the run's length. Most answers have
  // no run and no other whitespace than single spaces: for them the test spares a copy of the answer
  const trimmed = collapseWhitespace(text.trim());
  if (trimmed === '') return 'none';
  if (INJECTION_PATTERN.test(trimmed)) return 'injection';
  const words = measureWords(trimmed);
  if (words <= MAX_ABUSE_WORDS && ABUSE_PATTERN.test(trimmed)) return 'abuse';
  if (words > MAX_INTENT_WORDS) return 'none';
  if (WHERE_WERE_WE_PATTERN.test(trimmed)) return 'where_were_we';
  if (HUMAN_PATTERN.test(trimmed)) return 'human';
  if (LANGUAGE_PATTERN.test(trimmed) && requestedLanguage(trimmed) !== undefined) return 'language';
  if (WAIT_PATTERN.test(trimmed)) return 'wait';
  if (REPEAT_PATTERNS.some((pattern) => pattern.test(trimmed))) return 'repeat';
  if (CLARIFY_PATTERN.test(trimmed)) return 'clarify';
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
