# The image the Kubernetes manifests run (kubernetes/, docs/kubernetes.md):
#   docker build -t modelport/modelport:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
RUN npm ci --no-audit --no-fund && npm run build --silent && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production MODELPORT_HOST=0.0.0.0 MODELPORT_PORT=8080 MODELPORT_DATA_DIR=/var/lib/modelport
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /var/lib/modelport && chown node:node /var/lib/modelport
USER node
EXPOSE 8080
ENTRYPOINT ["node", "packages/cli/dist/bin.js"]
CMD ["serve"]
