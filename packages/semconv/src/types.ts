/**
 * The kinds of OpenTelemetry instrument a metric can be recorded with.
 * Observable kinds are reported by callbacks at collection time.
 */
export type InstrumentKind =
  | 'counter'
  | 'updowncounter'
  | 'histogram'
  | 'gauge'
  | 'observable_counter'
  | 'observable_updowncounter'
  | 'observable_gauge';

/** How a Prometheus scrape sees an instrument kind. */
export type PrometheusType = 'counter' | 'gauge' | 'histogram';

/** Whether the OpenTelemetry semantic conventions call the metric stable. */
export type Stability = 'stable' | 'development';

export interface AttributeDefinition {
  /** The OpenTelemetry attribute key, e.g. `http.request.method`. */
  readonly key: string;
  readonly description: string;
  /** The closed set of values, when there is one (documented; not enforced at record time). */
  readonly values?: readonly string[];
  /** `required` attributes are on every point; `conditional` ones only when they apply (e.g. `error.type`). */
  readonly requirement: 'required' | 'conditional' | 'recommended' | 'opt_in';
}

export interface MetricDefinition {
  /** The OpenTelemetry instrument name, e.g. `http.server.request.duration`. */
  readonly name: string;
  readonly kind: InstrumentKind;
  /** UCUM unit, as the conventions spell it: `s`, `By`, `1`, `{request}`. */
  readonly unit: string;
  readonly description: string;
  /** Explicit histogram bucket boundaries (histograms only). */
  readonly buckets?: readonly number[];
  /** Every attribute key the metric may carry; anything else is dropped by the SDK's views. */
  readonly attributes: readonly AttributeDefinition[];
  /** The package whose code records it (upstream instrumentations included). */
  readonly recordedBy: string;
  readonly stability: Stability;
  /**
   * The name the metric is exported under when the convention's name cannot be used as is.
   * Absent for nearly every metric; when present, `exportReason` says why.
   */
  readonly exportName?: string;
  readonly exportReason?: string;
}
