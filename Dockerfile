# syntax=docker/dockerfile:1
#
# Targets:
#   runtime          (the default, built last) the Gatehouse service: production dependencies only, non-root
#   example-gateway  examples/gateway, an Apollo Gateway composing Gatehouse with other subgraphs
#   example-reviews  examples/reviews-subgraph, a small second subgraph that extends Gatehouse's User
#
#   docker build -t gatehouse .
#   docker build --target example-gateway -t gatehouse-example-gateway .
#
# The Node major matches the one CI tests on; pin a digest (node:20-bookworm-slim@sha256:…) for
# reproducible production builds. Debian, not Alpine: argon2's prebuilt binary here is the glibc one.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
# build: every dependency (TypeScript, the Prisma CLI), then dist/ for src/ and the examples.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Only what `npm ci` needs, so this layer stays cached until the lock file or the Prisma schema changes.
# postinstall runs scripts/prisma-generate.js, which generates the client into src/generated/prisma
# from prisma/schema.prisma (.dockerignore keeps any local, possibly stale, copy out).
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts/ ./scripts/
COPY prisma/ ./prisma/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig*.json ./
COPY src/ ./src/
COPY examples/ ./examples/
# tsc compiles src/generated/prisma along with the rest of src/, so the runtime stage needs no Prisma CLI.
# The build also makes dist/pglite-cluster (40 MB), the PostgreSQL cluster a first start on the embedded
# database copies instead of running initdb (src/database/cluster-template.ts).
RUN npm run build

# ---------------------------------------------------------------------------------------------
# The examples run from the build stage: they use development dependencies (@apollo/gateway…) and are
# demonstrations, not something to ship. Same non-root user as the service.
FROM build AS example-reviews
ENV PORT=4200
USER node
EXPOSE 4200
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4200) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/examples/reviews-subgraph/main.js"]

FROM build AS example-gateway
ENV PORT=4100
# Set GATEWAY_SUBGRAPHS at run time: comma-separated name=url pairs of the subgraphs to compose
# (docker-compose.yml names its services).
USER node
EXPOSE 4100
# /healthz answers 200 only once the supergraph is composed, so this also waits for the subgraphs.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4100) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/examples/gateway/main.js"]

# ---------------------------------------------------------------------------------------------
# runtime: last, so a plain `docker build .` produces the service.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# --omit=optional as well: the lock file marks the Prisma CLI and TypeScript "devOptional" (development
# dependencies that are also optional peers of @prisma/client), and npm installs those with --omit=dev
# alone: 450 MB instead of 210 MB, and postinstall would then run `prisma generate` without a schema
# and fail. Without the CLI, postinstall (scripts/prisma-generate.js) skips generation: the client is
# already compiled into dist/. test/deploy checks that nothing the service imports is optional.
# The npm cache is dropped so it does not ship in the layer.
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.js ./scripts/
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# GraphQL Playground's static assets come from a development dependency (a React build): only its
# package.json (which the service resolves to find them) and the built files, not its dependency tree.
COPY --from=build /app/node_modules/graphql-playground-react/package.json ./node_modules/graphql-playground-react/package.json
COPY --from=build /app/node_modules/graphql-playground-react/build/ ./node_modules/graphql-playground-react/build/
# The service applies pending migrations itself at start (src/database/migrations.ts looks for prisma/migrations
# above dist/src), so no separate migration job or Prisma CLI is needed.
COPY prisma/migrations/ ./prisma/migrations/
# Everything above is root-owned and read-only to the service. The only writable place is DATA_DIR,
# used when DATABASE_URL is unset (embedded PGlite database): mount a volume there to keep it.
ENV DATA_DIR=/app/.data
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 4000
# Liveness only (/healthz): a database outage is not fixed by replacing the container, and /readyz
# would make Swarm do exactly that. docker-compose.yml gates its dependants on /readyz instead.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as PID 1 is fine: main.ts handles SIGTERM/SIGINT (graceful shutdown) and spawns no children.
# The V8 flags are npm start's (test/deploy/dockerfile.test.ts): young generation capped at 4 MiB a
# semi-space and old generation at 160 MiB, so one instance on PostgreSQL idles near 120 MiB and stays under 320 MiB
# under load (docs/performance.md, Footprint). A container given more memory may raise both.
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=160", "dist/src/main.js"]
