import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('keeps at most its limit, dropping the entry remembered longest ago', () => {
    const cache = new BoundedCache<number>(2);
    cache.remember('a', 1);
    cache.remember('b', 2);
    cache.remember('c', 3);
    assert.deepEqual([cache.get('a'), cache.get('b'), cache.get('c')], [undefined, 2, 3]);
  });

  it('counts a key remembered again as the newest, with its new value', () => {
    const cache = new BoundedCache<number>(2);
    cache.remember('a', 1);
    cache.remember('b', 2);
    cache.remember('a', 10);
    cache.remember('c', 3);
    assert.deepEqual([cache.get('a'), cache.get('b'), cache.get('c')], [10, undefined, 3]);
    cache.delete('a');
    assert.equal(cache.get('a'), undefined);
  });
});
