/**
 * `viva chat [URL]`: a job interview in the terminal, over the SDK. Useful for demos and for checking a
 * deployment end to end: it starts an interview over HTTP, then talks over the WebSocket (streamed
 * replies, notices, reconnects), and prints the report at the end.
 */
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { z } from 'zod';
import { interviewReportSchema, type InterviewSettingsInput } from '../../../src/protocol/interview-schemas.js';
import { parseServerUrl, httpUrl } from '../server-url.js';
import { VivaClient } from '../viva-client.js';
import type { InterviewEndedMessage } from '../viva-client-types.js';
import { isVivaClientError } from '../viva-client-error.js';
import { ChatTerminal } from './chat-terminal.js';
import { parseChatArguments, USAGE, type ChatOptions } from './chat-options.js';
import { LineReader } from './line-reader.js';
import { formatReportSummary } from './report-summary.js';
import { playVoiceTurn } from './voice-demo.js';

const startedInterviewSchema = z.object({ session_id: z.string(), session_token: z.string() });
const httpErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const HELP = 'Commands: /end ends the interview and shows the report, /quit leaves (the interview stays saved), /help.';

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
  if (sessionId === undefined) {
    const settings = await askSettings(options, reader, terminal);
    if (settings === undefined) return 0;
    terminal.note(`starting the interview at ${location.httpBase.origin}`);
    const started = await startInterview(httpUrl(location, '/api/v1/interview/start'), settings, options.apiKey);
    sessionId = started.session_id;
    token ??= started.session_token;
  }

  // resume from 0: the conversation so far (the greeting, at least) is replayed and shown
  const client = new VivaClient({ url: options.url, sessionId, ...(token === undefined ? {} : { token }), lastSeq: 0, WebSocket });
  let ended: InterviewEndedMessage | undefined;
  const endedOnce = new Promise<InterviewEndedMessage>((resolve) => client.once('interview_ended', resolve));
  let stopped = false;
  client.on('ai_response_delta', (message) => terminal.delta(message.data.turn, message.data.delta));
  client.on('ai_response', (message) => terminal.reply(message));
  client.on('transcription', (message) => terminal.line(`You (spoken): ${message.data.text}`));
  client.on('notice', (message) => terminal.line(terminal.style('notice', `[notice from ${message.data.from}] ${message.data.message}`)));
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
    terminal.note(`connection lost (${event.code}); reconnecting in ${seconds} s, attempt ${event.attempt}`);
  });
  client.on('state', (state, previous) => {
    if (state === 'open' && previous === 'reconnecting') terminal.note('reconnected');
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
      const line = await reader.read('you> ');
      if (line === undefined || stopped) break;
      const text = line.trim();
      terminal.echo(line);
      if (text === '') continue;
      if (text === '/quit' || text === '/exit') break;
      if (text === '/help') {
        terminal.note(HELP);
        continue;
      }
      if (text === '/end') {
        ended = await client.endInterview('ended_by_candidate');
        break;
      }
      if (text.startsWith('/')) {
        terminal.note(`unknown command ${text}. ${HELP}`);
        continue;
      }
      try {
        const reply = await client.sendText(text);
        // the last answer ends the interview: interview_ended follows its reply
        if (reply.data.interview.state === 'completed') ended = await endedOnce;
      } catch (error) {
        if (!isVivaClientError(error) || client.state === 'closed') throw error;
        terminal.error(`[${error.code}] ${error.message}`);
      }
    }
    if (ended !== undefined) {
      terminal.line('');
      terminal.line(terminal.style('strong', 'The interview has ended. Report:'));
      await printReport(client, ended, client.sessionToken, terminal);
      return 0;
    }
    if (stopped) return 1;
    terminal.note(`your interview is saved; continue it with: viva chat ${options.url} --session ${client.sessionId ?? sessionId}`);
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
      ...(options.level === undefined ? {} : { level: options.level }),
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

/** Resolves once every durable message up to `seq` (the replay) has arrived, so the prompt comes after it. */
function caughtUp(client: VivaClient, seq: number): Promise<void> {
  if (client.lastSeq >= seq) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const off = client.on('message', () => {
      if (client.lastSeq >= seq) done();
    });
    // a replay that never completes must not leave the user without a prompt
    const timer = setTimeout(done, 10_000);
  });
}

async function printReport(client: VivaClient, ended: InterviewEndedMessage, token: string | undefined, terminal: ChatTerminal): Promise<void> {
  const url = client.httpUrl(ended.data.report_url);
  try {
    const response = await fetch(url, { headers: { accept: 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) } });
    const report = interviewReportSchema.safeParse(await response.json());
    if (!response.ok || !report.success) throw new Error(`HTTP ${response.status}`);
    for (const line of formatReportSummary(report.data)) terminal.line(line);
  } catch (error) {
    terminal.error(`could not fetch the report: ${error instanceof Error ? error.message : String(error)}`);
  }
  terminal.line('');
  terminal.note(`full report: ${url}`);
}

process.exitCode = await main(process.argv.slice(2));
