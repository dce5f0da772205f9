// A full garbage collection on demand, for the tests that hold memory flat: V8's gc() made
// reachable at run time (the test runner does not start Node with --expose-gc).
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
export const gc = vm.runInNewContext('gc') as () => void;
