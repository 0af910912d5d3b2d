import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { useBundledServer } from './support/bundled-server.js';
import { FIXTURES } from './support/child-app.js';
import { DURATION_COUNT, TOKENS_SUM, TTFC_COUNT, TTFC_SUM } from './support/gen-ai-names.js';
import { scrape, seriesOf as series } from './support/scrape.js';

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const MONOREPO_MODULES = join(PACKAGE_ROOT, '..', '..', 'node_modules');
const OPENAI_PROVIDER: Record<number, string> = {
  4: 'ai-sdk-openai-1',
  5: 'ai-sdk-openai-2',
  6: 'ai-sdk-openai-3',
  7: 'ai-sdk-openai-4',
};

/**
 * An app folder where `ai` is the major under test: the hooks know a package by the name of its folder,
 * so the npm alias (`node_modules/ai-5`) is copied, with what it nests, to `node_modules/ai`. Inside the
 * package, so what `ai` does not nest resolves from the monorepo's node_modules as it does for the alias.
 */
// This run's own: two runs at once (Node 20 and 22) must not copy over each other's apps.
const APPS = join(PACKAGE_ROOT, '.tmp', `ai-sdk-apps-${process.pid}`);

function appFolderFor(major: number): string {
  const folder = join(APPS, `ai-${major}`);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(join(folder, 'node_modules'), { recursive: true });
  cpSync(join(MONOREPO_MODULES, `ai-${major}`), join(folder, 'node_modules', 'ai'), { recursive: true });
  for (const file of ['ai-sdk-app.cjs', 'ai-sdk-app.mjs', 'ai-sdk-calls.cjs', 'ai-sdk-otel-app.mjs'])
    copyFileSync(join(FIXTURES, file), join(folder, file));
  return folder;
}

const chat = {
  gen_ai_operation_name: 'chat',
  gen_ai_provider_name: 'openai',
  gen_ai_request_model: 'gpt-4o-mini',
};
const answered = { ...chat, gen_ai_response_model: 'gpt-4o-mini-2024-07-18' };

describe('the register patches the AI SDK (ai)', () => {
  const llm = useBundledServer();
  afterAll(() => {
    rmSync(APPS, { recursive: true, force: true });
  });

  const cases = [
    ...[4, 5, 6].map((major) => ({ major, loader: '--require' as const, app: 'ai-sdk-app.cjs' })),
    ...[4, 5, 6, 7].map((major) => ({ major, loader: '--import' as const, app: 'ai-sdk-app.mjs' })),
  ];
  for (const { major, loader, app } of cases) {
    it.skipIf(major === 7 && NODE_MAJOR < 22)(
      `ai ${major} under ${loader}: every model call once, the wrapped one too, with tokens and time to first chunk`,
      async () => {
        const folder = appFolderFor(major);
        const samples = await llm.startAndScrape(
          join(folder, app),
          { OPENAI_BASE_URL: llm.server.baseURL, AI_SDK_OPENAI: OPENAI_PROVIDER[major] ?? '' },
          loader,
        );
        // Two generateText, a streamText and, from ai 5 on, an agent's generate() and a model given by name.
        const answeredCalls = major >= 5 ? 5 : 3;
        expect(series(samples, DURATION_COUNT)).toEqual(
          expect.arrayContaining([
            { labels: answered, value: answeredCalls },
            { labels: { ...chat, error_type: '429' }, value: 1 },
            {
              labels: {
                ...chat,
                gen_ai_operation_name: 'embeddings',
                gen_ai_request_model: 'text-embedding-3-small',
              },
              value: 1,
            },
          ]),
        );
        expect(series(samples, DURATION_COUNT)).toHaveLength(3);

        const chatResponses = llm.server.responses.filter(
          (entry) => entry.path === '/v1/chat/completions' && entry.usage,
        );
        expect(chatResponses).toHaveLength(answeredCalls);
        const sum = (type: 'input' | 'output') =>
          chatResponses.reduce((total, entry) => total + (entry.usage?.[type] ?? 0), 0);
        expect(
          series(samples, TOKENS_SUM).filter((sample) => sample.labels.gen_ai_operation_name === 'chat'),
        ).toEqual([
          { labels: { ...answered, gen_ai_token_type: 'input' }, value: sum('input') },
          { labels: { ...answered, gen_ai_token_type: 'output' }, value: sum('output') },
        ]);
        expect(series(samples, TTFC_COUNT)).toEqual([{ labels: answered, value: 1 }]);
        expect(series(samples, TTFC_SUM)[0]?.value).toBeGreaterThanOrEqual(0.05);
        expect(samples.some((sample) => JSON.stringify(sample.labels).includes('canary'))).toBe(false);
      },
    );
  }

  // @ai-sdk/otel (AI SDK 7, Node 22) records its own gen_ai.client.inference.duration of each model call on
  // the global MeterProvider's meter `gen_ai`: with `ai` on, the register drops that meter, so every call
  // is recorded once, by us; with `ai` off, its series shows (the drop is what removes it).
  it.skipIf(NODE_MAJOR < 22)(
    'ai 7 with @ai-sdk/otel: its duration of the same calls is dropped while ai is measured',
    async () => {
      const folder = appFolderFor(7);
      const environment = { OPENAI_BASE_URL: llm.server.baseURL, AI_SDK_OPENAI: OPENAI_PROVIDER[7] ?? '' };
      const theirs = 'voice_agent_gen_ai_client_inference_duration_seconds_count';
      const first = await llm.start(join(folder, 'ai-sdk-otel-app.mjs'), environment, '--import');
      let samples = await scrape(first.metricsPort);
      expect(series(samples, DURATION_COUNT)).toEqual([{ labels: answered, value: 2 }]);
      expect(series(samples, theirs)).toEqual([]);
      await first.app.stop('SIGKILL');

      const second = await llm.start(
        join(folder, 'ai-sdk-otel-app.mjs'),
        { ...environment, OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'ai' },
        '--import',
      );
      samples = await scrape(second.metricsPort);
      expect(series(samples, DURATION_COUNT)).toEqual([]);
      expect(series(samples, theirs).map((sample) => sample.value)).toEqual([2]);
    },
  );

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=ai: only the explicitly wrapped model is measured', async () => {
    const folder = appFolderFor(6);
    const samples = await llm.startAndScrape(join(folder, 'ai-sdk-app.cjs'), {
      OPENAI_BASE_URL: llm.server.baseURL,
      AI_SDK_OPENAI: OPENAI_PROVIDER[6] ?? '',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'ai',
    });
    expect(series(samples, DURATION_COUNT)).toEqual([{ labels: answered, value: 1 }]);
  });
});
