import { expect, it } from 'vitest';
import { useBundledServer } from './support/bundled-server.js';
import { describeInstalled, MODULE_SYSTEMS } from './support/describe-installed.js';
import { REGISTRY, runInApp } from './support/user-app.js';

const bundledServer = useBundledServer();

describeInstalled(
  '@va/instrumentation-google-genai',
  { ...REGISTRY.api, ...REGISTRY.sdkMetrics, ...REGISTRY.googleGenAI },
  (app) => {
    it.each(MODULE_SYSTEMS)(
      '%s: instrumentGoogleGenAI(client) records the tokens and operations of a call and a stream against the bundled server',
      async (_, loader) => {
        const server = bundledServer();
        const call = {
          'gen_ai.operation.name': 'generate_content',
          'gen_ai.provider.name': 'gcp.gemini',
          'gen_ai.request.model': 'gemini-2.5-flash',
          'gen_ai.response.model': 'gemini-2.5-flash',
        };
        const endpoint = { ...call, 'server.address': '127.0.0.1', 'server.port': server.port };
        const text = { 'gen_ai.token.modality': 'text' };
        const reply = 'Hello! This is a deterministic reply from a fake OpenAI-compatible test server.';
        const timed = (count: number) => ({ count, sum: expect.any(Number) });
        expect(
          await runInApp(app(), [loader, '@va/instrumentation-google-genai'], {
            GEMINI_BASE_URL: server.geminiBaseURL,
          }),
        ).toEqual({
          reply,
          streamed: reply,
          points: [
            { name: 'gen_ai.client.operation.duration', attributes: endpoint, ...timed(2) },
            // 'Say hello' is 3 + 2 input tokens, the reply 12 output tokens, for the call and the stream
            // (the stream's last chunk: its chunks carry running totals).
            {
              name: 'gen_ai.client.token.usage',
              attributes: { ...endpoint, 'gen_ai.token.type': 'input', ...text },
              count: 2,
              sum: 10,
            },
            {
              name: 'gen_ai.client.token.usage',
              attributes: { ...endpoint, 'gen_ai.token.type': 'output', ...text },
              count: 2,
              sum: 24,
            },
            { name: 'gen_ai.client.operation.time_to_first_chunk', attributes: endpoint, ...timed(1) },
            // The intervals between the stream's 12 chunks.
            { name: 'gen_ai.client.operation.time_per_output_chunk', attributes: endpoint, ...timed(11) },
            // Gemini 2.5 Flash's list prices: 0.30 and 2.50 US dollars per million input and output tokens.
            {
              name: 'gen_ai.client.cost',
              attributes: { ...call, 'gen_ai.token.type': 'input', ...text },
              value: 0.000003,
            },
            {
              name: 'gen_ai.client.cost',
              attributes: { ...call, 'gen_ai.token.type': 'output', ...text },
              value: 0.00006,
            },
          ],
        });
        expect(server.responses.map(({ stream, status }) => ({ stream, status }))).toEqual([
          { stream: false, status: 200 },
          { stream: true, status: 200 },
        ]);
        server.reset();
      },
    );
  },
);
