/** The process environment, or a stand-in for it (tests, a library caller's own). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * One environment variable a @va package reads, as data: the package reads it through its
 * `variableReader`, and docs/configuration.md is generated from the packages' lists of them, so the
 * two cannot drift apart.
 */
export interface EnvironmentVariable<T> {
  readonly name: string;
  readonly description: string;
  /** What a valid value looks like; shown in the docs and in the warning for a bad value. */
  readonly expected: string;
  /** The value used when the variable is unset or invalid (`undefined`: nothing is configured). */
  readonly defaultValue: T;
  /** How the docs show the default. */
  readonly defaultText: string;
  /** Who defines it: the standard OpenTelemetry variables are read the way the spec says. */
  readonly origin: 'OpenTelemetry' | '@va';
  /** A credential: no message ever shows its value. */
  readonly secret?: boolean;
  parse(raw: string): T | undefined;
}

/** The variables one package reads, in the order its rows appear in docs/configuration.md. */
export type EnvironmentVariableList = readonly EnvironmentVariable<unknown>[];
