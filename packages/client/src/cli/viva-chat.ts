/**
 * `viva chat [URL]`: a job interview in the terminal, over the SDK. Useful for demos and for checking a
 * deployment end to end: it starts an interview over HTTP, then talks over the WebSocket (streamed
 * replies, notices, reconnects), and prints the report at the end.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { z } from 'zod';
import { candidateReportSchema, interviewReportSchema, type InterviewSettingsInput, type Language } from '@viva/protocol/interview-schemas.js';
import { transcriptTurnSchema } from '@viva/protocol/http-schemas.js';
import { parseServerUrl, httpUrl } from '../server-url.js';
import { VivaClient } from '../viva-client.js';
import { caughtUp } from '../caught-up.js';
import type { InterviewEndedMessage } from '../viva-client-types.js';
import { isVivaClientError } from '../viva-client-error.js';
import { ChatTerminal } from './chat-terminal.js';
import { parseChatArguments, USAGE, type ChatOptions } from './chat-options.js';
import { LineReader } from './line-reader.js';
import { formatCandidateReport, formatReportSummary } from './report-summary.js';
import { cliText } from './cli-text.js';
import { playVoiceTurn } from './voice-demo.js';

const startedInterviewSchema = z.object({ session_id: z.string(), session_token: z.string() });
const sessionRecordSchema = z.object({
  settings: z.object({ language: z.enum(['en', 'zh']) }).partial().optional(),
  transcript: z.array(transcriptTurnSchema),
});
const httpErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseChatArguments(argv, process.env);
  if (parsed.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.command === 'invalid') {
    process.stderr.write(`viva: ${parsed.message}\n\n${USAGE}\n`);
    return 2;
  }
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const readline = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  const reader = new LineReader(readline, interactive);
  readline.on('SIGINT', () => readline.close());
  const terminal = new ChatTerminal(process.stdout, readline, reader, interactive, process.env);
  try {
    return await chat(parsed.options, reader, terminal);
  } catch (error) {
    terminal.error(`viva: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    readline.close();
  }
}

async function chat(options: ChatOptions, reader: LineReader, terminal: ChatTerminal): Promise<number> {
  const location = parseServerUrl(options.url);
  let sessionId = options.sessionId;
  let token = options.token;
  let language: Language = options.language ?? 'en';
  /** The candidate's typed answers by turn, from the transcript: replayed replies come after them. */
  const ownAnswers = new Map<number, string>();
  if (sessionId === undefined) {
    const settings = await askSettings(options, reader, terminal);
    if (settings === undefined) return 0;
    language = settings.interview.language ?? 'en';
    terminal.note(`starting the interview at ${location.httpBase.origin}`);
    const started = await startInterview(httpUrl(location, '/api/v1/interview/start'), settings, options.apiKey);
    sessionId = started.session_id;
    token ??= started.session_token;
  } else {
    const record = await fetchSession(httpUrl(location, `/api/v1/interview/${encodeURIComponent(sessionId)}`), token);
    if (record !== undefined) {
      language = record.settings?.language ?? language;
      for (const turn of record.transcript) if (turn.candidate !== null && turn.input_kind === 'text') ownAnswers.set(turn.turn, turn.candidate);
    }
  }
  const text = cliText(language);
  terminal.setLabels(text);
  // said before the first question, in the interview's language: the candidate is talking to software
  terminal.note(text.disclosure);

  // resume from 0: the conversation so far (the greeting, at least) is replayed and shown
  const client = new VivaClient({ url: options.url, sessionId, ...(token === undefined ? {} : { token }), lastSeq: 0, WebSocket });
  let ended: InterviewEndedMessage | undefined;
  const endedOnce = new Promise<InterviewEndedMessage>((resolve) => client.once('interview_ended', resolve));
  let stopped = false;
  client.on('ai_response_delta', (message) => terminal.delta(message.data.turn, message.data.delta));
  client.on('ai_response', (message) => {
    const own = ownAnswers.get(message.data.turn);
    if (own !== undefined) {
      // a resumed interview: the candidate's own earlier answer, before the reply to it
      terminal.line(`${text.you}: ${own}`);
      ownAnswers.delete(message.data.turn);
    }
    terminal.reply(message);
  });
  client.on('transcription', (message) => terminal.line(`${text.youSpoken}: ${message.data.text}`));
  client.on('notice', (message) => terminal.line(terminal.style('notice', `[${text.notice(message.data.from)}] ${message.data.message}`)));
  client.on('interview_ended', (message) => {
    ended = message;
  });
  client.on('status', (message) => {
    if (message.data.state === 'queued') terminal.note(message.data.detail ?? 'waiting for the previous answer');
  });
  client.on('error', (message) => {
    if (message.reply_to === undefined) terminal.error(`[${message.data.code}] ${message.data.message}`);
  });
  client.on('disconnected', (event) => {
    const seconds = (event.delayMs / 1000).toFixed(1);
    terminal.note(text.connectionLost(event.code, seconds, event.attempt));
  });
  client.on('state', (state, previous) => {
    if (state === 'open' && previous === 'reconnecting') terminal.note(text.reconnected);
  });
  client.on('replaced', () => terminal.error('This interview was opened somewhere else; stopping here.'));
  client.on('closed', (event) => {
    if (event.error === undefined) return;
    stopped = true;
    terminal.error(`Disconnected: ${event.error.message}`);
    reader.end();
  });

  terminal.note(`session ${sessionId}`);
  // a failure to connect was already told by the `closed` handler
  const connected = await client.connect().catch(() => undefined);
  if (connected === undefined) return 1;
  await caughtUp(client, connected.last_seq);
  if (connected.capabilities?.speech_input === false) terminal.note('this server cannot transcribe speech: answer in text');
  if (options.voiceWav !== undefined) await playVoiceTurn(client, terminal, options.voiceWav, options.voiceOut);

  try {
    while (ended === undefined && !stopped) {
      const line = await reader.read(text.prompt);
      if (line === undefined || stopped) break;
      const input = line.trim();
      terminal.echo(line);
      if (input === '') continue;
      if (input === '/quit' || input === '/exit') break;
      if (input === '/help') {
        terminal.note(text.help);
        continue;
      }
      if (input === '/end') {
        ended = await client.endInterview('ended_by_candidate');
        break;
      }
      if (input.startsWith('/')) {
        terminal.note(`${text.unknownCommand(input)} ${text.help}`);
        continue;
      }
      try {
        const reply = await client.sendText(input);
        // the last answer ends the interview: interview_ended follows its reply
        if (reply.data.interview.state === 'completed') ended = await endedOnce;
      } catch (error) {
        if (!isVivaClientError(error) || client.state === 'closed') throw error;
        terminal.error(`[${error.code}] ${error.message}`);
      }
    }
    if (ended !== undefined) {
      terminal.line('');
      terminal.line(terminal.style('strong', text.ended));
      await printReport(client, ended, client.sessionToken, terminal, text);
      return 0;
    }
    if (stopped) return 1;
    terminal.note(`${text.saved} ${continueCommand(options.url, client.sessionId ?? sessionId, options.token ?? (options.apiKey === undefined ? undefined : token))}`);
    return 0;
  } finally {
    client.close();
  }
}

