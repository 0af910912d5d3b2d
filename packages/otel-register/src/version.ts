/** The version of @va/otel-register, as the meters' scope version (`otel_scope_version`). Keep in step with package.json; a test checks it. */
export const PACKAGE_VERSION = '0.1.0';
