/** The outcome of one scenario run by a plain client and by the same client instrumented. */
export interface WithAndWithout<Outcome> {
  readonly without: Outcome;
  readonly withUs: Outcome;
  /** How many requests the server saw from each run, without us first. */
  readonly requests: [number, number];
}

/**
 * Runs a scenario once with a plain client and once with the same client instrumented, against one
 * recording server forgotten in between, so a fault test can ask that the caller sees the very same outcome.
 */
export async function runWithAndWithout<Client, Outcome>(
  server: { readonly requests: readonly unknown[]; reset(): void },
  scenario: (client: Client) => Promise<Outcome>,
  plainClient: () => Client,
  instrument: (client: Client) => Client,
): Promise<WithAndWithout<Outcome>> {
  const without = await scenario(plainClient());
  const requestsWithout = server.requests.length;
  server.reset();
  const withUs = await scenario(instrument(plainClient()));
  return { without, withUs, requests: [requestsWithout, server.requests.length] };
}
