/** Which door a URL belongs to: it decides the error shape and labels the request metrics. */
export type UrlDoor = 'ollama' | 'openai' | 'admin' | 'system';

export function doorOfUrl(url: string): UrlDoor {
  if (url.startsWith('/api/')) return 'ollama';
  if (url.startsWith('/v1/switchyard')) return 'admin';
  if (url.startsWith('/v1/')) return 'openai';
  return 'system';
}
