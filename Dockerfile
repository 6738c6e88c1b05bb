# One image for every role: ROLE=api|worker|all picks what the process runs.
# Node 24 (Active LTS); the code also runs on Node 20.19+ (engines), which development machines still have.
# Build and runtime share one base so argon2's native binding matches the runtime's ABI.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The image's bundled npm predates the package.json `allowScripts` policy and would run every dependency's
# install script; this npm honours it (argon2 and msgpackr-extract run, the others are skipped), and
# --strict-allow-scripts fails the build on a new dependency with an unreviewed install script.
RUN npm install -g npm@11.19.1 --no-audit --no-fund
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --strict-allow-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY web ./web
RUN npm run build

# `docker compose up` runs the demo: it needs the sources of the generator and the dev tools (ts-node).
FROM build AS demo
COPY scripts ./scripts
COPY bench ./bench
COPY data ./data
EXPOSE 3000
# node itself, not npm: docker stop's SIGTERM must reach the process that drains (npm as PID 1 lets the
# grace period run out and node dies by SIGKILL). Compose adds an init (`init: true`) to reap and forward.
CMD ["node", "-r", "ts-node/register/transpile-only", "scripts/demo.ts"]

FROM build AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./
COPY data ./data
USER node
EXPOSE 3000
# See the demo stage: node receives SIGTERM directly (`docker run --init` or compose's `init: true` adds tini).
CMD ["node", "dist/src/main.js"]
