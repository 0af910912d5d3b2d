/**
 * The two Realtime protocols a client may speak, as one mapping: the session logic speaks GA
 * (`resources/realtime/realtime.ts` of the `openai` client) and a client that sent
 * `OpenAI-Beta: realtime=v1` on the upgrade (openai 4's only realtime client, and
 * `openai/beta/realtime/ws` in 5 and 6) gets every event renamed and reshaped into the beta protocol
 * (`resources/beta/realtime/realtime.ts`) as it is sent, and has its beta client events read as GA.
 * Field names come from those type definitions and from OpenAI's beta reference examples (the
 * `cached_tokens_details` of `response.done`, the `session.created` fields).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RealtimeProtocol, RealtimeUsage } from './types.js';
import { isRecord } from './usage.js';

type Event = Record<string, unknown>;

export interface RealtimeDialect {
  readonly protocol: RealtimeProtocol;
  /** A GA server event as this client expects it (a new object), or undefined when it has none. */
  toClient(event: Event): Event | undefined;
  /** A client event read as its GA equivalent (a new object when anything changes). */
  fromClient(event: Event): Event;
  /** A GA `response.done` usage as this client gets it. */
  usage(usage: RealtimeUsage): RealtimeUsage;
}

/** The beta protocol is what a client asks for with `OpenAI-Beta: realtime=v1`; GA otherwise. */
export function realtimeProtocol(headers: IncomingHttpHeaders): RealtimeProtocol {
  const header = headers['openai-beta'];
  const values = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  return values.some((value) => value.trim() === 'realtime=v1') ? 'beta' : 'ga';
}

const GA: RealtimeDialect = {
  protocol: 'ga',
  toClient: (event) => event,
  fromClient: (event) => event,
  usage: (usage) => usage,
};

export function realtimeDialect(protocol: RealtimeProtocol): RealtimeDialect {
  return protocol === 'beta' ? new BetaDialect() : GA;
}

/** GA server event names whose beta event has another name; `undefined`: beta has no such event. */
const BETA_EVENT_NAMES: Record<string, string | undefined> = {
  'response.output_audio.delta': 'response.audio.delta',
  'response.output_audio.done': 'response.audio.done',
  'response.output_audio_transcript.delta': 'response.audio_transcript.delta',
  'response.output_audio_transcript.done': 'response.audio_transcript.done',
  'response.output_text.delta': 'response.text.delta',
  'response.output_text.done': 'response.text.done',
  // Beta announces an item once, when it is created; GA announces it added, then done.
  'conversation.item.added': 'conversation.item.created',
  'conversation.item.done': undefined,
};

/** GA content part types of an item whose beta type differs. */
const BETA_CONTENT_TYPES: Record<string, string> = { output_audio: 'audio', output_text: 'text' };
const GA_CONTENT_TYPES: Record<string, string> = { audio: 'output_audio', text: 'output_text' };

/** Beta audio format names and the GA format objects they stand for. */
const AUDIO_FORMATS: Record<string, Event> = {
  pcm16: { type: 'audio/pcm', rate: 24000 },
  g711_ulaw: { type: 'audio/pcmu' },
  g711_alaw: { type: 'audio/pcma' },
};

/** Beta sampling temperature when the client sets none (GA has no temperature). */
const DEFAULT_TEMPERATURE = 0.8;

function betaFormat(format: unknown): string {
  const type = isRecord(format) ? format['type'] : undefined;
  const name = Object.keys(AUDIO_FORMATS).find((key) => AUDIO_FORMATS[key]!['type'] === type);
  return name ?? 'pcm16';
}

/** Beta `modalities` always include text: audio replies come with their transcript. */
function betaModalities(outputModalities: unknown): string[] {
  return Array.isArray(outputModalities) && outputModalities.includes('audio') ? ['audio', 'text'] : ['text'];
}

function gaModalities(modalities: unknown): unknown {
  if (!Array.isArray(modalities)) return modalities;
  return modalities.includes('audio') ? ['audio'] : ['text'];
}

function mapContent(item: Event, types: Record<string, string>): Event {
  const content = item['content'];
  if (!Array.isArray(content)) return item;
  return {
    ...item,
    content: content.map((part: unknown) =>
      isRecord(part) && typeof part['type'] === 'string' && part['type'] in types
        ? { ...part, type: types[part['type']] }
        : part,
    ),
  };
}

function betaItem(item: unknown): unknown {
  return isRecord(item) ? mapContent(item, BETA_CONTENT_TYPES) : item;
}

/** The keys of `from` that are present, renamed by `names` (GA name → beta name or the reverse). */
function pick(from: Event, names: Record<string, string>, into: Event): void {
  for (const [key, renamed] of Object.entries(names)) if (key in from) into[renamed] = from[key];
}

class BetaDialect implements RealtimeDialect {
  readonly protocol = 'beta' as const;
  private _temperature = DEFAULT_TEMPERATURE;

  toClient(event: Event): Event | undefined {
    const type = String(event['type']);
    let shaped: Event = { ...event };
    if (type in BETA_EVENT_NAMES) {
      const renamed = BETA_EVENT_NAMES[type];
      if (renamed === undefined) return undefined;
      shaped['type'] = renamed;
    }
    if (isRecord(shaped['session'])) shaped['session'] = this._session(shaped['session']);
    if (isRecord(shaped['response'])) shaped['response'] = this._response(shaped['response']);
    if ('item' in shaped) shaped['item'] = betaItem(shaped['item']);
    if (type === 'response.function_call_arguments.done') {
      // The beta event names no function: the item of `response.output_item.added` does.
      const { name: _name, ...rest } = shaped;
      shaped = rest;
    }
    return shaped;
  }

