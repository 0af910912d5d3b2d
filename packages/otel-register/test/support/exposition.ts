// The reader of Prometheus text exposition lives in @va/test-metrics, which the tests of the
// installed tarballs use too; the register's tests keep importing it from here.
export {
  familyNames,
  parseExposition,
  type Sample,
  samplesOf,
  withoutScope,
} from '@va/test-metrics/exposition';
