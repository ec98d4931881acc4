import { parseArgs } from 'node:util';

export interface ChatOptions {
  url: string;
  name: string | undefined;
  role: string | undefined;
  level: string | undefined;
  language: 'en' | 'zh' | undefined;
  questions: number | undefined;
  sessionId: string | undefined;
  token: string | undefined;
  apiKey: string | undefined;
  /** A WAV file to speak as the first answer, hands-free (live voice). */
  voiceWav: string | undefined;
  /** Where to save the interviewer's spoken reply to it, as WAV. */
  voiceOut: string | undefined;
}

export type ParsedCommand = { command: 'chat'; options: ChatOptions } | { command: 'help' } | { command: 'invalid'; message: string };

export const DEFAULT_URL = 'http://127.0.0.1:8000';

export const USAGE = `Usage: viva chat [URL] [options]

A job interview with Viva in the terminal. URL is the server (default $VIVA_URL or ${DEFAULT_URL}).

Options:
  --name NAME        your name (asked when missing)
  --role ROLE        the role you interview for, e.g. "Backend Engineer" (asked when missing)
  --level LEVEL      junior, mid, senior or lead (asked when missing)
  --lang en|zh       the interview language (asked when missing)
  --questions N      how many main questions (1 to 30)
  --session ID       continue an interview started before
  --token TOKEN      the session token (servers in token auth mode)
  --api-key KEY      an API key to start interviews (servers in token auth mode)
  --voice-wav FILE   answer the first question by voice: stream FILE (16-bit mono WAV) hands-free
  --voice-out FILE   save the interviewer's spoken reply to that answer as a WAV file
  -h, --help         this text

While it runs: type your answer and press Enter. /end ends the interview and shows the report,
/quit leaves it (it stays saved; continue with --session), /help lists the commands.`;

/** Reads `viva chat [URL] [options]` (the `chat` word is optional). */
export function parseChatArguments(argv: readonly string[], environment: Record<string, string | undefined>): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        name: { type: 'string' },
        role: { type: 'string' },
        level: { type: 'string' },
        lang: { type: 'string' },
        questions: { type: 'string' },
        session: { type: 'string' },
        token: { type: 'string' },
        'api-key': { type: 'string' },
        'voice-wav': { type: 'string' },
        'voice-out': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return { command: 'invalid', message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help === true || positionals[0] === 'help') return { command: 'help' };
  const rest = positionals[0] === 'chat' ? positionals.slice(1) : positionals;
  if (rest.length > 1) return { command: 'invalid', message: `unexpected argument: ${rest[1] ?? ''}` };
  const language = values.lang?.trim().toLowerCase();
  if (language !== undefined && language !== 'en' && language !== 'zh') {
    return { command: 'invalid', message: '--lang must be en or zh' };
  }
  const questions = values.questions === undefined ? undefined : Number(values.questions);
  if (questions !== undefined && !(Number.isInteger(questions) && questions >= 1 && questions <= 30)) {
    return { command: 'invalid', message: '--questions must be a whole number from 1 to 30' };
  }
  return {
    command: 'chat',
    options: {
      url: rest[0] ?? environment.VIVA_URL ?? DEFAULT_URL,
      name: values.name,
      role: values.role,
      level: values.level,
      language,
      questions,
      sessionId: values.session,
      token: values.token,
      apiKey: values['api-key'],
      voiceWav: values['voice-wav'],
      voiceOut: values['voice-out'],
    },
  };
}
