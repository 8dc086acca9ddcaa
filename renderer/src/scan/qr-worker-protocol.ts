/** Messages between the window and the QR worker (qr-worker.ts). Pixels travel as a transferred RGBA buffer. */
export type QrWorkerRequest =
  | { id: number; kind: 'prepare' }
  | { id: number; kind: 'picture' | 'frame'; width: number; height: number; pixels: ArrayBuffer };

export type QrWorkerReply = { id: number; texts: string[] } | { id: number; error: string };
