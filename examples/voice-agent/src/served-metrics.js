// Where /metrics is, for the banner. The environment says what was asked for; the register's server
// says where it listens, which differs with OTEL_EXPORTER_PROMETHEUS_PORT=0 (any free port).

// Already loaded by `node --require @va/otel-register`: this returns the running registration.
const { register } = require('@va/otel-register');

/** @param {{ host: string, port: number } | undefined} configured what args.js read from the environment */
async function servedMetrics(configured) {
  if (configured === undefined) return undefined;
  const address = await register()?.sdk.prometheus?.listeningAddress();
  return address === undefined ? configured : { ...configured, port: address.port };
}

module.exports = { servedMetrics };
