import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MessageRateLimiter } from './message-rate-limiter.js';

describe('MessageRateLimiter', () => {
  it('answers a burst with refusals only, and closes a flood that goes on for seconds', () => {
    let now = 0;
    const limiter = new MessageRateLimiter(20, 5_000, () => now);
    // 240 messages in half a second: 40 from the bucket, a few refilled, the rest refused, none abusive
    const burst = Array.from({ length: 240 }, (_value, index) => {
      now = Math.floor((index * 500) / 240);
      return limiter.take();
    });
    assert.ok(burst.filter((verdict) => verdict === 'allowed').length >= 40);
    assert.ok(burst.filter((verdict) => verdict === 'limited').length > 150);
    assert.ok(!burst.includes('abusive'));
    // a calm second later the client is welcome again
    now += 2_000;
    assert.equal(limiter.take(), 'allowed');
    // 100 messages a second without a pause: refused, then abusive once it has lasted five seconds
    const start = now;
    let verdict: string = 'allowed';
    while (verdict !== 'abusive' && now - start < 20_000) {
      now += 10;
      verdict = limiter.take();
    }
    assert.equal(verdict, 'abusive');
    assert.ok(now - start >= 5_000 && now - start < 6_000, `abusive after ${now - start} ms`);
  });

  it('answers a flood with at most ten refusals per allowed message a second, and drops the rest unanswered', () => {
    let now = 0;
    const limiter = new MessageRateLimiter(20, 5_000, () => now);
    const verdicts: string[] = [];
    // 10,000 messages a second for two seconds
    for (let index = 0; index < 20_000; index += 1) {
      now = Math.floor(index / 10);
      verdicts.push(limiter.take());
    }
    const answered = verdicts.filter((verdict) => verdict === 'limited').length;
    assert.ok(answered >= 200 && answered <= 650, `${answered} RATE_LIMITED answers in two seconds`);
    assert.ok(verdicts.filter((verdict) => verdict === 'dropped').length > 19_000);
  });
});
