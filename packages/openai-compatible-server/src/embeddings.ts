/**
 * `POST /v1/embeddings`. Each vector is derived from its input text (same text, same vector), has
 * unit length, and holds float32 values, so the JSON numbers and the base64 bytes of one input
 * decode to exactly the same floats.
 *
 * The openai client (v4.5x and later) asks for `encoding_format: 'base64'` when the caller gives
 * none and decodes the answer itself; so base64 is what most callers really receive.
 */
import { createHash } from 'node:crypto';
import { RequestError } from './errors.js';
import type { Exchange } from './exchange.js';
import { seededRandom } from './random.js';
import { embeddingInputTokens, usageOf } from './usage.js';

export const DEFAULT_DIMENSIONS = 8;

/** A deterministic unit vector of float32 values for one input. */
export function embeddingOf(input: unknown, dimensions: number): number[] {
  const seed = createHash('sha256').update(JSON.stringify(input)).digest().readUInt32LE(0);
  const random = seededRandom(seed);
  const raw = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((value) => Math.fround(value / norm));
}

/** Little-endian float32 bytes in base64: OpenAI's `encoding_format: 'base64'`. */
export function toBase64Float32(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (const [index, value] of vector.entries()) bytes.writeFloatLE(value, index * 4);
  return bytes.toString('base64');
}

/** The separate inputs: a string, strings, one token array, or token arrays. */
function inputsOf(input: unknown): unknown[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0) {
    return input.every((value) => typeof value === 'number') ? [input] : input;
  }
  throw new RequestError(400, "'input' must be a non-empty string or array.", 'input');
}

export async function embeddings(exchange: Exchange, body: Record<string, unknown>): Promise<void> {
  const model = exchange.requireModel();
  exchange.model = model;
  const inputs = inputsOf(body['input']);
  const requestedDimensions = body['dimensions'];
  if (
    requestedDimensions !== undefined &&
    (typeof requestedDimensions !== 'number' ||
      !Number.isInteger(requestedDimensions) ||
      requestedDimensions < 1)
  ) {
    throw new RequestError(400, "'dimensions' must be a positive integer.", 'dimensions');
  }
  const dimensions = requestedDimensions ?? DEFAULT_DIMENSIONS;
  const format = body['encoding_format'] ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw new RequestError(400, "'encoding_format' must be 'float' or 'base64'.", 'encoding_format');
  }
  const { scenario } = exchange;
  const tokens = embeddingInputTokens(body['input']);
  const usage = usageOf(tokens, 0, {});
  const reportsUsage = !scenario.noUsage;

  await exchange.beforeNonStreaming();
  const data = inputs.map((input, index) => {
    const vector = embeddingOf(input, dimensions);
    return { object: 'embedding', index, embedding: format === 'base64' ? toBase64Float32(vector) : vector };
  });
  exchange.sendJson(
    200,
    {
      object: 'list',
      data,
      model,
      ...(reportsUsage ? { usage: { prompt_tokens: tokens, total_tokens: tokens } } : {}),
    },
    reportsUsage ? usage : undefined,
  );
}
