import type { MeterProvider } from '@opentelemetry/api';

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
}
