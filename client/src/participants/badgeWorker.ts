/// <reference lib="webworker" />
import { type BadgeContent, type BadgePdfOptions, badgePdf } from '../badges/badgePdf';

/** Draws a batch of badges off the main thread (a thousand badges take a few seconds). */
export type BadgeWorkerRequest = { badges: BadgeContent[]; options: BadgePdfOptions };
export type BadgeWorkerReply = { type: 'done'; pdf: ArrayBuffer } | { type: 'failed'; message: string };

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<BadgeWorkerRequest>) => {
  try {
    const pdf = badgePdf(e.data.badges, e.data.options);
    self.postMessage({ type: 'done', pdf } satisfies BadgeWorkerReply, [pdf]);
  } catch (err) {
    self.postMessage({
      type: 'failed',
      message: err instanceof Error ? err.message : String(err),
    } satisfies BadgeWorkerReply);
  }
};
