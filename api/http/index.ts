/** The HTTP API: Fastify app, sign-in and roles, one route plugin per area (routes/). */
export { type ApiServer, buildApp, startApiServer } from './server.js';
