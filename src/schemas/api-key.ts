/** The roles of an API key (docs/api.md#roles): all may use the contact routes; some routes need `admin`. */
export const ROLES = ["admin", "manager", "agent"] as const;
export type Role = (typeof ROLES)[number];
