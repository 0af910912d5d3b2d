// @va/instrumentation-genai's README: one call's usage recorded and priced by a table of the user's over the built-in one.
'use strict';
const { collectPoints } = require('../in-memory-metrics.cjs');

module.exports = async ({
  BUILT_IN_PRICES,
  createPriceLookup,
  genAIInstrumentsOf,
  mergePriceTables,
  recordUsage,
}) => {
  const priceOf = createPriceLookup(
    mergePriceTables(BUILT_IN_PRICES, { 'my-model': { input: 0.5, output: 1.5 } }),
  );
  const instruments = genAIInstrumentsOf({ name: 'my-instrumentation', version: '1.0.0' });
  recordUsage(
    instruments,
    {
      priceOf,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'my-provider',
        'gen_ai.request.model': 'my-model',
      },
      requestModel: 'my-model',
      reportedResponseModel: undefined,
      responseModel: undefined,
    },
    { input: 1200, output: 60, cachedInput: 200 },
  );
  return { points: await collectPoints() };
};
