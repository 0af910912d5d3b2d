import { sharedClaims } from '@va/instrumentation-base';

/**
 * The Realtime connections already measured, shared by every copy of this package: the module patch, an
 * `instrumentOpenAI(connection)` call and the `@openai/agents-realtime` transport patch may all meet one
 * connection, and exactly one of them may count it. True for the first caller with a connection (it
 * measures it), false for every later one.
 */
export const claimConnection: (connection: object) => boolean = sharedClaims(
  '@va/instrumentation-openai.realtime-claims',
);
