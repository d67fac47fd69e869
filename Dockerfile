# syntax=docker/dockerfile:1
# helm-drift as a container: the image deploy/chart runs as a CronJob (`helm-drift report`), also usable as
#   docker run --rm -v ~/.kube:/home/node/.kube:ro IMAGE -A            (a report)
#   docker run --rm --entrypoint helm-drift IMAGE check -A            (any other command)
# The package is built and `npm pack`ed in one stage and installed from that tarball in the next, exactly as a
# user's `npm install -g helm-drift` would: only `files` of package.json (bin, dist, schema) and the runtime
# dependencies reach the image, never the sources, tests or dev dependencies.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here; the build is the next step. (esbuild
# needs no install script: its binary comes in the @esbuild/<platform> package.)
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json README.md ./
COPY bin ./bin
COPY build ./build
COPY schema ./schema
COPY src ./src
# --ignore-scripts: `prepare` would build a second time.
RUN npm run build && npm pack --ignore-scripts

FROM ${NODE_IMAGE}
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="helm-drift" \
      org.opencontainers.image.description="Field-level drift between Helm releases' rendered manifests and the live Kubernetes objects" \
      org.opencontainers.image.source="https://github.com/helm-drift/helm-drift" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="docker.io/library/node:22-bookworm-slim"
ENV NODE_ENV=production \
    NO_COLOR=1
COPY --from=build /src/helm-drift-*.tgz /tmp/
# --ignore-scripts: the tarball already holds dist/ (its `prepare` would need the dev dependencies), and no
# runtime dependency has an install script.
RUN cd /tmp \
 && npm install -g --omit=dev --ignore-scripts --no-audit --no-fund ./helm-drift-*.tgz \
 && rm -f /tmp/helm-drift-*.tgz \
 && npm cache clean --force \
 && helm-drift --version
# The image's `node` user (uid 1000, gid 1000): the chart's runAsUser.
USER node
WORKDIR /home/node
ENTRYPOINT ["helm-drift", "report"]
