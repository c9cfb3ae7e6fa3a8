import { createApp } from "./app";

const app = createApp();

export default app;
export type { App } from "./app";
