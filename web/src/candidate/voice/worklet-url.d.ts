// Vite's `?worker&url` import: the module is bundled into its own file and its URL is the default export
// (web/tsconfig.json does not load vite/client, which declares the same).
declare module '*?worker&url' {
  const url: string;
  export default url;
}
