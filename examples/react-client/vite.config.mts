import { defineConfig, loadEnv } from 'vite';

/**
 * The example app. `import.meta.env.VITE_GRAPHQL_URL` is where it sends GraphQL (default: `/graphql`
 * on its own origin). In development that path is proxied to GATEHOUSE_API_ORIGIN (default: a local
 * Gatehouse on port 4000), so `npm run dev` needs no CORS at all.
 */
export default defineConfig(({ mode }) => {
  const { GATEHOUSE_API_ORIGIN = 'http://localhost:4000' } = loadEnv(mode, '.', 'GATEHOUSE_');
  return {
    // Vite 8 compiles TSX with Oxc; @vitejs/plugin-react is not needed without Fast Refresh.
    oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
    server: { proxy: { '/graphql': GATEHOUSE_API_ORIGIN } },
    build: { sourcemap: true },
  };
});
