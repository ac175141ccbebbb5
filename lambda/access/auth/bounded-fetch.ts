/**
 * A `fetch` that refuses a response body larger than `maxBytes`, reading no more than that: an
 * identity provider's key set is a few kilobytes, and a huge or endless one must not be held in
 * the function's memory (the key set outlives the request in the warm environment).
 */

class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
}

export function boundedFetch(fetchImpl: typeof fetch, maxBytes: number): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel();
      throw new ResponseTooLargeError(`the response declares ${declared} bytes; the limit is ${maxBytes}`);
    }
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = response.body?.getReader();
    while (reader !== undefined) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel();
        throw new ResponseTooLargeError(`the response exceeds ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
    return new Response(Buffer.concat(chunks), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
