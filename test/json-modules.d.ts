// Vite turns the JSON fixtures into modules; TypeScript only needs to know they exist.
declare module "*.json" {
  const value: Record<string, unknown>;
  export default value;
}
