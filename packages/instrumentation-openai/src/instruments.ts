import { type GenAIInstruments, genAIInstrumentsOf } from '@va/instrumentation-genai';
import type { Settings } from './options.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

const SCOPE = { name: PACKAGE_NAME, version: PACKAGE_VERSION };

/** The GenAI instruments this package records on, under its own scope, for a client's settings. */
export function instrumentsOf(settings: Settings): GenAIInstruments {
  return genAIInstrumentsOf(SCOPE, settings.meterProvider, settings.conventions);
}
