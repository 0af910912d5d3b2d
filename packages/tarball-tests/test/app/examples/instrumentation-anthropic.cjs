// @va/instrumentation-anthropic's README: instrumentAnthropic(new Anthropic()), against the bundled
// server's Messages API at ANTHROPIC_BASE_URL; one message and one stream, then the points recorded.
'use strict';
const { collectPoints } = require('../in-memory-metrics.cjs');
const Anthropic = require('@anthropic-ai/sdk');

module.exports = async ({ instrumentAnthropic }) => {
  const anthropic = instrumentAnthropic(new Anthropic({ apiKey: 'test', maxRetries: 0, timeout: 10_000 }));
  const request = {
    model: 'claude-haiku-4-5',
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Say hello' }],
  };
  const message = await anthropic.messages.create(request, {
    headers: { 'x-test-scenario': 'cache-read:2,cache-write:1' },
  });
  const stream = await anthropic.messages.create({ ...request, stream: true });
  let streamed = '';
  for await (const event of stream) if (event.type === 'content_block_delta') streamed += event.delta.text;
  return { reply: message.content[0].text, streamed, points: await collectPoints() };
};