  fromClient(event: Event): Event {
    switch (event['type']) {
      case 'session.update':
        return isRecord(event['session']) ? { ...event, session: this._gaSession(event['session']) } : event;
      case 'response.create':
        return isRecord(event['response'])
          ? { ...event, response: gaResponseOptions(event['response']) }
          : event;
      case 'conversation.item.create':
        return isRecord(event['item'])
          ? { ...event, item: mapContent(event['item'], GA_CONTENT_TYPES) }
          : event;
      default:
        return event;
    }
  }

  usage(usage: RealtimeUsage): RealtimeUsage {
    const input = usage.input_token_details;
    const cached = input.cached_tokens_details;
    return {
      total_tokens: usage.total_tokens,
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      input_token_details: {
        cached_tokens: input.cached_tokens,
        text_tokens: input.text_tokens,
        audio_tokens: input.audio_tokens,
        cached_tokens_details: { text_tokens: cached.text_tokens, audio_tokens: cached.audio_tokens },
      },
      output_token_details: { ...usage.output_token_details },
    };
  }

  /** A GA `realtime` session object as the beta `session.created` / `session.updated` carry it. */
  private _session(session: Event): Event {
    const audio = isRecord(session['audio']) ? session['audio'] : {};
    const input = isRecord(audio['input']) ? audio['input'] : {};
    const output = isRecord(audio['output']) ? audio['output'] : {};
    const detection = input['turn_detection'];
    let turnDetection: unknown = detection ?? null;
    if (isRecord(detection)) {
      // `idle_timeout_ms` came with GA.
      const { idle_timeout_ms: _idle, ...rest } = detection;
      turnDetection = rest;
    }
    return {
      id: session['id'],
      object: 'realtime.session',
      expires_at: session['expires_at'],
      model: session['model'],
      modalities: betaModalities(session['output_modalities']),
      instructions: session['instructions'],
      voice: output['voice'],
      input_audio_format: betaFormat(input['format']),
      output_audio_format: betaFormat(output['format']),
      input_audio_transcription: input['transcription'] ?? null,
      input_audio_noise_reduction: input['noise_reduction'] ?? null,
      turn_detection: turnDetection,
      tools: session['tools'],
      tool_choice: session['tool_choice'],
      temperature: this._temperature,
      max_response_output_tokens: session['max_output_tokens'],
      speed: output['speed'],
      tracing: session['tracing'] ?? null,
      client_secret: null,
      include: session['include'] ?? null,
    };
  }

  /** A beta `session.update` session read as the GA session fields it sets. */
  private _gaSession(session: Event): Event {
    if (typeof session['temperature'] === 'number') this._temperature = session['temperature'];
    const ga: Event = { type: 'realtime' };
    pick(session, { instructions: 'instructions', tools: 'tools', tool_choice: 'tool_choice' }, ga);
    pick(session, { max_response_output_tokens: 'max_output_tokens', tracing: 'tracing' }, ga);
    if ('modalities' in session) ga['output_modalities'] = gaModalities(session['modalities']);
    const input: Event = {};
    pick(
      session,
      {
        input_audio_transcription: 'transcription',
        turn_detection: 'turn_detection',
        input_audio_noise_reduction: 'noise_reduction',
      },
      input,
    );
    if (typeof session['input_audio_format'] === 'string') {
      input['format'] = AUDIO_FORMATS[session['input_audio_format']] ?? AUDIO_FORMATS['pcm16'];
    }
    const output: Event = {};
    pick(session, { voice: 'voice', speed: 'speed' }, output);
    if (typeof session['output_audio_format'] === 'string') {
      output['format'] = AUDIO_FORMATS[session['output_audio_format']] ?? AUDIO_FORMATS['pcm16'];
    }
    ga['audio'] = { input, output };
    return ga;
  }

  /** A GA response object as the beta `response.created` / `response.done` carry it. */
  private _response(response: Event): Event {
    const audio = isRecord(response['audio']) ? response['audio'] : {};
    const output = isRecord(audio['output']) ? audio['output'] : {};
    const usage = response['usage'];
    return {
      object: response['object'],
      id: response['id'],
      status: response['status'],
      status_details: response['status_details'],
      output: Array.isArray(response['output']) ? response['output'].map(betaItem) : [],
      conversation_id: response['conversation_id'],
      modalities: betaModalities(response['output_modalities']),
      max_output_tokens: response['max_output_tokens'],
      output_audio_format: betaFormat(output['format']),
      voice: output['voice'],
      temperature: this._temperature,
      usage: isRecord(usage) ? this.usage(usage as unknown as RealtimeUsage) : null,
      metadata: response['metadata'],
    };
  }
}

/** Beta `response.create` options read as GA ones. */
function gaResponseOptions(response: Event): Event {
  const { modalities, max_response_output_tokens, ...rest } = response;
  const ga: Event = { ...rest };
  if (modalities !== undefined) ga['output_modalities'] = gaModalities(modalities);
  if (max_response_output_tokens !== undefined) ga['max_output_tokens'] = max_response_output_tokens;
  return ga;
}
