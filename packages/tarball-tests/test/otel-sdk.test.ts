import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeInstalled, MODULE_SYSTEMS } from './support/describe-installed.js';
import { REGISTRY, runInApp } from './support/user-app.js';

describeInstalled('@va/otel-sdk', REGISTRY.api, (app) => {
  it.each(MODULE_SYSTEMS)(
    '%s: start() serves what the global API records on /metrics; after shutdown() the process exits by itself',
    async (_, loader) => {
      const { exposition } = (await runInApp(app(), [loader, '@va/otel-sdk'])) as { exposition: string };
      // The SDK version on target_info is the @opentelemetry/core the app's install resolved.
      const core = JSON.parse(
        readFileSync(join(app().directory, 'node_modules/@opentelemetry/core/package.json'), 'utf8'),
      ) as { version: string };
      expect(exposition).toBe(
        [
          '# HELP target_info Target metadata',
          '# TYPE target_info gauge',
          `target_info{service_name="voice-gateway",telemetry_sdk_language="nodejs",telemetry_sdk_name="opentelemetry",telemetry_sdk_version="${core.version}"} 1`,
          '# TYPE voice_agent_orders_placed_total counter',
          'voice_agent_orders_placed_total{channel="phone",otel_scope_name="my-app"} 3',
          '',
        ].join('\n'),
      );
    },
  );
});
