/** The HTTP API: Fastify app, bearer tokens and roles, one route plugin per area (routes/). */
export { type Role, TokenRegistry } from './auth.js';
export { type ApiServer, buildApp, startApiServer, tokenFile } from './server.js';
