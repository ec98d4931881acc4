import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Language } from '../../interview/interview-types.js';
import { projectRoot } from '../../package-info.js';

/**
 * The prompts of the three model roles, one Markdown file per role and language in
 * src/providers/llm/prompts/ (`interviewer.en.md`, `interviewer.zh.md`…), read once at start.
 *
 * Why Markdown files read from the project root rather than .ts modules: people who tune interviews
 * should be able to read and change the words without touching code, and review them as prose. tsc does
 * not copy .md into dist/, so they are read from `projectRoot/src/…`, which exists both under tsx and
 * for `node dist/src/main.js` run from a checkout or an npm package (package.json has no `files` list).
 * A missing file or section stops the server at start with the path, not on the first interview.
 *
 * Format: a level-2 heading (`## name`) starts a section, which runs to the next one; `{{name}}` is a
 * placeholder; HTML comments are notes for editors and are dropped.
 */

export type PromptRole = 'planner' | 'interviewer' | 'evaluator';

/** The sections each role's file must have; the code renders exactly these. */
export const REQUIRED_SECTIONS: Readonly<Record<PromptRole, readonly string[]>> = {
  planner: ['system', 'user', 'repair'],
  interviewer: [
    'system',
    'context',
    'conversation_start',
    'interrupted',
    'candidate_said',
    'turn_greeting',
    'turn_resume',
    'turn_repeat',
    'turn_answer',
    'turn_skip',
    'turn_unknown',
    'turn_candidate_question',
    'turn_clarify',
    'turn_wait',
    'turn_language',
    'turn_human',
    'turn_redirect',
    'turn_completed',
    'next_question',
    'next_same_question',
    'next_closing',
    'next_none',
    'transition',
    'closing_plan',
    'closing_time',
    'choice',
    'choice_hint',
    'probe',
    'hint',
    'unnamed_candidate',
    'missing_example',
    'missing_outcome',
    'missing_detail',
    'output_rules',
  ],
  evaluator: ['system', 'user', 'repair', 'method_note'],
};

const LANGUAGES: readonly Language[] = ['en', 'zh'];

export const DEFAULT_PROMPT_DIRECTORY = join(projectRoot, 'src', 'providers', 'llm', 'prompts');

export class PromptError extends Error {
  override name = 'PromptError';
}

export function parsePromptSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  const withoutComments = text.replace(/<!--[\s\S]*?-->/g, '');
  let name: string | undefined;
  let lines: string[] = [];
  const close = () => {
    if (name !== undefined) sections.set(name, lines.join('\n').trim());
  };
  for (const line of withoutComments.split(/\r?\n/)) {
    const heading = /^##\s+([a-z_]+)\s*$/.exec(line);
    if (heading?.[1] !== undefined) {
      close();
      name = heading[1];
      lines = [];
    } else if (name !== undefined) {
      lines.push(line);
    }
  }
  close();
  return sections;
}

export class PromptLibrary {
  private constructor(private readonly sections: ReadonlyMap<string, string>) {}

  /** Reads and checks every prompt file; throws PromptError naming the file and what is missing. */
  static load(directory: string = DEFAULT_PROMPT_DIRECTORY): PromptLibrary {
    const sections = new Map<string, string>();
    for (const [role, required] of Object.entries(REQUIRED_SECTIONS) as Array<[PromptRole, readonly string[]]>) {
      for (const language of LANGUAGES) {
        const path = join(directory, `${role}.${language}.md`);
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch (error) {
          throw new PromptError(`Cannot read the prompt file ${path}: ${(error as Error).message}`);
        }
        const parsed = parsePromptSections(text);
        const missing = required.filter((section) => !parsed.has(section));
        if (missing.length > 0) throw new PromptError(`The prompt file ${path} lacks the sections: ${missing.join(', ')}.`);
        for (const [name, body] of parsed) sections.set(`${role}.${language}.${name}`, body);
      }
    }
    return new PromptLibrary(sections);
  }

  /**
   * A section with its placeholders filled in, in one pass, so text inside the values (a résumé that
   * happens to contain `{{…}}`) is never expanded. A placeholder without a value is a bug and throws.
   */
  render(role: PromptRole, language: Language, section: string, values: Readonly<Record<string, string | number>> = {}): string {
    const template = this.sections.get(`${role}.${language}.${section}`);
    if (template === undefined) throw new PromptError(`No prompt section ${role}.${language}.${section}.`);
    return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_match, name: string) => {
      const value = values[name];
      if (value === undefined) throw new PromptError(`The prompt ${role}.${language}.${section} needs a value for {{${name}}}.`);
      return String(value);
    });
  }
}

/**
 * Text from candidates or documents, made safe to put between the prompts' `<<<` and `>>>` delimiters:
 * a résumé or an answer cannot close the quoted block early and pose as instructions.
 */
export function quoteSafe(text: string): string {
  return text.replace(/<<<+/g, '‹‹‹').replace(/>>>+/g, '›››');
}
