import type { Counter, Histogram, MeterProvider, UpDownCounter } from '@opentelemetry/api';
import {
  createCounterFor,
  createHistogramFor,
  createUpDownCounterFor,
  type MetricDefinition,
  VOICE_SESSION_ACTIVE,
  VOICE_SESSION_TOKENS,
  VOICE_SESSION_TURNS,
  VOICE_STAGE_DURATION,
  VOICE_STT_AUDIO_DURATION,
  VOICE_TTS_AUDIO_DURATION,
  VOICE_TTS_CHARACTERS,
  VOICE_TURN_INTERRUPTIONS,
  VOICE_TURN_RESPONSE_LATENCY,
  VOICE_TURNS,
  vaMeterProvider,
} from '@va/semconv';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

export interface VoiceInstruments {
  readonly responseLatency: Histogram;
  readonly stageDuration: Histogram;
  readonly turns: Counter;
  readonly interruptions: Counter;
  readonly sessionsActive: UpDownCounter;
  readonly sessionTurns: Histogram;
  readonly sessionTokens: Histogram;
  readonly sttAudioDuration: Counter;
  readonly ttsCharacters: Counter;
  readonly ttsAudioDuration: Counter;
}

const byProvider = new WeakMap<MeterProvider, VoiceInstruments>();

const meterOf = (meterProvider: MeterProvider) => meterProvider.getMeter(PACKAGE_NAME, PACKAGE_VERSION);

function histogram(meterProvider: MeterProvider, definition: MetricDefinition): Histogram {
  return createHistogramFor(meterOf(meterProvider), definition);
}

function counter(meterProvider: MeterProvider, definition: MetricDefinition): Counter {
  return createCounterFor(meterOf(meterProvider), definition);
}

function upDownCounter(meterProvider: MeterProvider, definition: MetricDefinition): UpDownCounter {
  return createUpDownCounterFor(meterOf(meterProvider), definition);
}

/**
 * The instruments of a meter provider: the one given in the options, else `vaMeterProvider()` as it is
 * now. Looked up per recording, so an app may create its tracker before it starts its SDK.
 */
export function instrumentsOf(meterProvider: MeterProvider = vaMeterProvider()): VoiceInstruments {
  let instruments = byProvider.get(meterProvider);
  if (instruments === undefined) {
    instruments = {
      responseLatency: histogram(meterProvider, VOICE_TURN_RESPONSE_LATENCY),
      stageDuration: histogram(meterProvider, VOICE_STAGE_DURATION),
      turns: counter(meterProvider, VOICE_TURNS),
      interruptions: counter(meterProvider, VOICE_TURN_INTERRUPTIONS),
      sessionsActive: upDownCounter(meterProvider, VOICE_SESSION_ACTIVE),
      sessionTurns: histogram(meterProvider, VOICE_SESSION_TURNS),
      sessionTokens: histogram(meterProvider, VOICE_SESSION_TOKENS),
      sttAudioDuration: counter(meterProvider, VOICE_STT_AUDIO_DURATION),
      ttsCharacters: counter(meterProvider, VOICE_TTS_CHARACTERS),
      ttsAudioDuration: counter(meterProvider, VOICE_TTS_AUDIO_DURATION),
    };
    byProvider.set(meterProvider, instruments);
  }
  return instruments;
}
