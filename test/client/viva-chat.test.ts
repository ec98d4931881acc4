import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { FlakyNetwork } from '../helpers/flaky-network.js';
import { ANSWERS, transcriptOf } from './sdk-test-helpers.js';

/** The terminal client as a user runs it: a child process fed lines on stdin. */
class ChatProcess {
  output = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[], options: { command?: string[]; cwd?: string } = {}) {
    const command = options.command ?? ['--import', 'tsx', 'packages/client/src/cli/viva-chat.ts'];
    this.child = spawn(process.execPath, [...command, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  write(...lines: string[]): void {
    this.child.stdin?.write(lines.map((line) => `${line}\n`).join(''));
  }

  end(): void {
    this.child.stdin?.end();
  }

  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} in the output:\n${this.output}`);
      if (this.child.exitCode !== null) throw new Error(`exited (${this.child.exitCode}) without ${pattern}:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

const ZH_ANSWER = '我负责过支付系统的接口设计，用幂等键处理重试，把 p99 延迟控制在 120 毫秒以内。';

describe('viva chat (the terminal client)', () => {
  let server: VivaProcess;
  before(async () => {
    server = await startViva();
  });
  after(async () => {
    await server.stop();
  });

  it('asks for name, role and language, runs the interview, and prints the report after /end', async () => {
    const chat = new ChatProcess(['chat', server.baseUrl, '--questions', '3', '--level', 'senior']);
    try {
      chat.write('Ada', 'Backend Engineer', 'en', ANSWERS[0] ?? '', ANSWERS[1] ?? '', '/end');
      chat.end();
      assert.equal(await chat.exited, 0, chat.output);
      assert.match(chat.output, /Your name: Ada/);
      assert.match(chat.output, /Interviewer: Hi Ada/);
      assert.match(chat.output, /\(question 1 of 3\)/);
      assert.match(chat.output, /\(question 2 of 3/);
      assert.match(chat.output, /You are talking to an AI interviewer, not a person/);
      assert.match(chat.output, /The interview has ended/);
      // the candidate's part of the report (CANDIDATE_REPORT=summary): never a score or recommendation
      assert.match(chat.output, /Thank you, Ada, for interviewing for the Backend Engineer role/);
      assert.doesNotMatch(chat.output, /Overall score|Recommendation|\/ 5/);
      const sessionId = /\[session ([A-Za-z0-9_-]+)\]/.exec(chat.output)?.[1];
      assert.ok(sessionId !== undefined, chat.output);
      assert.deepEqual((await transcriptOf(server.baseUrl, sessionId)).map((turn) => turn.candidate), [null, ANSWERS[0], ANSWERS[1]]);
    } finally {
      chat.kill();
    }
  });

  it('continues an interview with --session: replays the candidate\'s own answers, and its hint is a command that works', async () => {
    const started = await fetch(`${server.baseUrl}/api/v1/interview/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ candidate: { name: 'Lin' }, interview: { role: 'Frontend Engineer', language: 'en', question_count: 4 } }),
    });
    const { session_id: sessionId } = (await started.json()) as { session_id: string };
    await fetch(`${server.baseUrl}/api/v1/interview/${sessionId}/process-unified`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: ANSWERS[0] }),
    });
    const chat = new ChatProcess(['chat', server.wsUrl, '--session', sessionId]);
    try {
      chat.write('/help', '/quit');
      chat.end();
      assert.equal(await chat.exited, 0, chat.output);
      assert.match(chat.output, /Interviewer: Hi Lin/);
      const ownAnswer = chat.output.indexOf(`You: ${ANSWERS[0]}`);
      assert.ok(ownAnswer > chat.output.indexOf('Interviewer: Hi Lin'), `the earlier answer is replayed after the greeting:\n${chat.output}`);
      assert.ok(ownAnswer < chat.output.lastIndexOf('Interviewer:'), 'and before the reply to it');
      assert.match(chat.output, /Commands: \/end/);
      const hint = /continue it with: node "([^"]+)" (chat \S+ --session [A-Za-z0-9_-]+)/.exec(chat.output);
      assert.ok(hint?.[1] !== undefined && hint[2] !== undefined, chat.output);
      assert.equal((await transcriptOf(server.baseUrl, sessionId)).length, 2);

      // the hint, run as printed (from another directory), continues the same interview
      const again = new ChatProcess(hint[2].split(' '), { command: [hint[1]], cwd: '/' });
      try {
        again.write('/quit');
        again.end();
        assert.equal(await again.exited, 0, again.output);
        assert.match(again.output, new RegExp(`session ${sessionId}`));
        assert.match(again.output, /Interviewer: Hi Lin/);
      } finally {
        again.kill();
      }
    } finally {
      chat.kill();
    }
  });

  it('asks for the level when it is not given, and speaks the interview\'s language', async () => {
    const chat = new ChatProcess(['chat', server.baseUrl, '--questions', '2']);
    try {
      chat.write('李雷', '后端工程师', 'expert', 'senior', 'zh', '/help', ZH_ANSWER, '/quit');
      chat.end();
      assert.equal(await chat.exited, 0, chat.output);
      assert.match(chat.output, /Level: junior, mid, senior or lead \[mid\]: /);
      assert.match(chat.output, /please answer junior, mid, senior or lead/);
      assert.match(chat.output, /与你交谈的是 AI 面试官/);
      assert.match(chat.output, /面试官: /);
      // every label of the conversation in the interview's language: progress, prompt, help, the hint
      assert.match(chat.output, /（第 1 题，共 2 题）/);
      assert.match(chat.output, /你> \/help/);
      assert.match(chat.output, /命令：\/end 结束面试/);
      assert.match(chat.output, /面试已保存；继续面试请运行：/);
      assert.doesNotMatch(chat.output, /question \d of|you> |Commands:/);
      const sessionId = /\[session ([A-Za-z0-9_-]+)\]/.exec(chat.output)?.[1];
      const record = (await (await fetch(`${server.baseUrl}/api/v1/interview/${sessionId}`)).json()) as { settings: { level: string } };
      assert.equal(record.settings.level, 'senior');

      // continued later, the interview keeps its language, and the candidate's answer is theirs again
      const resumed = new ChatProcess(['chat', server.baseUrl, '--session', sessionId ?? '']);
      try {
        resumed.write('/quit');
        resumed.end();
        assert.equal(await resumed.exited, 0, resumed.output);
        assert.match(resumed.output, new RegExp(`你: ${ZH_ANSWER}\\n面试官: `));
        assert.match(resumed.output, /与你交谈的是 AI 面试官/);
        assert.doesNotMatch(resumed.output, /Interviewer:|You:|question \d of/);
      } finally {
        resumed.kill();
      }
    } finally {
      chat.kill();
    }
  });

  it('shows a visible note when the connection drops, reconnects, and the answer still gets its reply', async () => {
    const network = await FlakyNetwork.start(server.port);
    const chat = new ChatProcess(['chat', network.wsUrl, '--name', 'Sam', '--role', 'Data Engineer', '--lang', 'en', '--level', 'mid']);
    try {
      await chat.waitFor(/\(question 1 of \d+\)/);
      network.reset();
      await chat.waitFor(/\[connection lost \(1006\); reconnecting in [\d.]+ s, attempt 1\]/);
      await chat.waitFor(/\[reconnected\]/);
      chat.write(ANSWERS[0] ?? '');
      await chat.waitFor(/\(question 2 of \d+/);
      chat.write('/quit');
      chat.end();
      assert.equal(await chat.exited, 0, chat.output);
    } finally {
      chat.kill();
      await network.close();
    }
  });

  it('explains bad arguments and an unreachable start', async () => {
    const bad = new ChatProcess(['chat', '--lang', 'fr']);
    assert.equal(await bad.exited, 2);
    assert.match(bad.output, /--lang must be en or zh/);
    assert.match(bad.output, /Usage: viva chat/);

    const refused = new ChatProcess(['chat', 'http://127.0.0.1:9', '--name', 'A', '--role', 'B', '--lang', 'en', '--level', 'mid']);
    refused.end();
    assert.equal(await refused.exited, 1);
    assert.match(refused.output, /viva: fetch failed|ECONNREFUSED/);
  });
});

describe('bin/viva.js (the launcher)', () => {
  let root: string;
  const run = async (): Promise<string> => {
    const launcher = new ChatProcess(['chat', '--help'], { command: [join(root, 'bin', 'viva.js')], cwd: root });
    launcher.end();
    assert.equal(await launcher.exited, 0, launcher.output);
    return launcher.output.trim();
  };
  const touch = (path: string, secondsAgo: number) => {
    const time = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(join(root, path), time, time);
  };

  before(() => {
    // a copy of the launcher beside stand-ins for the built and the TypeScript CLI, to see which runs
    root = mkdtempSync(join(tmpdir(), 'viva-launcher-'));
    mkdirSync(join(root, 'bin'));
    cpSync('bin/viva.js', join(root, 'bin', 'viva.js'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
    symlinkSync(join(process.cwd(), 'node_modules'), join(root, 'node_modules'), 'dir');
    mkdirSync(join(root, 'packages', 'client', 'src', 'cli'), { recursive: true });
    // a type annotation: only runs through tsx
    writeFileSync(join(root, 'packages', 'client', 'src', 'cli', 'viva-chat.ts'), "const from: string = 'source';\nconsole.log(from, process.argv.slice(2).join(' '));\n");
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('runs the TypeScript through tsx when there is no build (a fresh clone)', async () => {
    assert.equal(await run(), 'source chat --help');
  });

  it('runs the build when it is newer than the sources, and the sources when they changed since', async () => {
    mkdirSync(join(root, 'packages', 'client', 'dist', 'cli'), { recursive: true });
    writeFileSync(join(root, 'packages', 'client', 'dist', 'cli', 'viva-chat.js'), "console.log('dist', process.argv.slice(2).join(' '));\n");
    touch('packages/client/src/cli/viva-chat.ts', 60);
    assert.equal(await run(), 'dist chat --help');
    touch('packages/client/dist/cli/viva-chat.js', 120);
    assert.equal(await run(), 'source chat --help');
    rmSync(join(root, 'packages', 'client', 'src'), { recursive: true });
    assert.equal(await run(), 'dist chat --help');
  });

  it('works from the real checkout', async () => {
    const launcher = new ChatProcess(['chat', '--help'], { command: ['bin/viva.js'] });
    assert.equal(await launcher.exited, 0, launcher.output);
    assert.match(launcher.output, /Usage: viva chat \[URL\]/);
  });
});
