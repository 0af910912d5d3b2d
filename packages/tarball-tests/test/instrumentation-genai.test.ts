import { expect, it } from 'vitest';
import { describeInstalled, MODULE_SYSTEMS } from './support/describe-installed.js';
import { REGISTRY, runInApp } from './support/user-app.js';

describeInstalled('@va/instrumentation-genai', { ...REGISTRY.api, ...REGISTRY.sdkMetrics }, (app) => {
  it.each(MODULE_SYSTEMS)(
    "%s: its README example records one call's tokens, cached input and spend at the user's price",
    async (_, loader) => {
      const call = {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'my-provider',
        'gen_ai.request.model': 'my-model',
      };
      expect(await runInApp(app(), [loader, '@va/instrumentation-genai'])).toEqual({
        points: [
          {
            name: 'gen_ai.client.token.usage',
            attributes: { ...call, 'gen_ai.token.type': 'input' },
            count: 1,
            sum: 1200,
          },
          {
            name: 'gen_ai.client.token.usage',
            attributes: { ...call, 'gen_ai.token.type': 'output' },
            count: 1,
            sum: 60,
          },
          // 1,200 input tokens at $0.50 per million (cached ones too: the table gives no cached price),
          // 60 output tokens at $1.50 per million.
          {
            name: 'gen_ai.client.cost',
            attributes: { ...call, 'gen_ai.token.type': 'input' },
            value: 0.0006,
          },
          {
            name: 'gen_ai.client.cost',
            attributes: { ...call, 'gen_ai.token.type': 'output' },
            value: 0.00009,
          },
          { name: 'gen_ai.client.inference.usage.cache_read.input_tokens', attributes: call, value: 200 },
        ],
      });
    },
  );
});
