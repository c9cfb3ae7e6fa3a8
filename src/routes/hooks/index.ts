import { createRouter } from "../define-route";
import * as intake from "./intake";

/** `/hooks/{token}`: form builders post here, outside `/api`, so no API key is asked for. */
export const hookRoutes = createRouter().openapi(intake.route, intake.handler);
