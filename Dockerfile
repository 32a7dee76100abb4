# ftpwire-proxy in a container: the built proxy and the codecs it imports at run time, nothing
# else (no sources, no dev dependencies, no package manager), on a small Node image, as the
# image's unprivileged `node` user. Build it from a clone, after the packages are built:
#
#   pnpm install && pnpm build
#   docker build -t ftpwire-proxy .
#   docker run --rm ftpwire-proxy --help
#
# Give `docker stop` more time than --drain-timeout (default 30 s; docker's own default is 10 s):
# `docker stop -t 40`, or `stop_grace_period: 40s` in compose (examples/docker/).
ARG NODE_VERSION=22
FROM node:${NODE_VERSION}-alpine

ENV NODE_ENV=production
WORKDIR /app

# The layout `npm install @ftpwire/proxy` makes: the CLI imports the codecs by package name.
COPY packages/lines/package.json node_modules/@ftpwire/lines/package.json
COPY packages/lines/dist node_modules/@ftpwire/lines/dist
COPY packages/reply/package.json node_modules/@ftpwire/reply/package.json
COPY packages/reply/dist node_modules/@ftpwire/reply/dist
COPY packages/command/package.json node_modules/@ftpwire/command/package.json
COPY packages/command/dist node_modules/@ftpwire/command/dist
COPY packages/address/package.json node_modules/@ftpwire/address/package.json
COPY packages/address/dist node_modules/@ftpwire/address/dist
COPY packages/proxy/package.json node_modules/@ftpwire/proxy/package.json
COPY packages/proxy/dist node_modules/@ftpwire/proxy/dist
COPY packages/proxy/bin node_modules/@ftpwire/proxy/bin

# Ports above 1024: the unprivileged user binds them without a capability. Map 21 outside.
USER node
EXPOSE 2121 9100
# Node is PID 1 here and handles SIGTERM (drain), SIGINT and SIGHUP (TLS reload) itself.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/node_modules/@ftpwire/proxy/bin/ftpwire-proxy.js"]
CMD ["--help"]
