// @echogarden/fvad-wasm ships no type declarations: its default export is the Emscripten module factory.
declare module '@echogarden/fvad-wasm' {
  const initialize: () => Promise<unknown>;
  export default initialize;
}
