import { byTokenType, totalCount } from '@va/test-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicInstrumentation, instrumentAnthropic } from '../src/index.js';
import { ANTHROPIC_MAJORS } from './support/anthropic-majors.js';
import { useTestbed } from './support/testbed.js';

const DURATION = 'gen_ai.client.operation.duration';
const TOKENS = 'gen_ai.client.token.usage';
const CACHE_WRITE = 'gen_ai.client.inference.usage.cache_write.input_tokens';
const REQUEST = {
  model: 'claude-haiku-4-5',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Say hello to the caller please' }],
};

async function drain(stream: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _event of stream) count++;
  return count;
}

describe.each(ANTHROPIC_MAJORS)('@anthropic-ai/sdk %i patched by AnthropicInstrumentation', (major) => {
  const testbed = useTestbed(major);
  const { anthropic } = testbed;
  let instrumentation: AnthropicInstrumentation;

  beforeEach(() => {
    // Not enabled through require hooks: the loaded module is patched directly, exactly as the hook
    // would hand it over (the register's subprocess tests cover the hooks).
    instrumentation = new AnthropicInstrumentation({ meterProvider: testbed.metrics.meterProvider });
    for (const patch of instrumentation.getModulePatches()) patch.patch(anthropic.exports, anthropic.version);
  });
  afterEach(() => {
    for (const patch of instrumentation.getModulePatches()) patch.unpatch(anthropic.exports);
  });

  it('measures every client of the module, helpers and beta included, each call once', async () => {
    const client = testbed.plainClient();
    await client.messages.create(REQUEST);
    await drain(await client.messages.create({ ...REQUEST, stream: true }));
    await client.messages.stream(REQUEST).finalMessage();
    await client.beta.messages.create(REQUEST, { headers: { 'x-test-scenario': 'cache-write:2' } });
    await client.messages.countTokens({ model: REQUEST.model, messages: REQUEST.messages });

    expect(testbed.server.requests).toHaveLength(5);
    const counts = (await testbed.metrics.points(DURATION)).map((point) => [
      point.attributes['gen_ai.provider.name'],
      point.attributes['gen_ai.request.model'],
      point.count,
    ]);
    expect(counts).toEqual([['anthropic', 'claude-haiku-4-5', 4]]);
    const reported = testbed.server.responses.filter((response) => response.usage !== undefined);
    expect(byTokenType(await testbed.metrics.points(TOKENS))).toEqual({
      input: { count: 4, sum: reported.reduce((sum, response) => sum + response.usage!.input, 0) },
      output: { count: 4, sum: reported.reduce((sum, response) => sum + response.usage!.output, 0) },
    });
    expect((await testbed.metrics.points(CACHE_WRITE)).reduce((sum, point) => sum + point.value, 0)).toBe(2);
  });

  it('counts a call once when instrumentAnthropic() wraps a client of the patched module', async () => {
    const both = instrumentAnthropic(testbed.plainClient(), { meterProvider: testbed.metrics.meterProvider });
    await both.messages.create(REQUEST);
    await drain(await both.messages.create({ ...REQUEST, stream: true }));
    await both.messages.stream(REQUEST).finalText();
    expect(totalCount(await testbed.metrics.points(DURATION))).toBe(3);
    expect(byTokenType(await testbed.metrics.points(TOKENS)).input!.count).toBe(3);
  });

  it('removes itself on unpatch', async () => {
    for (const patch of instrumentation.getModulePatches()) patch.unpatch(anthropic.exports);
    await testbed.plainClient().messages.create(REQUEST);
    expect(await testbed.metrics.points(DURATION)).toEqual([]);
  });
});
