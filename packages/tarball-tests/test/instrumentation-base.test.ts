import { expect, it } from 'vitest';
import { describeInstalled, MODULE_SYSTEMS } from './support/describe-installed.js';
import { REGISTRY, runInApp } from './support/user-app.js';

describeInstalled('@va/instrumentation-base', REGISTRY.api, (app) => {
  it.each(MODULE_SYSTEMS)(
    '%s: a method wrapper and version ranges, as its README says',
    async (_, loader) => {
      expect(await runInApp(app(), [loader, '@va/instrumentation-base'])).toEqual({
        wrapped: { greeting: 'HELLO ADA', marked: true },
        unwrapped: 'hello ada',
        inRange: [true, false],
      });
    },
  );
});
