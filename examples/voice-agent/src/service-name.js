// Preloaded before @va/otel-register (`--require ./src/service-name.js --require @va/otel-register`),
// which reads OTEL_SERVICE_NAME as it loads: without it, target_info would say
// service_name="unknown_service:node". The demo names itself unless the environment already does.

if (!process.env.OTEL_SERVICE_NAME?.trim()) process.env.OTEL_SERVICE_NAME = 'voice-agent-demo';
