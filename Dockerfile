# One image for every Reeltime service. `SERVICE` (build arg or runtime env) names the
# workspace to start, e.g. SERVICE=command-api runs `npm start --workspace command-api`;
# without it the root `npm start` starts them all: command-api 4001, query-api 4002, the
# projector, ingest and the web app 3000 (SvelteKit, built below into web/build).
ARG NODE_IMAGE=node:20-bookworm-slim

# Only the package manifests, at their paths. This stage reruns on any source change, but
# its output changes only with a manifest, so the `npm ci` layer below stays cached, and new
# workspaces need no edit here.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && cp package.json package-lock.json .npmrc /manifests/ \
 && find . -mindepth 2 -maxdepth 2 -name package.json \
    | xargs -r -I{} cp --parents {} /manifests/

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
# Dev dependencies stay: services run TypeScript through tsx.
RUN npm ci --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
# Left owned by root: the app (user node) can read its code but never rewrite it.
COPY --from=deps /app ./
COPY . .
# The web app's server bundle (adapter-node → web/build), built as root like the rest, so the
# app user can run it but not rewrite it. Skipped only in a tree without the web workspace.
RUN if [ -f web/package.json ]; then npm run build --workspace web; fi
ARG SERVICE=""
ENV SERVICE=${SERVICE}
USER node
EXPOSE 3000 4001 4002
CMD ["sh", "-c", "if [ -n \"$SERVICE\" ]; then exec npm start --workspace \"$SERVICE\"; else exec npm start; fi"]
