import { expect, it } from 'vitest';
import { useBundledServer } from './support/bundled-server.js';
import { describeInstalled, MODULE_SYSTEMS } from './support/describe-installed.js';
import { REGISTRY, runInApp } from './support/user-app.js';

const bundledServer = useBundledServer();

describeInstalled(
  '@va/instrumentation-livekit',
  { ...REGISTRY.api, ...REGISTRY.sdkMetrics, ...REGISTRY.livekit },
  (app) => {
    it.each(MODULE_SYSTEMS)(
      '%s: its README example records two typed replies of an AgentSession, their LLM calls and the session, against the bundled server',
      async (_, loader) => {
        const server = bundledServer();
        const agent = { 'gen_ai.agent.name': 'support-agent' };
        // The OpenAI plugin names its provider by its base URL's host; OPENAI_BASE_URL is read by the
        // openai client under it, so the plugin still reports api.openai.com: openai.
        const call = {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
        };
        const timed = (count: number) => ({ count, sum: expect.any(Number) });
        expect(
          await runInApp(app(), [loader, '@va/instrumentation-livekit'], {
            OPENAI_BASE_URL: server.baseURL,
            OPENAI_API_KEY: 'test',
          }),
        ).toEqual({
          points: [
            // Typed input has no end of utterance and text mode no TTS: turns, but no latency or stages.
            { name: 'voice.turns', attributes: { ...agent, 'voice.turn.end_reason': 'completed' }, value: 2 },
            { name: 'voice.session.active', attributes: agent, value: 0 },
            { name: 'voice.session.turns', attributes: agent, count: 1, sum: 2 },
            { name: 'voice.session.tokens', attributes: agent, count: 1, sum: 63 },
            { name: 'gen_ai.client.operation.duration', attributes: call, ...timed(2) },
            // The instructions and each question as input, the 12-token reply as output, twice.
            {
              name: 'gen_ai.client.token.usage',
              attributes: { ...call, 'gen_ai.token.type': 'input' },
              count: 2,
              sum: 39,
            },
            {
              name: 'gen_ai.client.token.usage',
              attributes: { ...call, 'gen_ai.token.type': 'output' },
              count: 2,
              sum: 24,
            },
            { name: 'gen_ai.client.operation.time_to_first_chunk', attributes: call, ...timed(2) },
            // At gpt-4o-mini's built-in prices: $0.15 per million input tokens, $0.60 output.
            {
              name: 'gen_ai.client.cost',
              attributes: { ...call, 'gen_ai.token.type': 'input' },
              value: expect.closeTo((39 * 0.15) / 1e6, 15),
            },
            {
              name: 'gen_ai.client.cost',
              attributes: { ...call, 'gen_ai.token.type': 'output' },
              value: expect.closeTo((24 * 0.6) / 1e6, 15),
            },
            { name: 'gen_ai.client.inference.usage.cache_read.input_tokens', attributes: call, value: 0 },
          ],
        });
        // The plugin's LLM warms its connection up with a request for the model list as the session starts.
        const requests = server.responses.map(({ path, stream, status }) => ({ path, stream, status }));
        expect(requests.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
          { path: '/v1/chat/completions', stream: true, status: 200 },
          { path: '/v1/chat/completions', stream: true, status: 200 },
          { path: '/v1/models', stream: false, status: 200 },
        ]);
        server.reset();
      },
    );
  },
);
