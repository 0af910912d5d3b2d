/** The package's name and version; a test keeps the version equal to package.json's. */
export const PACKAGE_NAME = '@va/instrumentation-genai';
export const PACKAGE_VERSION = '0.1.0';