/** Name, role and language: from the flags, else asked. Undefined when the input ends first. */
async function askSettings(
  options: ChatOptions,
  reader: LineReader,
  terminal: ChatTerminal,
): Promise<{ candidate: { name?: string }; interview: InterviewSettingsInput } | undefined> {
  const ask = async (prompt: string): Promise<string | undefined> => {
    const answer = await reader.read(prompt);
    if (answer !== undefined) terminal.echo(answer);
    return answer?.trim();
  };
  const name = options.name ?? (await ask('Your name: '));
  if (name === undefined) return undefined;
  const role = options.role ?? (await ask('The role you are interviewing for (e.g. Backend Engineer): '));
  if (role === undefined) return undefined;
  let level = options.level;
  while (level === undefined) {
    const answer = await ask('Level: junior, mid, senior or lead [mid]: ');
    if (answer === undefined) return undefined;
    const chosen = answer === '' ? 'mid' : answer.toLowerCase();
    if (['junior', 'mid', 'senior', 'lead'].includes(chosen)) level = chosen;
    else terminal.note('please answer junior, mid, senior or lead');
  }
  let language = options.language;
  while (language === undefined) {
    const answer = await ask('Interview language, en or zh [en]: ');
    if (answer === undefined) return undefined;
    const chosen = answer === '' ? 'en' : answer.toLowerCase();
    if (chosen === 'en' || chosen === 'zh') language = chosen;
    else terminal.note('please answer en or zh');
  }
  return {
    candidate: name === '' ? {} : { name },
    interview: {
      language,
      ...(role === '' ? {} : { role }),
      level,
      ...(options.questions === undefined ? {} : { question_count: options.questions }),
    },
  };
}

