import { defineConfig, loadEnv } from 'vite';

/**
 * The example app. `import.meta.env.VITE_GRAPHQL_URL` is where it sends GraphQL (default: `/graphql`
 * on its own origin). In development (`npx vite examples/react-client`) that path is proxied to
 * GATEHOUSE_API_ORIGIN (default: a local Gatehouse on port 4000), so it needs no CORS at all. The dev
 * server listens on GATEHOUSE_EXAMPLE_PORT (default 5173) and on HOST when it is set, as Gatehouse does.
 */
export default defineConfig(({ mode }) => {
  const { GATEHOUSE_API_ORIGIN = 'http://localhost:4000', GATEHOUSE_EXAMPLE_PORT = '5173' } = loadEnv(mode, '.', 'GATEHOUSE_');
  return {
    // Vite 8 compiles TSX with Oxc; @vitejs/plugin-react is not needed without Fast Refresh.
    oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
    server: {
      host: process.env.HOST,
      port: Number(GATEHOUSE_EXAMPLE_PORT),
      strictPort: true,
      proxy: { '/graphql': GATEHOUSE_API_ORIGIN },
    },
    build: { sourcemap: true },
  };
});
