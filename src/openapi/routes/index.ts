import type { RouteDoc } from "../registry";
import { accountDocs } from "./account";
import { contactDocs } from "./contacts";
import { metaDocs } from "./meta";

/** Every operation of the API. A route that `createApp()` serves and this list lacks fails the test suite. */
export const ROUTE_DOCS: RouteDoc[] = [...contactDocs, ...accountDocs, ...metaDocs];
