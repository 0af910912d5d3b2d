import type { MeterProvider } from '@opentelemetry/api';

export interface LiveKitSessionOptions {
  /**
   * `gen_ai.agent.name` on every voice metric of the session (`support-agent`). A name per agent, fixed
   * at deploy time: never a room, job or user identifier.
   */
  readonly agentName?: string;
  /** Where to record. Default: @va's meter provider (the global one), looked up at each recording. */
  readonly meterProvider?: MeterProvider;
}
