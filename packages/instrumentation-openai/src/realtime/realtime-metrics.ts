import type { Attributes } from '@opentelemetry/api';
import {
  copyOf,
  histogramsFor,
  recordUsage,
  type TokenUsage,
  withAttribute,
} from '@va/instrumentation-genai';
import { instrumentsOf } from '../instruments.js';
import type { Settings } from '../options.js';
import { BoundedValues } from './bounded-values.js';

/** Where a Realtime session runs, as the connection knows it before the first event. */
export interface RealtimeSessionSource {
  /** `gen_ai.request.model`: the model the connection dialled (`?model=`, Azure's `deployment`). */
  readonly requestModel: string | undefined;
  readonly serverAddress: string | undefined;
  readonly serverPort: number | undefined;
  /** `gen_ai.provider.name` when the options name none. Default `openai`. */
  readonly providerName?: string | undefined;
  /** `gen_ai.agent.name` of the voice metrics (a `RealtimeAgent`'s name); on GenAI metrics only by opt-in. */
  readonly agentName?: string | undefined;
}

export const REALTIME_OPERATION = 'realtime_inference';
const TRANSCRIPTION_OPERATION = 'transcription';

/** Shared by every session: the provider's error codes and limit names are one label space per process. */
const errorTypes = new BoundedValues(50);
const limitNames = new BoundedValues(10, 32);

function normalized(settings: Settings, model: string | undefined): string | undefined {
  return model === undefined || settings.normalizeModel === undefined
    ? model
    : settings.normalizeModel(model);
}

/**
 * What one Realtime session records under the GenAI names: each response's duration and time to first
 * chunk, the usage of every `response.done` and of input transcription, `error` events and the rate limits.
 * Attribute sets are built once per session and model, and copied per point: the SDK may keep a set it
 * was given as a series key.
 */
export class RealtimeMetrics {
  private readonly _settings: Settings;
  private readonly _source: RealtimeSessionSource;
  private readonly _providerName: string;
  private _responseModel: string | undefined;
  private _attributes: Attributes;
  /**
   * Every set this session records, frozen and kept: a session records the same few sets for each of its
   * responses, and @va/otel-sdk resolves a frozen set to its series once. Bounded by what the keys can be:
   * token types × modalities, error types, limit names; emptied when the response model changes.
   */
  private _sets = new Map<string, Attributes>();

  constructor(settings: Settings, source: RealtimeSessionSource) {
    this._settings = settings;
    this._source = source;
    this._providerName = settings.providerName ?? source.providerName ?? 'openai';
    this._attributes = this._attributesOf(REALTIME_OPERATION, source.requestModel, undefined);
  }

  /** The model the server says the session runs (`session.created`): `gen_ai.response.model` from now on. */
  set responseModel(model: string | undefined) {
    if (model === this._responseModel) return;
    this._responseModel = model;
    this._attributes = this._attributesOf(REALTIME_OPERATION, this._source.requestModel, model);
    this._sets = new Map();
  }

  /** The kept, frozen set for `key`, built on first use. */
  private _set(key: string, build: () => Attributes): Attributes {
    let set = this._sets.get(key);
    if (set === undefined) {
      set = Object.freeze(build());
      this._sets.set(key, set);
    }
    return set;
  }

  response(seconds: number, firstChunkSeconds: number | undefined, errorType: string | undefined): void {
    const instruments = instrumentsOf(this._settings);
    const attributes = this._set('response', () => copyOf(this._attributes));
    const operationName = attributes['gen_ai.operation.name'];
    const durationAttributes =
      errorType === undefined
        ? attributes
        : this._set(`failed ${errorType}`, () => withAttribute(this._attributes, 'error.type', errorType));
    for (const histogram of histogramsFor(instruments, 'duration', operationName))
      histogram.record(seconds, durationAttributes);
    if (firstChunkSeconds === undefined) return;
    for (const histogram of histogramsFor(instruments, 'timeToFirstChunk', operationName))
      histogram.record(firstChunkSeconds, attributes);
  }

  /** A response's `usage`, cancelled responses included. */
  usage(usage: TokenUsage): void {
    recordUsage(
      instrumentsOf(this._settings),
      {
        priceOf: this._settings.priceOf,
        attributes: this._attributes,
        requestModel: this._source.requestModel,
        reportedResponseModel: this._responseModel,
        responseModel: normalized(this._settings, this._responseModel),
      },
      usage,
    );
  }

  /** Token-billed input transcription, under the transcription model the session configured. */
  transcriptionUsage(usage: TokenUsage, model: string | undefined): void {
    recordUsage(
      instrumentsOf(this._settings),
      {
        priceOf: this._settings.priceOf,
        attributes: this._attributesOf(TRANSCRIPTION_OPERATION, model, undefined),
        requestModel: model,
        reportedResponseModel: undefined,
        responseModel: undefined,
      },
      usage,
    );
  }

  /** An `error` event: its code (else its type), bounded. */
  error(code: string): void {
    const errorType = this.errorType(code);
    instrumentsOf(this._settings).realtimeErrors.add(
      1,
      this._set(`error ${errorType}`, () => ({
        'gen_ai.provider.name': this._providerName,
        ...this._requestModel(),
        'error.type': errorType,
      })),
    );
  }

  /** A code as `error.type`: the same bound as the error events. */
  errorType(code: string): string {
    return errorTypes.valueOf(code);
  }

  rateLimit(name: string, limit: number | undefined, remaining: number | undefined): void {
    const instruments = instrumentsOf(this._settings);
    const limitName = limitNames.valueOf(name);
    const attributes = this._set(`limit ${limitName}`, () => ({
      'gen_ai.provider.name': this._providerName,
      ...this._requestModel(),
      'gen_ai.rate_limit.name': limitName,
    }));
    if (remaining !== undefined) instruments.rateLimitRemaining.record(remaining, attributes);
    if (limit !== undefined) instruments.rateLimitLimit.record(limit, attributes);
  }

  private _requestModel(): Attributes {
    const model = normalized(this._settings, this._source.requestModel);
    return model === undefined ? {} : { 'gen_ai.request.model': model };
  }

  private _attributesOf(
    operation: string,
    requestModel: string | undefined,
    responseModel: string | undefined,
  ) {
    const attributes: Attributes = {
      'gen_ai.operation.name': operation,
      'gen_ai.provider.name': this._providerName,
    };
    if (this._settings.legacySystemAttribute) attributes['gen_ai.system'] = this._providerName;
    const request = normalized(this._settings, requestModel);
    if (request !== undefined) attributes['gen_ai.request.model'] = request;
    const response = normalized(this._settings, responseModel);
    if (response !== undefined) attributes['gen_ai.response.model'] = response;
    if (this._source.serverAddress !== undefined) attributes['server.address'] = this._source.serverAddress;
    if (this._source.serverPort !== undefined) attributes['server.port'] = this._source.serverPort;
    if (this._settings.agentNameOnLLMMetrics && this._source.agentName !== undefined) {
      attributes['gen_ai.agent.name'] = this._source.agentName;
    }
    return attributes;
  }
}
