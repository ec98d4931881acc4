import type { StageName } from '@viva/protocol/interview-schemas.js';
import { BoundedCache } from '../../interview/bounded-cache.js';
import { measureWords } from './text-tools.js';

/** What an answer contains, judged from its text alone (English and Chinese, or a mix). */
export interface AnswerAnalysis {
  /** Size in English-word equivalents (Chinese characters are counted and scaled). */
  words: number;
  sentences: number;
  /** Names a concrete situation: "for example", "at my last job", "I migrated…", "当时", "我负责…". */
  hasExample: boolean;
  /** Says how it turned out: a result, a number, an impact, or a lesson learned. */
  hasOutcome: boolean;
  /** Says who the candidate is professionally: years of experience, current role, field ("tell me about yourself"). */
  hasBackground: boolean;
  /** Reasoning is laid out: several full sentences, or sequence and cause words ("first", "because", "首先"). */
  hasStructure: boolean;
  /** Figures exactly as written, such as "40%", "200 ms", "3倍". */
  metrics: string[];
  tooShort: boolean;
}

/** What a follow-up should ask for: more detail, a concrete example, or the outcome. */
export type MissingAspect = 'detail' | 'example' | 'outcome';

/** Below this many word equivalents an answer is too short to assess (about 32 Chinese characters). */
export const TOO_SHORT_WORDS = 20;
/** "I built an API." names an action but is not yet an example; one needs a little substance. */
const MIN_EXAMPLE_WORDS = 10;
/** A technical answer this long without an example is a reasoned explanation; no need to push for one. */
const SELF_STANDING_TECHNICAL_WORDS = 60;
/** A technical answer this long without numbers or trade-offs is still complete enough. */
const COMPLETE_TECHNICAL_WORDS = 80;
/** An opening ("tell me about yourself") shorter than this gets one nudge for more. */
const SHORT_OPENING_WORDS = 15;

const EXAMPLE_PATTERNS: readonly RegExp[] = [
  /\b(for example|for instance|e\.g\.|as an example|to give you an example|one example)\b/i,
  /\b(at|in) my (last|previous|current|old|first) (job|company|team|role|position|project|employer|internship)\b/i,
  /\b(when i was|one time|there was a time|last (year|quarter|month|week|summer)|a (few|couple of) (years|months|weeks) ago|in (19|20)\d\d)\b/i,
  /\bonce,? (i|we)\b/i,
  /\bwe (built|had|were|migrated|launched|shipped|found|noticed|decided|rolled|moved|used|ran|added|introduced|replaced|designed|wrote|rewrote|set up|switched|discovered|agreed|started)\b/i,
  /\bi (built|led|wrote|designed|implemented|migrated|shipped|launched|worked on|ran|introduced|set up|fixed|debugged|refactored|owned|created|organized|organised|mentored|noticed|found|had to|was responsible|took over|started|proposed|added|used|moved|rewrote|reduced|improved|convinced|talked to|sat down|scheduled|paired|coached|asked|decided|pushed|negotiated|handled|managed|delivered|analyzed|analysed|interviewed|tested|profiled|measured)\b/i,
  /比如|例如|举个例子|举例来说|有一次|那一次|那次|当时|之前在|以前在|上一家|上家公司|上一份工作|在上一个|去年|前年|(19|20)\d\d年/,
  /我们?(负责|主导|带领|设计了|实现了|开发了|搭建了|重构了|迁移了|上线了|推动了|发现|参与了|写了|做了|用了|引入了|改成了|决定|组织了|协调了|说服了|找了|约了|接手了|排查了|定位到|优化了)/,
  /在.{1,12}(公司|项目|团队)(里|中|时|的时候)/,
];

const OUTCOME_PATTERNS: readonly RegExp[] = [
  /\b(promoted|promotion|achieved|praised|recognized|recognised|result(ed|s)?|outcome|as a result|in the end|ended up|reduced|increased|improved|cut (it|the|our|down)|saved|grew|dropped|decreased|doubled|halved|tripled|faster|slower|measured|metrics?|impact|learned|learnt|lessons?|takeaway|taught me|went from|successful(ly)?|fewer|no longer|retention|conversion|adoption|on time|hit (the|our) (target|goal|deadline)|would do differently|in hindsight|looking back)\b/i,
  /升职|晋升|达成|获得了|拿到了|好评|认可|表扬|成功|顺利|结果|最终|最后(上线|完成|成功|我们|顺利|效果)|提升|提高|降低|减少|节省|缩短|增长|下降|翻倍|减半|效果|指标|学到|收获|教训|体会|反思|复盘|影响|转化率|留存|成功上线|顺利上线|不再|从.{1,12}(降到|提升到|减少到|缩短到|增加到|降低到)/,
];

// A figure is money ("$40k") or a number with a unit ("40%", "200 ms", "3倍"). "3 months ago" and "两年前"
// are when, not how much, so a time followed by "ago" or "前" is no figure. Both patterns are sticky and
// tried only where a figure can start (see findFigures): a global `\d[\d,.]*unit` search retries every
// digit of a long digit run, each time to the run's end, which made a 10,000-digit answer cost a second.
const MONEY_FIGURE = /\$\s?\d[\d,.]*\s?(k|m|million|billion)?\b/iy;
const FIGURE_UNIT =
  /\s?(%|％|percent\b|x\b|×|times\b|ms\b|milliseconds\b|seconds\b|secs?\b|minutes\b|mins\b|hours\b|hrs?\b|days\b|weeks\b|months\b|k\b|million\b|thousand\b|users\b|customers\b|requests\b|rps\b|qps\b|tps\b|gb\b|mb\b|tb\b|倍|毫秒|秒|分钟|小时|天|周|个月|万|千|亿|个?用户|QPS)(?!\s*(ago|前|以前|之前))/iy;

