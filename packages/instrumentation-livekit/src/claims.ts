import { sharedClaims } from '@va/instrumentation-base';

/**
 * The sessions already instrumented, shared by every copy of this package (CommonJS and ESM, an explicit
 * call and the register's hook): true for the first caller with a session (it measures it), false for
 * every later one.
 */
export const claimSession: (session: object) => boolean = sharedClaims(
  '@va/instrumentation-livekit.session-claims',
);
