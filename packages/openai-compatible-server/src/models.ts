/**
 * Model names: the dated name a response reports, and `GET /v1/models`.
 */
import type { Exchange } from './exchange.js';

/** The date OpenAI's gpt-4o-mini snapshot carries; every undated model gets it in responses. */
export const MODEL_DATE_SUFFIX = '-2024-07-18';

/**
 * The model a chat or responses answer names: OpenAI answers an alias with its dated snapshot
 * (`gpt-4o-mini` → `gpt-4o-mini-2024-07-18`), and instrumentations record both names, so the
 * server does the same. A name already ending in `-YYYY-MM-DD` is kept.
 */
export function responseModel(requested: string): string {
  return /-\d{4}-\d{2}-\d{2}$/.test(requested) ? requested : `${requested}${MODEL_DATE_SUFFIX}`;
}

export const MODELS: readonly string[] = [
  'gpt-4o-mini',
  'gpt-4o',
  'gpt-4.1-mini',
  'text-embedding-3-small',
  'whisper-1',
  'gpt-4o-transcribe',
  'gpt-4o-mini-transcribe',
  'tts-1',
  'gpt-4o-mini-tts',
];

/** 2024-01-01, a fixed creation time so the list is the same on every call. */
const CREATED = 1704067200;

function modelObject(id: string) {
  return { id, object: 'model', created: CREATED, owned_by: 'system' };
}

export async function listModels(exchange: Exchange): Promise<void> {
  await exchange.beforeNonStreaming();
  exchange.sendJson(200, { object: 'list', data: MODELS.map(modelObject) });
}

/** `GET /v1/models/{id}`: every id exists here. */
export async function retrieveModel(exchange: Exchange, id: string): Promise<void> {
  exchange.model = id;
  await exchange.beforeNonStreaming();
  exchange.sendJson(200, modelObject(id));
}
