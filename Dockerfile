# One image for every role: ROLE=api|worker|all picks what the process runs.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
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
CMD ["npm", "run", "demo"]

FROM build AS prod-deps
RUN npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./
COPY data ./data
USER node
EXPOSE 3000
CMD ["npm", "run", "start:prod"]
