import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbortControllerPool } from './abort-controller-pool.js';

test('a controller whose call ended untouched is handed out again', () => {
  const pool = new AbortControllerPool();
  const first = pool.take();
  pool.giveBack(first);
  assert.equal(pool.take(), first);
});

test('an aborted controller is never handed out again', () => {
  const pool = new AbortControllerPool();
  const aborted = pool.take();
  aborted.abort(new Error('deadline'));
  pool.giveBack(aborted);
  const next = pool.take();
  assert.notEqual(next, aborted);
  assert.equal(next.signal.aborted, false);
});

test('a controller still listened to is dropped: a later abort must not reach an earlier call', () => {
  const pool = new AbortControllerPool();
  const listened = pool.take();
  let heard = 0;
  listened.signal.addEventListener('abort', () => (heard += 1));
  pool.giveBack(listened);
  const withHandler = pool.take();
  assert.notEqual(withHandler, listened);
  withHandler.signal.onabort = () => undefined;
  withHandler.signal.onabort = null;
  pool.giveBack(withHandler);
  const next = pool.take();
  assert.notEqual(next, listened);
  assert.notEqual(next, withHandler);
  next.abort();
  assert.equal(heard, 0);
});

test('a listener removed before the call ended does not keep the controller out', () => {
  const pool = new AbortControllerPool();
  const controller = pool.take();
  const onAbort = () => undefined;
  controller.signal.addEventListener('abort', onAbort, { once: true });
  controller.signal.removeEventListener('abort', onAbort);
  pool.giveBack(controller);
  assert.equal(pool.take(), controller);
});

test('the pool keeps at most its capacity', () => {
  const pool = new AbortControllerPool(2);
  const controllers = [pool.take(), pool.take(), pool.take()];
  for (const controller of controllers) pool.giveBack(controller);
  const again = [pool.take(), pool.take(), pool.take()];
  assert.equal(again.filter((controller) => controllers.includes(controller)).length, 2);
});
