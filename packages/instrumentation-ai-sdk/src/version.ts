/** The instrumentation scope version; a test keeps it equal to package.json's. */
export const PACKAGE_NAME = '@va/instrumentation-ai-sdk';
export const PACKAGE_VERSION = '0.1.0';