const BACKGROUND_PATTERNS: readonly RegExp[] = [
  /\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|many) years?\b|\b(i'?m|i am) (a|an|currently)\b|\bcurrently\b|\bworked (at|as|on|for|in)\b|\bexperience (in|with)\b|\bgraduated\b|\bdegree\b/i,
  // the lookbehind tries a digit run once, from its first digit, instead of once per digit
  /(?<!\d)\d+年|[一二三四五六七八九十两]年|目前|现在在|毕业于|毕业|工作经验|从事|专业/,
];

// figures that read as results (rates, speed-ups, times) come before plain counts such as "40 million rows"
const RESULT_FIGURE = /%|％|percent|x$|×|倍|ms$|毫秒|seconds|秒|minutes|分钟|hours|小时/i;

const STRUCTURE_PATTERN =
  /\b(first(ly)?|second(ly)?|then|after that|next|finally|because|so that|therefore|trade-?offs?|on the other hand|the reason)\b|首先|其次|然后|接着|最后|因为|所以|因此|一方面|另一方面|权衡|第一|第二/i;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/**
 * The figures of a text in order, as `\$\s?\d[\d,.]*…|\d[\d,.]*\s?unit` would find them, in linear time.
 * A unit never starts with a digit, comma or dot, so a number can only be followed by its unit at the end
 * of its run of digits, commas and dots: every start inside one run meets the same end and the same
 * verdict, and one test per run decides them all.
 */
export function findFigures(text: string): string[] {
  const figures: string[] = [];
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 0x24 /* $ */) {
      MONEY_FIGURE.lastIndex = index;
      const money = MONEY_FIGURE.exec(text);
      if (money !== null) {
        figures.push(money[0].trim());
        index = MONEY_FIGURE.lastIndex;
        continue;
      }
    } else if (isDigit(code)) {
      let end = index + 1;
      for (; end < text.length; end += 1) {
        const next = text.charCodeAt(end);
        if (!isDigit(next) && next !== 0x2c /* , */ && next !== 0x2e /* . */) break;
      }
      FIGURE_UNIT.lastIndex = end;
      if (FIGURE_UNIT.exec(text) !== null) {
        figures.push(text.slice(index, FIGURE_UNIT.lastIndex).trim());
        index = FIGURE_UNIT.lastIndex;
      } else {
        index = end;
      }
      continue;
    }
    index += 1;
  }
  return figures;
}

function countSentences(text: string): number {
  return text.split(/[.!?。！？\n]+/).filter((part) => part.trim().length > 1).length;
}

// a turn reads the same answer more than once (to pick a follow-up, then to word the acknowledgement),
// and the report reads every answer again: the last few readings are kept, frozen, so each is done once
const recentAnalyses = new BoundedCache<Readonly<AnswerAnalysis>>(16);

export function analyzeAnswer(text: string): Readonly<AnswerAnalysis> {
  const known = recentAnalyses.get(text);
  if (known !== undefined) return known;
  const analysis = readAnswer(text);
  Object.freeze(analysis.metrics);
  recentAnalyses.remember(text, Object.freeze(analysis));
  return analysis;
}

function readAnswer(text: string): AnswerAnalysis {
  const words = measureWords(text);
  const sentences = countSentences(text);
  const figures = findFigures(text);
  const metrics = [...figures.filter((figure) => RESULT_FIGURE.test(figure)), ...figures.filter((figure) => !RESULT_FIGURE.test(figure))];
  return {
    words,
    sentences,
    hasExample: words >= MIN_EXAMPLE_WORDS && EXAMPLE_PATTERNS.some((pattern) => pattern.test(text)),
    hasOutcome: metrics.length > 0 || OUTCOME_PATTERNS.some((pattern) => pattern.test(text)),
    hasBackground: BACKGROUND_PATTERNS.some((pattern) => pattern.test(text)),
    // three short sentences are not structure by themselves; it takes some length as well
    hasStructure: (sentences >= 3 && words >= 30) || STRUCTURE_PATTERN.test(text),
    metrics,
    tooShort: words < TOO_SHORT_WORDS,
  };
}

/**
 * What is missing from an answer for its stage, most important first; empty when the answer is fine.
 * Stories (experience, behavioral) need an example and an outcome; a technical answer needs them
 * only while it is short, since a long reasoned explanation stands on its own; an opening only needs
 * some substance; the candidate's own questions are never probed.
 */
export function missingAspects(analysis: AnswerAnalysis, stage: StageName): MissingAspect[] {
  const missing: MissingAspect[] = [];
  switch (stage) {
    case 'candidate_questions':
    case 'closing':
      return missing;
    case 'opening':
      return analysis.words < SHORT_OPENING_WORDS ? ['detail'] : missing;
    case 'technical':
      if (!analysis.hasExample && analysis.words < SELF_STANDING_TECHNICAL_WORDS) missing.push('example');
      if (!analysis.hasOutcome && analysis.words < COMPLETE_TECHNICAL_WORDS) missing.push('outcome');
      break;
    case 'experience':
    case 'behavioral':
      if (!analysis.hasExample) missing.push('example');
      if (!analysis.hasOutcome) missing.push('outcome');
      break;
  }
  if (missing.length === 0 && analysis.tooShort) missing.push('detail');
  return missing;
}

/** An answer is thin when something is missing for its stage (too short, no example, no outcome). */
export function isThinAnswer(text: string, stage: StageName): boolean {
  return missingAspects(analyzeAnswer(text), stage).length > 0;
}
