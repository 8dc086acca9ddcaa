/** The QR decoder's .wasm as base64, inlined into the worker by the build (electron.vite.config.ts). */
declare module 'virtual:zxing-wasm' {
  const base64: string;
  export default base64;
}
