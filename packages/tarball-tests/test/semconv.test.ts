import { expect, it } from 'vitest';
import { describeInstalled, MODULE_SYSTEMS } from './support/describe-installed.js';
import { REGISTRY, runInApp } from './support/user-app.js';

describeInstalled('@va/semconv', REGISTRY.api, (app) => {
  it.each(MODULE_SYSTEMS)('%s: the definitions of its README', async (_, loader) => {
    expect(await runInApp(app(), [loader, '@va/semconv'])).toEqual({
      name: 'http.server.request.duration',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
      updowncounter: 'gauge',
    });
  });
});
