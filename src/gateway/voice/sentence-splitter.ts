/**
 * Cuts a reply that arrives in pieces into sentences to speak, as soon as each one is complete, so the
 * first sentence is heard while the model is still writing the rest.
 */

// a Latin terminator counts once a space follows it (so "3.5" or "e.g." mid-stream does not cut); a CJK one at once
const SENTENCE_END = /[.!?…]+["'”’)\]]*\s+|[。！？；]+["'”’」』)）]*\s*/g;
/** A sentence running past this many characters is cut at a comma, so a long one does not delay the voice. */
const LONG_SENTENCE = 160;
const CLAUSE_END = /[,，、;；:：]\s*/g;

export class SentenceSplitter {
  private buffer = '';

  /** Adds a piece of the reply; returns the sentences it completed. */
  push(text: string): string[] {
    this.buffer += text;
    const sentences: string[] = [];
    for (;;) {
      const cut = this.nextCut();
      if (cut === -1) break;
      const sentence = this.buffer.slice(0, cut).trim();
      this.buffer = this.buffer.slice(cut);
      if (sentence.length > 0) sentences.push(sentence);
    }
    return sentences;
  }

  /** What is left at the end of the reply. */
  flush(): string | null {
    const rest = this.buffer.trim();
    this.buffer = '';
    return rest.length > 0 ? rest : null;
  }

  private nextCut(): number {
    SENTENCE_END.lastIndex = 0;
    const end = SENTENCE_END.exec(this.buffer);
    if (end !== null) return end.index + end[0].length;
    if (this.buffer.length < LONG_SENTENCE) return -1;
    let last = -1;
    CLAUSE_END.lastIndex = 0;
    for (let match = CLAUSE_END.exec(this.buffer); match !== null; match = CLAUSE_END.exec(this.buffer)) {
      last = match.index + match[0].length;
    }
    return last;
  }
}
