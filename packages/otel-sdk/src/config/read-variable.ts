import { variableReader } from '@va/instrumentation-base/environment';

/** Reads the SDK's variables (variables.ts); a bad value's warning names @va/otel-sdk. */
export const readVariable = variableReader('@va/otel-sdk');
