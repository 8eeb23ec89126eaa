/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Where GraphQL requests go; default `/graphql` on the app's own origin. */
  readonly VITE_GRAPHQL_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
