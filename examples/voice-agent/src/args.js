// The demo's settings: command-line flags plus the environment variables it reads itself.
// The register reads its own OTEL_* variables; we only look at the Prometheus ones to print the
// right address in the banner.

const { parseArgs } = require('node:util');

const USAGE = `Usage: npm start -- [options]

Options:
  --duration <seconds>  run that long, then shut down cleanly and exit 0 (default: until Ctrl-C)
  --quiet               print only the essentials: the ready line, warnings and the final summary
  --no-traffic          serve the API without the built-in traffic generator
  --realtime-share <n>  share of the callers' calls (0 to 1) that run speech-to-speech over the
                        Realtime API (default 0.25 with the bundled fake server, 0 with OPENAI_API_KEY)
  -h, --help            show this help

Environment:
  PORT                           the API port (default 3000; 0 picks a free port)
  DATABASE_URL                   use this PostgreSQL instead of an embedded one
  OPENAI_API_KEY                 use the real OpenAI API instead of the bundled fake server
  OPENAI_BASE_URL                another OpenAI-compatible endpoint (with OPENAI_API_KEY)
  ANTHROPIC_API_KEY              answer Claude's share of the turns with the real Anthropic API
  ANTHROPIC_BASE_URL             another Anthropic Messages endpoint (with ANTHROPIC_API_KEY)
  OTEL_EXPORTER_PROMETHEUS_PORT  where /metrics is served (default 9464)
  OTEL_SERVICE_NAME              service_name on target_info (default here: voice-agent-demo)`;

class UsageError extends Error {}

/** A quarter of the calls: enough speech-to-speech turns for every Realtime panel, most still pipeline. */
const DEFAULT_REALTIME_SHARE = 0.25;

/** A port number from the environment, or the fallback when unset or not a valid port. */
function portFrom(value, fallback) {
  if (value === undefined || value.trim() === '') return fallback;
  const port = Number(value);
  return Number.isInteger(port) && port >= 0 && port <= 65_535 ? port : fallback;
}

/** Where the register serves /metrics, as it reads it (same defaults), for the banner only. */
function metricsEndpoint(env) {
  const disabled = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
  const exporters = (env.OTEL_METRICS_EXPORTER ?? 'prometheus').split(',').map((name) => name.trim());
  if (disabled || !exporters.includes('prometheus')) return undefined;
  const host = env.OTEL_EXPORTER_PROMETHEUS_HOST?.trim() || '0.0.0.0';
  // 0.0.0.0 and :: listen everywhere; localhost is what a browser on this machine should open.
  const shownHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return { host: shownHost, port: portFrom(env.OTEL_EXPORTER_PROMETHEUS_PORT, 9464) };
}

/**
 * @param {string[]} argv the arguments after the script name
 * @param {NodeJS.ProcessEnv} env
 */
function readSettings(argv, env) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        duration: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        'no-traffic': { type: 'boolean', default: false },
        'realtime-share': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`${error.message}\n\n${USAGE}`);
  }
  const { values } = parsed;
  let durationSeconds;
  if (values.duration !== undefined) {
    durationSeconds = Number(values.duration);
    if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
      throw new UsageError(`--duration expects a positive number of seconds, got "${values.duration}"`);
    }
  }
  const openai = env.OPENAI_API_KEY?.trim()
    ? { apiKey: env.OPENAI_API_KEY.trim(), baseURL: env.OPENAI_BASE_URL?.trim() || undefined }
    : undefined;
  const anthropic = env.ANTHROPIC_API_KEY?.trim()
    ? { apiKey: env.ANTHROPIC_API_KEY.trim(), baseURL: env.ANTHROPIC_BASE_URL?.trim() || undefined }
    : undefined;
  // Realtime minutes cost more than the pipeline's calls, and an OPENAI_BASE_URL endpoint may not
  // speak the Realtime API: against a real provider, speech-to-speech calls are opt-in.
  let realtimeShare = openai ? 0 : DEFAULT_REALTIME_SHARE;
  if (values['realtime-share'] !== undefined) {
    realtimeShare = Number(values['realtime-share']);
    if (values['realtime-share'].trim() === '' || !(realtimeShare >= 0 && realtimeShare <= 1)) {
      throw new UsageError(
        `--realtime-share expects a number from 0 to 1, got "${values['realtime-share']}"`,
      );
    }
  }
  const apiPort = portFrom(env.PORT, 3000);
  if (env.PORT !== undefined && env.PORT.trim() !== '' && apiPort !== Number(env.PORT)) {
    throw new UsageError(`PORT="${env.PORT}" is not a port number (0 to 65535)`);
  }
  return {
    help: values.help,
    usage: USAGE,
    durationSeconds,
    quiet: values.quiet,
    traffic: !values['no-traffic'],
    realtimeShare,
    apiPort,
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    openai,
    anthropic,
    metrics: metricsEndpoint(env),
  };
}

module.exports = { readSettings, UsageError };
