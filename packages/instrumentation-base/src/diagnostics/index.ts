// @va/instrumentation-base/diagnostics: how @va packages name a failure and log about themselves. It
// loads no module hook, so a package that patches nothing (@va/otel-sdk, the agent and voice
// instrumentations) can use it without paying for them.
export { errorTypeOf, type WellKnownErrorType } from '../error-type.js';
export { createLogOnce, type DiagLevel, type LogOnce } from './log-once.js';
export { createFaultReporter, type ReportFault } from './report-fault.js';
