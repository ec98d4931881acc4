import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { installLastResort } from './last-resort.js';

function capturedLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('the process-level last resort', () => {
  it('logs an escaped error and keeps serving, until a burst says something shared is broken', () => {
    const target = new EventEmitter();
    const { logger, lines } = capturedLogger();
    let broken = 0;
    installLastResort(target as unknown as NodeJS.Process, { logger, maxErrors: 3, windowMs: 60_000, onBroken: () => (broken += 1) });
    target.emit('uncaughtException', new RangeError('Maximum call stack size exceeded'));
    target.emit('unhandledRejection', new Error('lost promise'));
    assert.equal(broken, 0);
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /Maximum call stack size exceeded/);
    target.emit('uncaughtException', new Error('three'));
    target.emit('uncaughtException', new Error('four'));
    target.emit('uncaughtException', new Error('five'));
    assert.equal(broken, 1, 'onBroken is called once');
  });
});
