import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instrumentOpenAI, OpenAIInstrumentation } from '../src/index.js';
import { byTokenType, totalCount } from './support/metrics.js';
import { type AnyOpenAI, OPENAI_MAJORS } from './support/openai-majors.js';
import { useTestbed } from './support/testbed.js';

const DURATION = 'gen_ai.client.operation.duration';
const TOKENS = 'gen_ai.client.token.usage';
const MESSAGES = [{ role: 'user' as const, content: 'Say hello to the caller please' }];

async function drain(stream: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _item of stream) count++;
  return count;
}

describe.each(OPENAI_MAJORS)('openai %i patched by OpenAIInstrumentation', (major) => {
  const testbed = useTestbed(major);
  const { openai } = testbed;
  let instrumentation: OpenAIInstrumentation;

  beforeEach(() => {
    // Not enabled through require hooks: the loaded module (an npm alias `openai${major}`, or 7 installed
    // outside the monorepo) is patched directly, exactly as require-in-the-middle would hand it over.
    instrumentation = new OpenAIInstrumentation({ meterProvider: testbed.metrics.meterProvider });
    for (const patch of instrumentation.getModulePatches()) patch.patch(openai.exports, openai.version);
  });
  afterEach(() => {
    for (const patch of instrumentation.getModulePatches()) patch.unpatch(openai.exports);
  });

  it('measures every client of the module, helpers included', async () => {
    const client = testbed.plainClient();
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    await drain(
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true }),
    );
    const helper = major === 4 ? client.beta.chat.completions : client.chat.completions;
    await helper.stream({ model: 'gpt-4o-mini', messages: MESSAGES }).finalChatCompletion();
    await client.responses.create({ model: 'gpt-4o-mini', input: 'hi' });
    await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hi' });

    const counts = (await testbed.metrics.points(DURATION)).map((point) => [
      point.attributes['gen_ai.operation.name'],
      point.attributes['gen_ai.request.model'],
      point.count,
    ]);
    expect(counts).toEqual([
      ['chat', 'gpt-4o-mini', 4],
      ['embeddings', 'text-embedding-3-small', 1],
    ]);
    expect(testbed.server.requests).toHaveLength(5);
  });

  it('counts a call once when instrumentOpenAI() wraps a client of the patched module', async () => {
    const both = instrumentOpenAI(testbed.plainClient(), { meterProvider: testbed.metrics.meterProvider });
    await both.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    const chunks = await drain(
      await both.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true }),
    );
    expect(chunks).toBe(testbed.server.responses[1]!.chunks! - 1);
    expect(totalCount(await testbed.metrics.points(DURATION))).toBe(2);
    expect(byTokenType(await testbed.metrics.points(TOKENS)).input!.count).toBe(2);
  });

  it('removes itself on unpatch', async () => {
    for (const patch of instrumentation.getModulePatches()) patch.unpatch(openai.exports);
    await testbed.plainClient().chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    expect(await testbed.metrics.points(DURATION)).toEqual([]);
  });
});

describe('options seen in the metrics', () => {
  const testbed = useTestbed(OPENAI_MAJORS.at(-1)!);

  const client = (options: Record<string, unknown>): AnyOpenAI =>
    instrumentOpenAI(testbed.plainClient(), {
      meterProvider: testbed.metrics.meterProvider,
      ...options,
    });

  it('provider name override, normalised models and the legacy gen_ai.system', async () => {
    await client({
      providerName: 'openai',
      normalizeModelNames: true,
      legacySystemAttribute: true,
    }).chat.completions.create({
      model: 'gpt-4o-mini-2024-07-18',
      messages: MESSAGES,
    });
    const [point] = await testbed.metrics.points(DURATION);
    expect(point!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini',
      'server.address': '127.0.0.1',
      'server.port': testbed.server.port,
    });
  });

  it('labels LLM metrics with the enclosing agent only when asked', async () => {
    // The store @va/instrumentation-agent keeps on the global object (its documented contract).
    const { AsyncLocalStorage } = await import('node:async_hooks');
    const key = Symbol.for('@va/instrumentation-agent.context');
    const slot = globalThis as { [key]?: InstanceType<typeof AsyncLocalStorage> };
    const created = slot[key] === undefined;
    slot[key] ??= new AsyncLocalStorage();
    const store = slot[key] as InstanceType<typeof AsyncLocalStorage<{ agentName?: string }>>;
    try {
      await store.run({ agentName: 'support-agent' }, async () => {
        await client({ agentNameOnLLMMetrics: true }).chat.completions.create({
          model: 'gpt-4o-mini',
          messages: MESSAGES,
        });
        await client({}).chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
      });
      await client({ agentNameOnLLMMetrics: true }).chat.completions.create({
        model: 'gpt-4o-mini',
        messages: MESSAGES,
      });
      const agents = (await testbed.metrics.points(DURATION)).map((point) => [
        point.attributes['gen_ai.agent.name'],
        point.count,
      ]);
      expect(agents).toEqual([
        ['support-agent', 1],
        [undefined, 2],
      ]);
    } finally {
      if (created) delete slot[key];
    }
  });

  it("takes the agent name from @va/instrumentation-agent's invokeAgent()", async () => {
    const { invokeAgent } = await import('@va/instrumentation-agent');
    const instrumented = client({ agentNameOnLLMMetrics: true });
    await Promise.all([
      invokeAgent('triage', () =>
        instrumented.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }),
      ),
      invokeAgent('billing', () =>
        instrumented.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }),
      ),
      invokeAgent('billing', () =>
        instrumented.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }),
      ),
    ]);
    const agents = (await testbed.metrics.points(DURATION)).map((point) => [
      point.attributes['gen_ai.agent.name'],
      point.count,
    ]);
    expect(agents.sort()).toEqual([
      ['billing', 2],
      ['triage', 1],
    ]);
  });

  it('no price, no cost series', async () => {
    await client({}).chat.completions.create({ model: 'house-model', messages: MESSAGES });
    expect(totalCount(await testbed.metrics.points(DURATION))).toBe(1);
    expect(await testbed.metrics.points('gen_ai.client.cost')).toEqual([]);
  });

  it('counts tokens locally only when the user opts in and the provider reported none', async () => {
    const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
    const counted = client({ requestStreamUsage: false, countTokens: words });
    const stream = await counted.chat.completions.create(
      { model: 'gpt-4o-mini', messages: MESSAGES, stream: true },
      { headers: { 'x-test-scenario': 'chunks:6' } },
    );
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(byTokenType(await testbed.metrics.points(TOKENS))).toEqual({
      input: { count: 1, sum: words(MESSAGES[0]!.content) },
      output: { count: 1, sum: words(text) },
    });
  });
});
