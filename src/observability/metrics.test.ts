import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metrics } from './metrics.js';

describe('Metrics', () => {
  it('reports the messages in and out by type at each scrape', async () => {
    const metrics = new Metrics({ collectProcessMetrics: false });
    metrics.messageOut('ai_response');
    metrics.messageOut('ai_response');
    metrics.messageOut('status');
    metrics.messageIn('text_input');
    metrics.messageIn('Not A Type!');
    const first = await metrics.registry.metrics();
    assert.match(first, /^viva_messages_out_total\{type="ai_response"\} 2$/m);
    assert.match(first, /^viva_messages_out_total\{type="status"\} 1$/m);
    assert.match(first, /^viva_messages_in_total\{type="text_input"\} 1$/m);
    assert.match(first, /^viva_messages_in_total\{type="other"\} 1$/m);
    // a second scrape counts what came since on top, not twice over
    metrics.messageOut('status');
    const second = await metrics.registry.metrics();
    assert.match(second, /^viva_messages_out_total\{type="ai_response"\} 2$/m);
    assert.match(second, /^viva_messages_out_total\{type="status"\} 2$/m);
    assert.deepEqual(metrics.totals().messages_out, 4);
  });
});
