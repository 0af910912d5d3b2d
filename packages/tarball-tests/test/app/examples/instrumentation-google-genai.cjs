// @va/instrumentation-google-genai's README: instrumentGoogleGenAI(new GoogleGenAI()), against the
// bundled server's Gemini API at GEMINI_BASE_URL; one call and one stream, then the points recorded.
'use strict';
const { collectPoints } = require('../in-memory-metrics.cjs');
const { GoogleGenAI } = require('@google/genai');

module.exports = async ({ instrumentGoogleGenAI }) => {
  const ai = instrumentGoogleGenAI(
    new GoogleGenAI({
      apiKey: 'test',
      httpOptions: { baseUrl: process.env.GEMINI_BASE_URL, timeout: 10_000 },
    }),
  );
  const request = { model: 'gemini-2.5-flash', contents: 'Say hello' };
  const response = await ai.models.generateContent(request);
  let streamed = '';
  for await (const chunk of await ai.models.generateContentStream(request)) streamed += chunk.text ?? '';
  return { reply: response.text, streamed, points: await collectPoints() };
};
