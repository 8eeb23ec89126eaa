import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI only (generate, studio). The service reads its own configuration
// in src/config/ and applies migrations itself (src/migrations.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/gatehouse' },
});
