// @va/instrumentation-openai's README: instrumentOpenAI(new OpenAI()), against the bundled server at
// OPENAI_BASE_URL; one call and one stream, then the points recorded.
'use strict';
const { collectPoints } = require('../in-memory-metrics.cjs');
const OpenAI = require('openai');

module.exports = async ({ instrumentOpenAI }) => {
  const openai = instrumentOpenAI(new OpenAI({ apiKey: 'test', maxRetries: 0, timeout: 10_000 }));
  const messages = [{ role: 'user', content: 'Say hello' }];
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
  const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
  let streamed = '';
  for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? '';
  return { reply: completion.choices[0].message.content, streamed, points: await collectPoints() };
};
