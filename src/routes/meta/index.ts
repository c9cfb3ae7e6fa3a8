import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../types";
import { createRouter } from "../define-route";
import * as docs from "./docs";
import * as health from "./health";
import * as me from "./me";
import * as openapi from "./openapi";

/** Liveness, `/api/me`, and the API's own description: `/openapi.json` is generated from `app`'s routes. */
export const metaRoutes = (app: OpenAPIHono<AppEnv>) =>
  createRouter()
    .openapi(health.route, health.handler)
    .openapi(me.route, me.handler)
    .openapi(openapi.route, openapi.documentHandler(app))
    .openapi(docs.route, docs.handler);
