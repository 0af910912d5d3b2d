import type { MeterProvider } from '@opentelemetry/api';
import { MetricsInstrumentation, type MetricsInstrumentationConfig } from '@va/instrumentation-base';
import type { ClientSettings, GenAIClientOptions } from './client-settings.js';

/** The config of an LLM client's instrumentation: the base config and the options every client takes. */
export type GenAIInstrumentationConfig = MetricsInstrumentationConfig & GenAIClientOptions;

/**
 * The base of an LLM client's module-patching instrumentation (`openai`, `@anthropic-ai/sdk` …): its
 * patches read `this.settings`, resolved from its config by the client's own `resolve` (over the
 * `VA_GENAI_*` defaults) and kept current by `setConfig()` and `setMeterProvider()`. A provider set by
 * `setMeterProvider()` survives a later `setConfig()` without one. Its instruments are looked up per
 * call, for the provider in the settings (genai-instruments.ts), so it creates none up front.
 */
export abstract class GenAIClientInstrumentation<
  Config extends GenAIInstrumentationConfig,
  Settings extends ClientSettings = ClientSettings,
> extends MetricsInstrumentation<Config> {
  protected settings: Settings;
  private readonly _resolve: (config: Config) => Settings;

  constructor(name: string, version: string, config: Config, resolve: (config: Config) => Settings) {
    super(name, version, config);
    this._resolve = resolve;
    this.settings = resolve(config);
  }

  override setConfig(config: Config = {} as Config): void {
    super.setConfig(config);
    this.settings = this._resolve({
      ...config,
      meterProvider: config.meterProvider ?? this.settings.meterProvider,
    });
  }

  override setMeterProvider(meterProvider: MeterProvider): void {
    super.setMeterProvider(meterProvider);
    this.settings = { ...this.settings, meterProvider };
  }

  protected override createInstruments(): void {}
}
