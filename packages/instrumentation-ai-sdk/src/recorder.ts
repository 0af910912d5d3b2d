import type { CallRecorder } from '@va/instrumentation-genai';
import { reportFault } from './report-fault.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/** This package's calls are recorded under its own scope, and its faults reported under its name. */
export const RECORDER: CallRecorder = {
  scope: { name: PACKAGE_NAME, version: PACKAGE_VERSION },
  reportFault,
};
