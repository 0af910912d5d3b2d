import { expect, it } from 'vitest';
import { describeInstalled, MODULE_SYSTEMS } from './support/describe-installed.js';
import { REGISTRY, runInApp } from './support/user-app.js';

// What GET /metrics answers in the bridge's README, to the byte.
const LABELS = 'http_request_method="GET",http_route="/chat",otel_scope_name="my-agent"';
const README_EXPOSITION = `# HELP target_info Target metadata
# TYPE target_info gauge
target_info{service_name="my-agent"} 1
# TYPE http_server_request_duration_seconds histogram
http_server_request_duration_seconds_bucket{${LABELS},le="0.1"} 1
http_server_request_duration_seconds_bucket{${LABELS},le="0.5"} 1
http_server_request_duration_seconds_bucket{${LABELS},le="1"} 1
http_server_request_duration_seconds_bucket{${LABELS},le="+Inf"} 1
http_server_request_duration_seconds_sum{${LABELS}} 0.042
http_server_request_duration_seconds_count{${LABELS}} 1
`;

describeInstalled(
  '@va/prometheus-bridge',
  { ...REGISTRY.api, ...REGISTRY.sdkMetrics, ...REGISTRY.resources },
  (app) => {
    it.each(MODULE_SYSTEMS)(
      '%s: the reader of a plain sdk-metrics MeterProvider serves its README exposition',
      async (_, loader) => {
        expect(await runInApp(app(), [loader, '@va/prometheus-bridge'])).toEqual({
          status: 200,
          exposition: README_EXPOSITION,
        });
      },
    );
  },
);
