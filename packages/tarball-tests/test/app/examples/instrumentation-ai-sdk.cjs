// @va/instrumentation-ai-sdk's README: instrumentModel(openai.chat(...)) passed to the AI SDK's generateText
// and streamText, against the bundled server at OPENAI_BASE_URL; then the points recorded.
'use strict';
const { collectPoints } = require('../in-memory-metrics.cjs');
const { generateText, streamText } = require('ai');
const { createOpenAI } = require('@ai-sdk/openai');

module.exports = async ({ instrumentModel }) => {
  const openai = createOpenAI({ apiKey: 'test', baseURL: process.env.OPENAI_BASE_URL });
  const model = instrumentModel(openai.chat('gpt-4o-mini'));
  const { text } = await generateText({ model, prompt: 'Say hello', maxRetries: 0 });
  const stream = streamText({ model, prompt: 'Say hello', maxRetries: 0 });
  let streamed = '';
  for await (const delta of stream.textStream) streamed += delta;
  return { reply: text, streamed, points: await collectPoints() };
};
