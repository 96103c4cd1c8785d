// comlink ships its Node adapter as an .mjs file without a matching .d.mts, so TypeScript cannot type
// the import path on its own (TOOLCHAIN.md). The declaration mirrors dist/esm/node-adapter.d.ts.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  export interface NodeEndpoint {
    postMessage(message: unknown, transfer?: readonly unknown[]): void;
    on(type: string, listener: (value: unknown) => void): void;
    off(type: string, listener: (value: unknown) => void): void;
    start?: () => void;
  }
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
