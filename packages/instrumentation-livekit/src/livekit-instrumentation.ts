import type { MeterProvider } from '@opentelemetry/api';
import {
  MetricsInstrumentation,
  type MetricsInstrumentationConfig,
  type ModulePatch,
  unwrapMethod,
  wrapMethod,
} from '@va/instrumentation-base';
import { instrumentLiveKitSession } from './instrument-session.js';
import { flushMetricsAtJobShutdown, getJobContextOf } from './job-shutdown-flush.js';
import type { LiveKitSession } from './livekit-events.js';
import { reportFault } from './report-fault.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

export interface LiveKitInstrumentationConfig extends MetricsInstrumentationConfig {
  /**
   * Whether the `openai` client the OpenAI plugin's LLMs call through is measured by
   * @va/instrumentation-openai (the register sets it when its `openai` instrumentation is on): see
   * `LiveKitSessionOptions.openAIClientMeasured`. Default: false.
   */
  readonly openAIClientMeasured?: boolean;
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/**
 * `voice.AgentSession`'s prototype in a loaded `@livekit/agents`, CommonJS exports or an ES module
 * namespace. Its CommonJS and ES module builds are two copies of the class: each load is patched.
 */
function agentSessionPrototypeOf(moduleExports: unknown): object | undefined {
  const exports = moduleExports as { voice?: unknown; default?: { voice?: unknown } } | undefined;
  const voice = (exports?.voice ?? exports?.default?.voice) as { AgentSession?: unknown } | undefined;
  const prototype =
    typeof voice?.AgentSession === 'function'
      ? (voice.AgentSession as { prototype?: unknown }).prototype
      : undefined;
  return prototype !== null && typeof prototype === 'object' ? prototype : undefined;
}

/**
 * Patches `@livekit/agents` 1.x when it is loaded, for `--require` / `--import` of the register or any
 * OpenTelemetry SDK's `registerInstrumentations`: every `voice.AgentSession` is instrumented
 * (`instrumentLiveKitSession`) as it starts, before LiveKit's own `start` runs, which is then called
 * through unchanged. A session the app instrumented itself is not counted twice. Inside a LiveKit job, the
 * meter provider is flushed among the job's shutdown callbacks, so the session's last metrics leave the job
 * process before it exits.
 */
export class LiveKitInstrumentation extends MetricsInstrumentation<LiveKitInstrumentationConfig> {
  private _meterProvider: MeterProvider | undefined;

  constructor(config: LiveKitInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  override setMeterProvider(meterProvider: MeterProvider): void {
    super.setMeterProvider(meterProvider);
    this._meterProvider = meterProvider;
  }

  /** The sessions' instruments are the voice tracker's and GenAIMetrics', looked up per recording. */
  protected override createInstruments(): void {}

  protected override modulePatches(): readonly ModulePatch[] {
    return [
      {
        module: '@livekit/agents',
        versions: { minimum: '1.9.0', below: '2' },
        patch: (moduleExports) => this._patch(moduleExports),
        unpatch: (moduleExports) => {
          const prototype = agentSessionPrototypeOf(moduleExports);
          if (prototype !== undefined) unwrapMethod(prototype, 'start');
        },
      },
    ];
  }

  private _patch(moduleExports: unknown): void {
    const prototype = agentSessionPrototypeOf(moduleExports);
    if (prototype === undefined) {
      this.diag.debug('@livekit/agents loaded without voice.AgentSession; nothing patched');
      return;
    }
    const instrumentation = this;
    const getJobContext = getJobContextOf(moduleExports);
    wrapMethod(
      prototype,
      'start',
      (original) =>
        function start(this: unknown, ...args: unknown[]) {
          // Never throws: its faults are reported once and the session starts regardless.
          instrumentLiveKitSession(this as LiveKitSession, {
            meterProvider: instrumentation._meterProvider,
            openAIClientMeasured: instrumentation.getConfig().openAIClientMeasured === true,
          });
          try {
            flushMetricsAtJobShutdown(getJobContext, instrumentation._meterProvider);
          } catch (error) {
            reportFault('flushMetricsAtJobShutdown', error);
          }
          return (original as AnyFunction).apply(this, args);
        },
    );
  }
}
