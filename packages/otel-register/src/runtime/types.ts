/** What recordRuntimeMetrics() returns. */
export interface RuntimeMetrics {
  /**
   * Stops the event loop delay sampling, disconnects the GC observer and detaches every
   * collection callback from the meter. Values already recorded stay with the SDK. Calling it
   * again does nothing.
   */
  stop(): void;
}
