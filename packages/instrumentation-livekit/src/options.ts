import type { MeterProvider } from '@opentelemetry/api';
import type { PriceTable } from '@va/instrumentation-genai';

export interface LiveKitSessionOptions {
  /**
   * `gen_ai.agent.name` on every voice metric of the session (`support-agent`). A name per agent, fixed
   * at deploy time: never a room, job or user identifier.
   */
  readonly agentName?: string;
  /** Where to record. Default: @va's meter provider (the global one), looked up at each recording. */
  readonly meterProvider?: MeterProvider;
  /**
   * Whether @va/instrumentation-openai measures the `openai` client that the OpenAI plugin's LLMs
   * (`openai.LLM`, `openai.responses.LLM`) call through: the register's patch of `openai`, or an
   * `instrumentOpenAI(client)` given to the plugin as its `client`. Then those calls' GenAI metrics come
   * from there and are not recorded a second time here; their part of each turn still is. Other plugins,
   * and the OpenAI plugin's realtime model and WebSocket LLM (which do not use the client), are recorded
   * here either way. Default: false.
   */
  readonly openAIClientMeasured?: boolean;
  /**
   * Prices merged over the built-in table and `VA_GENAI_PRICES_FILE`, yours winning per model: per million
   * tokens for LLM and realtime models, `perMinuteOfAudio` for speech to text, `perMillionCharacters` for
   * text to speech (see @va/instrumentation-genai). Models are found by the name the plugin reports.
   */
  readonly prices?: PriceTable;
  /** `false` drops the built-in table, so only `prices` and the file count. Default `true`. */
  readonly builtInPrices?: boolean;
}
