/**
 * The Gemini API's `generateContent`, `streamGenerateContent?alt=sse` and `countTokens`, on the
 * Gemini API's paths and on Vertex AI's, shaped as Google sends them so that the `@google/genai`
 * client's types and getters (`response.text`, `usageMetadata`) work on them unchanged.
 *
 * `usageMetadata.promptTokenCount` counts every input token, cached ones included
 * (`cachedContentTokenCount` says how many of them the cache served); the output is
 * `candidatesTokenCount` plus `thoughtsTokenCount`. A stream sends one chunk per word, each with
 * the usage so far (running totals, not increments), the last one with `finishReason` and the
 * final usage, as Gemini does; `candidatesTokensDetails` comes with the final usage only.
 */
import { RequestError } from './errors.js';
import type { Exchange } from './exchange.js';
import type { GeminiPath } from './gemini-path.js';
import { DEFAULT_REPLY_WORDS, replyDeltas } from './reply.js';
import { SseWriter } from './sse.js';
import type { RecordedUsage } from './types.js';
import { geminiInputTokens, isRecord, usageOf } from './usage.js';

/** The `usageMetadata` of a response or chunk once `candidates` reply tokens have been sent. */
export function geminiUsageMetadata(
  usage: RecordedUsage,
  candidates: number,
  final: boolean,
  vertex: boolean,
): Record<string, unknown> {
  const cached = usage.cachedInput;
  const thoughts = usage.reasoningOutput;
  const text = (tokenCount: number) => [{ modality: 'TEXT', tokenCount }];
  return {
    promptTokenCount: usage.input,
    candidatesTokenCount: candidates,
    totalTokenCount: usage.input + candidates + thoughts,
    ...(cached > 0 ? { cachedContentTokenCount: cached } : {}),
    promptTokensDetails: text(usage.input),
    ...(cached > 0 ? { cacheTokensDetails: text(cached) } : {}),
    ...(final ? { candidatesTokensDetails: text(candidates) } : {}),
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
    ...(vertex ? { trafficType: 'ON_DEMAND' } : {}),
  };
}

/** The request's `contents`, refused with Gemini's wording when missing or empty. */
function requireContents(body: Record<string, unknown>, request: string): unknown[] {
  const contents = body['contents'];
  if (!Array.isArray(contents) || contents.length === 0) {
    throw new RequestError(400, `* ${request}.contents: contents is not specified`);
  }
  return contents;
}

function maxOutputTokens(body: Record<string, unknown>): number | undefined {
  const config = body['generationConfig'];
  const max = isRecord(config) ? config['maxOutputTokens'] : undefined;
  return typeof max === 'number' && Number.isInteger(max) && max >= 1 ? max : undefined;
}

/** `:generateContent` and `:streamGenerateContent?alt=sse`. */
export async function generateContent(
  exchange: Exchange,
  body: Record<string, unknown>,
  target: GeminiPath,
): Promise<void> {
  const contents = requireContents(body, 'GenerateContentRequest');
  const streamed = target.method === 'streamGenerateContent';
  if (streamed && new URL(exchange.req.url ?? '/', 'http://localhost').searchParams.get('alt') !== 'sse') {
    throw new RequestError(400, 'This server streams only server-sent events: add ?alt=sse.');
  }
  const { scenario } = exchange;
  // Gemini echoes the model as sent in `modelVersion`.
  const model = exchange.requestedModel!;
  exchange.model = model;
  // One word is one token: a `maxOutputTokens` below the reply's length cuts it, as Gemini stops there.
  const wanted = Math.max(1, scenario.chunks ?? DEFAULT_REPLY_WORDS);
  const deltas = replyDeltas(Math.min(wanted, maxOutputTokens(body) ?? wanted));
  const finishReason = deltas.length < wanted ? 'MAX_TOKENS' : 'STOP';
  const usage = usageOf(geminiInputTokens(body['systemInstruction'], contents), deltas.length, scenario);
  const reportsUsage = !scenario.noUsage;
  const createTime = new Date().toISOString();

  const response = (text: string, candidates: number, final: boolean) => ({
    candidates: [
      {
        content: { parts: [{ text }], role: 'model' },
        ...(final ? { finishReason } : {}),
        index: 0,
      },
    ],
    ...(reportsUsage ? { usageMetadata: geminiUsageMetadata(usage, candidates, final, target.vertex) } : {}),
    modelVersion: model,
    ...(target.vertex ? { createTime } : {}),
    responseId: exchange.requestId,
  });

  if (!streamed) {
    await exchange.beforeNonStreaming();
    exchange.sendJson(200, response(deltas.join(''), deltas.length, true), reportsUsage ? usage : undefined);
    return;
  }
  exchange.stream = true;
  const chunks = deltas.map((text, index) => ({
    data: response(text, index + 1, index === deltas.length - 1),
  }));
  const sse = new SseWriter(exchange);
  for (const chunk of chunks.slice(0, -1)) await sse.send(chunk);
  await sse.finish(chunks.slice(-1), reportsUsage ? usage : undefined, false);
}

/** `:countTokens`: the prompt tokens the same request would have, as `totalTokens`. */
export async function countTokens(
  exchange: Exchange,
  body: Record<string, unknown>,
  target: GeminiPath,
): Promise<void> {
  const contents = requireContents(body, 'CountTokensRequest');
  exchange.model = exchange.requestedModel;
  const tokens = geminiInputTokens(body['systemInstruction'], contents);
  await exchange.beforeNonStreaming();
  exchange.sendJson(200, {
    totalTokens: tokens,
    ...(target.vertex
      ? { totalBillableCharacters: billableCharacters(body['systemInstruction'], contents) }
      : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: tokens }],
  });
}

/** Vertex AI bills some models by character: the non-whitespace characters of every text part. */
function billableCharacters(systemInstruction: unknown, contents: readonly unknown[]): number {
  let characters = 0;
  for (const content of systemInstruction === undefined ? contents : [systemInstruction, ...contents]) {
    const parts = isRecord(content) && Array.isArray(content['parts']) ? content['parts'] : [];
    for (const part of parts) {
      if (isRecord(part) && typeof part['text'] === 'string')
        characters += part['text'].replace(/\s/g, '').length;
    }
  }
  return characters;
}
