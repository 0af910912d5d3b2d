// @va/instrumentation-base/diagnostics: how @va packages log about themselves. It loads no module
// hook, so a package that patches nothing (@va/otel-sdk) can use it without paying for them.
export { createLogOnce, type DiagLevel, type LogOnce } from './log-once.js';
export { createFaultReporter, type ReportFault } from './report-fault.js';
