export { instrumentLiveKitSession } from './instrument-session.js';
export { LiveKitInstrumentation, type LiveKitInstrumentationConfig } from './livekit-instrumentation.js';
export type { LiveKitSessionOptions } from './options.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
