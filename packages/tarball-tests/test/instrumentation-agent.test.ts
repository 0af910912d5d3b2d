import { expect, it } from 'vitest';
import { describeInstalled, MODULE_SYSTEMS } from './support/describe-installed.js';
import { REGISTRY, runInApp } from './support/user-app.js';

describeInstalled('@va/instrumentation-agent', { ...REGISTRY.api, ...REGISTRY.sdkMetrics }, (app) => {
  it.each(MODULE_SYSTEMS)(
    '%s: its README example records the invocation, both nodes and the tool call once each',
    async (_, loader) => {
      const agent = { 'gen_ai.agent.name': 'support-agent' };
      const once = { count: 1, sum: expect.any(Number) };
      expect(await runInApp(app(), [loader, '@va/instrumentation-agent'])).toEqual({
        answer: 'Order 42 is shipped.',
        points: [
          { name: 'gen_ai.invoke_agent.duration', attributes: agent, ...once },
          { name: 'agent.node.duration', attributes: { 'agent.node.name': 'plan', ...agent }, ...once },
          { name: 'agent.node.duration', attributes: { 'agent.node.name': 'respond', ...agent }, ...once },
          {
            name: 'gen_ai.execute_tool.duration',
            attributes: { 'gen_ai.tool.name': 'lookup_order', 'gen_ai.tool.type': 'function', ...agent },
            ...once,
          },
        ],
      });
    },
  );
});
