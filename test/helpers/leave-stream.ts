/**
 * A client that stops an OpenAI stream part-way: it sends the request, reads until the first
 * chunk with content, then closes the connection, as a user who stops an answer does.
 */
export async function streamAndLeaveAfterFirstToken(url: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  const leave = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: leave.signal,
  });
  if (response.status !== 200) throw new Error(`the stream was refused: ${response.status} ${await response.text()}`);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let received = '';
  while (!received.includes('"content"')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before its first token: ${received}`);
    received += decoder.decode(value, { stream: true });
  }
  leave.abort();
  await reader.cancel().catch(() => {});
  return response;
}
