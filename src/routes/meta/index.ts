import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../types";
import { createRouter } from "../define-route";
import * as docs from "./docs";
import * as health from "./health";
import * as me from "./me";
import * as openapi from "./openapi";

/**
 * Liveness, `/api/me`, and the API's own description: `/openapi.json` is generated from the routes of
 * the app that `appOf` gives, asked for on the first request for it.
 */
export const metaRoutes = (appOf: () => OpenAPIHono<AppEnv> | Promise<OpenAPIHono<AppEnv>>) =>
  createRouter()
    .openapi(health.route, health.handler)
    .openapi(me.route, me.handler)
    .openapi(openapi.route, openapi.documentHandler(appOf))
    .openapi(docs.route, docs.handler);