async function startInterview(
  url: string,
  body: { candidate: { name?: string }; interview: InterviewSettingsInput },
  apiKey: string | undefined,
): Promise<{ session_id: string; session_token: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(apiKey === undefined ? {} : { 'x-api-key': apiKey }) },
    body: JSON.stringify(body),
  });
  const answer: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = httpErrorSchema.safeParse(answer);
    throw new Error(`could not start the interview (HTTP ${response.status}): ${error.success ? error.data.error.message : 'no details'}`);
  }
  const started = startedInterviewSchema.safeParse(answer);
  if (!started.success) throw new Error('the server answered POST /api/v1/interview/start with an unexpected body');
  return started.data;
}


/**
 * What the server lets the candidate see of the report (docs/protocol.md §10): the candidate summary by
 * default, the whole report when CANDIDATE_REPORT=full, nothing (403) when it is `none`.
 */
async function printReport(
  client: VivaClient,
  ended: InterviewEndedMessage,
  token: string | undefined,
  terminal: ChatTerminal,
  text: ReturnType<typeof cliText>,
): Promise<void> {
  const url = client.httpUrl(ended.data.report_url);
  try {
    const response = await fetch(url, { headers: { accept: 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) } });
    if (response.status === 403) {
      terminal.line(text.teamOnly);
      return;
    }
    const body: unknown = await response.json();
    const summary = candidateReportSchema.safeParse(body);
    const report = interviewReportSchema.safeParse(body);
    if (!response.ok || (!summary.success && !report.success)) throw new Error(`HTTP ${response.status}`);
    const lines = summary.success ? formatCandidateReport(summary.data) : report.success ? formatReportSummary(report.data) : [];
    for (const line of lines) terminal.line(line);
  } catch (error) {
    terminal.error(`could not fetch the report: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The transcript and language of a session being continued; undefined when it cannot be read. */
async function fetchSession(url: string, token: string | undefined): Promise<z.infer<typeof sessionRecordSchema> | undefined> {
  try {
    const response = await fetch(url, { headers: { accept: 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) } });
    if (!response.ok) return undefined;
    const parsed = sessionRecordSchema.safeParse(await response.json());
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A command that continues this interview from any directory: this very program by its path (a `viva`
 * on the PATH is not guaranteed), or `npm run chat --` when started that way. The token is included
 * when the server needs one (token auth mode).
 */
function continueCommand(url: string, sessionId: string, token: string | undefined): string {
  const tail = `${url} --session ${sessionId}${token === undefined ? '' : ` --token ${token}`}`;
  if (process.env.npm_lifecycle_event === 'chat') return `npm run chat -- ${tail}`;
  const bin = [new URL('../../../bin/viva.js', import.meta.url), new URL('../../../../bin/viva.js', import.meta.url)]
    .map((candidate) => fileURLToPath(candidate))
    .find((path) => existsSync(path));
  return bin === undefined ? `viva chat ${tail}` : `node ${JSON.stringify(bin)} chat ${tail}`;
}

process.exitCode = await main(process.argv.slice(2));
