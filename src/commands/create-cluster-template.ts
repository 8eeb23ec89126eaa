import path from 'node:path';
import { BUILT_TEMPLATE_DIRECTORY, createClusterTemplate } from '../database/cluster-template';

/**
 * The build's last step (`npm run build`, scripts/build-if-changed.js, bench/build.js): the PostgreSQL
 * cluster a first start on the embedded database copies instead of running initdb (database/cluster-template.ts).
 */
const startedAt = Date.now();
createClusterTemplate().then(
  () => console.error(`Made the embedded database's cluster template in ${path.relative(process.cwd(), BUILT_TEMPLATE_DIRECTORY)} (${((Date.now() - startedAt) / 1000).toFixed(1)} s).`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
