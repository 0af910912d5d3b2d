import type { MeterProvider } from '@opentelemetry/api';
import { type GenAIInstruments, genAIInstrumentsOf } from '@va/instrumentation-genai';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

const SCOPE = { name: PACKAGE_NAME, version: PACKAGE_VERSION };

/** The GenAI instruments this package records on, under its own scope. */
export function instrumentsOf(meterProvider?: MeterProvider): GenAIInstruments {
  return genAIInstrumentsOf(SCOPE, meterProvider);
}
