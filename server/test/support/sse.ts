/** Read a server-sent-events stream with fetch (so the Authorization header is sent), as devices do. */
export async function openSse(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  if (!res.ok || !res.body) throw new Error(`stream: ${res.status}`);
  // biome-ignore lint/suspicious/noExplicitAny: test reader over arbitrary JSON events
  const events: { event: string; data: any; bytes: number }[] = [];
  let ended = false;
  const waiters: (() => void)[] = [];
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let idx = buffer.indexOf('\n\n');
        while (idx >= 0) {
          const block = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) {
            // bytes: the message as written on the wire (what a device's reader buffers).
            events.push({ event, data: JSON.parse(data), bytes: Buffer.byteLength(block) });
            for (const w of waiters.splice(0)) w();
          }
          idx = buffer.indexOf('\n\n');
        }
      }
    } catch {}
    ended = true;
  })();
  return {
    events,
    /** True once the server closed the stream (or it was aborted). */
    get ended() {
      return ended;
    },
    /** Wait until an event matching `pred` arrived (bounded). */
    async waitFor(pred: (e: (typeof events)[number]) => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(pred);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching stream event; got ${JSON.stringify(events.map((e) => e.event))}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close() {
      controller.abort();
    },
  };
}
