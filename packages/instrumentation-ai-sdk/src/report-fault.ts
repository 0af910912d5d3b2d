import { createFaultReporter } from '@va/instrumentation-base';

/** This package's faults, each kind logged once per process (see @va/instrumentation-base). */
export const reportFault = createFaultReporter('@va/instrumentation-ai-sdk');
