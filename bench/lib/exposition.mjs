/** Fetches a Prometheus text exposition, timing the whole request (collection plus rendering). */
export async function scrape(port, path = '/metrics') {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(120_000) });
  const text = await response.text();
  const millis = performance.now() - started;
  if (!response.ok) throw new Error(`GET :${port}${path} answered ${response.status}`);
  return { text, millis, bytes: Buffer.byteLength(text) };
}

/** The sample lines of one series name, e.g. `http_request_duration_seconds_count`. */
export function samples(text, name) {
  const lines = [];
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) lines.push(line);
  }
  return lines;
}

/** The sum of the values of sample lines (the value is the last field; no timestamps here). */
export function sumOfSamples(lines) {
  let sum = 0;
  for (const line of lines) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}
