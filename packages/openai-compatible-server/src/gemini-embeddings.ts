/**
 * Gemini and Vertex AI embeddings, in the three shapes the `@google/genai` client's
 * `models.embedContent` uses: `:batchEmbedContents` (the Gemini API, whatever the number of
 * contents; Vertex AI for several contents of a Gemini embedding model), `:embedContent` (one
 * content) and Vertex AI's `:predict` (its text-embedding models). The vectors are the OpenAI
 * endpoint's (same text, same vector). Token counts come back only where Google sends them:
 * Vertex AI's `:embedContent` (`usageMetadata`) and `:predict` (`statistics.token_count`); the
 * Gemini API reports none, so its records carry no usage.
 */
import { DEFAULT_DIMENSIONS, embeddingOf } from './embeddings.js';
import { RequestError } from './errors.js';
import type { Exchange } from './exchange.js';
import type { GeminiPath } from './gemini-path.js';
import { contentWords, countWords, isRecord, usageOf } from './usage.js';

/** `outputDimensionality` where the request puts it, else the default. */
function dimensionsOf(...places: unknown[]): number {
  for (const place of places) {
    const value = isRecord(place) ? place['outputDimensionality'] : undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  }
  return DEFAULT_DIMENSIONS;
}

/** The words of one content (`{ parts: [{ text }] }`, or a bare string). */
function contentTokens(content: unknown): number {
  if (typeof content === 'string') return countWords(content);
  return isRecord(content) ? contentWords(content['parts']) : 0;
}

function requireList(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new RequestError(400, `* ${field}: must not be empty`);
  }
  return value;
}

export async function geminiEmbeddings(
  exchange: Exchange,
  body: Record<string, unknown>,
  target: GeminiPath,
): Promise<void> {
  exchange.model = exchange.requestedModel;
  const reportsUsage = !exchange.scenario.noUsage;
  switch (target.method) {
    case 'batchEmbedContents': {
      const requests = requireList(body['requests'], 'BatchEmbedContentsRequest.requests');
      await exchange.beforeNonStreaming();
      const embeddings = requests.map((request) => {
        const content = isRecord(request) ? request['content'] : undefined;
        return { values: embeddingOf(content, dimensionsOf(request, body['embedContentConfig'])) };
      });
      exchange.sendJson(200, { embeddings });
      return;
    }
    case 'embedContent': {
      const content = body['content'];
      if (!isRecord(content))
        throw new RequestError(400, '* EmbedContentRequest.content: content is not specified');
      const values = embeddingOf(content, dimensionsOf(body, body['embedContentConfig']));
      await exchange.beforeNonStreaming();
      if (!target.vertex) {
        exchange.sendJson(200, { embedding: { values } });
        return;
      }
      const tokens = contentTokens(content);
      exchange.sendJson(
        200,
        {
          embedding: { values },
          ...(reportsUsage
            ? {
                usageMetadata: {
                  promptTokenCount: tokens,
                  totalTokenCount: tokens,
                  promptTokensDetails: [{ modality: 'TEXT', tokenCount: tokens }],
                },
              }
            : {}),
          truncated: false,
        },
        reportsUsage ? usageOf(tokens, 0, {}) : undefined,
      );
      return;
    }
    default: {
      // Vertex AI's `:predict` for its text-embedding models: one instance per content.
      const instances = requireList(body['instances'], 'PredictRequest.instances');
      const dimensions = dimensionsOf(body['parameters']);
      let tokens = 0;
      let characters = 0;
      const predictions = instances.map((instance) => {
        const content = isRecord(instance) ? instance['content'] : undefined;
        const count = contentTokens(content);
        tokens += count;
        characters += typeof content === 'string' ? content.replace(/\s/g, '').length : 0;
        const statistics = { truncated: false, ...(reportsUsage ? { token_count: count } : {}) };
        return { embeddings: { values: embeddingOf(content, dimensions), statistics } };
      });
      await exchange.beforeNonStreaming();
      exchange.sendJson(
        200,
        { predictions, metadata: { billableCharacterCount: characters } },
        reportsUsage ? usageOf(tokens, 0, {}) : undefined,
      );
    }
  }
}
