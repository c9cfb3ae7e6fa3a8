import type { FieldMap, WebhookProvider } from "../../../schemas/webhook-source";
import type { Adapted } from "../answers";
import { adaptForm } from "./form";
import { adaptJotform } from "./jotform";
import { adaptTally } from "./tally";
import { adaptTypeform } from "./typeform";
import { adaptWebflow } from "./webflow";

/** Each provider's adapter: a pure function from its parsed payload to an event id and a contact input. */
export const ADAPTERS: Record<WebhookProvider, (payload: unknown, fieldMap: FieldMap) => Adapted> = {
  typeform: adaptTypeform,
  tally: adaptTally,
  webflow: adaptWebflow,
  jotform: adaptJotform,
  form: adaptForm,
  json: adaptForm,
};
