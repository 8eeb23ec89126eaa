import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * One full garbage collection just after the service starts listening. Start-up leaves garbage nothing collects while the
 * instance idles (no allocation, no GC): building the schema, and with the embedded database about 180 MiB
 * of ArrayBuffers from opening and migrating it, which npm start's small young generation promotes (see
 * docs/performance.md, Footprint). Node has no API for it: --expose-gc is set only long enough to take `gc`
 * from a fresh context (as jest's leak detection does), so the service's own global never gains it.
 */
export function collectStartUpGarbage(): void {
  setFlagsFromString('--expose-gc');
  try {
    const collectGarbage = runInNewContext('gc') as () => void;
    collectGarbage();
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
