import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The V8 flags `npm start` (and the Dockerfile's CMD, test/deploy/dockerfile.test.ts) runs the service
 * with: the footprint is production's only when measured with them.
 */
export function productionNodeFlags(repository: string): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(repository, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const match = /\bnode((?: --[\w-]+=\S+)*) dist\/src\/main\.js$/.exec(scripts.start ?? '');
  if (!match) throw new Error(`package.json's start script does not end with node [flags] dist/src/main.js: ${scripts.start}`);
  return match[1]!.split(' ').filter(Boolean);
}
