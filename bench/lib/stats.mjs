export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInteger(value) {
  return Number.isFinite(value) ? integer.format(value) : '—';
}

export function formatFixed(value, digits) {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

export function mebibytes(bytes) {
  return Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(1) : '—';
}
