/**
 * Whisper-family recognizers, given silence or noise, "hear" the phrases most common at the end of the
 * videos they were trained on. A transcript made only of such phrases, from a short clip, is taken for
 * no speech at all. Two tiers:
 * - phrases nobody says in a job interview ("Thanks for watching", "Subtitles by…", "字幕由…提供"): taken
 *   for phantoms on their own;
 * - phrases a candidate might really say ("Thank you.", "Bye."): only when the recognizer itself rated
 *   every segment as probably not speech (verbose_json `no_speech_prob`).
 */

/** Clips longer than this are assumed to hold real speech, whatever the transcript. @default 30 s */
export const PHANTOM_MAX_CLIP_MS = 30_000;

/** Segments at or above this `no_speech_prob` are probably silence. */
const NO_SPEECH_PROBABILITY = 0.6;

const NEVER_SAID: readonly RegExp[] = [
  /(thank you|thanks) (so much |very much )?for watching/,
  /please (like|subscribe)|like and subscribe|subscribe to (my|the|our) channel|don'?t forget to subscribe/,
  /see you (in the )?next (video|time|episode)/,
  /subtitles?( are)? (made |created |provided )?by/,
  /captions? by|transcri(bed|ption) by|translated by/,
  /amara\.org/,
  /www\.[a-z0-9-]+\.(com|org|net)/,
  /字幕由.{0,30}提供/,
  /字幕(志愿者|制作|翻译)/,
  /(请|欢迎)?(不吝)?点赞.{0,10}(订阅|转发|打赏)/,
  /(感谢|谢谢)(大家的?)?(观看|收看|收听)/,
  /明镜与点点/,
  /中文字幕/,
  /请订阅/,
];

const MAYBE_SAID: readonly RegExp[] = [/^(thank you|thanks|you|bye|okay|ok|so|um|uh)$/, /^(谢谢|谢谢大家|好的|嗯)$/];

/** Lowercase, without punctuation or extra spaces, one sentence per item. */
function sentencesOf(text: string): string[] {
  return text
    .toLowerCase()
    // "amara.org" stays whole: a full stop ends a sentence only before a space or the end
    .split(/(?<=[.!?])\s+|[。！？\n]+/)
    .map((sentence) => sentence.replace(/[.!?]+$/, '').replace(/[,，、:：;；"'“”‘’()（）[\]「」…-]/g, ' ').replace(/\s+/g, ' ').trim())
    .filter((sentence) => sentence !== '');
}

export interface PhantomCheck {
  text: string;
  /** The clip's length when known (from the recognizer or the container). */
  durationMs?: number | undefined;
  /** `no_speech_prob` of each segment, when the recognizer gave verbose_json. */
  noSpeechProbabilities?: readonly number[] | undefined;
}

/** Whether the transcript is most likely invented from silence; see the module comment. */
export function isPhantomTranscript(check: PhantomCheck): boolean {
  if (check.durationMs !== undefined && check.durationMs > PHANTOM_MAX_CLIP_MS) return false;
  const sentences = sentencesOf(check.text);
  if (sentences.length === 0) return false;
  if (sentences.every((sentence) => NEVER_SAID.some((pattern) => pattern.test(sentence)))) return true;
  const probabilities = check.noSpeechProbabilities ?? [];
  const recognizerHeardNothing = probabilities.length > 0 && probabilities.every((probability) => probability >= NO_SPEECH_PROBABILITY);
  return (
    recognizerHeardNothing &&
    sentences.every((sentence) => MAYBE_SAID.some((pattern) => pattern.test(sentence)) || NEVER_SAID.some((pattern) => pattern.test(sentence)))
  );
}
