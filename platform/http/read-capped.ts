/**
 * A request body read up to `maxBytes`, refused ("too_large") as soon as it grows past them, so
 * a 2 GB upload is cut off after the limit rather than buffered whole. The chunks are joined once.
 */
export async function readCappedBody(request: Request, maxBytes: number): Promise<Buffer | "too_large"> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return "too_large";
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
