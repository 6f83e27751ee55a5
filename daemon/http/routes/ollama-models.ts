import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OllamaErrorBody, OllamaRunningList, OllamaShowRequest, OllamaShowResponse, OllamaTagList, OllamaVersion } from '../../../shared/protocol/ollama';
import { abortSignalOf } from '../../core/cancellation';
import { GatewayError } from '../../core/errors';
import { clientModelNames } from '../model-names';
import { lookUpModel } from '../model-lookup';
import { requestContext } from '../request-context';
import { showOf, tagOf } from '../translate/ollama-models';
import { acceptJsonOfAnyContentType } from '../ollama-body';

/**
 * The version `/api/version` reports: the Ollama release whose API reference (`docs/api.md`)
 * this door was checked against, field by field. Clients that refuse an Ollama older than
 * some version accept it; the gateway's own version is on `/health`.
 */
export const OLLAMA_API_VERSION = '0.32.15';

const errors = { 400: OllamaErrorBody, 401: OllamaErrorBody, 404: OllamaErrorBody, '5xx': OllamaErrorBody };

/** Time allowed to an upstream Ollama for `/api/show` and `/api/ps`, which answer from memory. */
const DESCRIBE_TIMEOUT_MS = 5_000;

/** The routes Ollama clients call to find out what is there: `GET /`, `/api/version`, `/api/tags`, `/api/show`, `/api/ps`. */
export const ollamaModelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptJsonOfAnyContentType(app);
  const { registry, router, aliases } = app.switchyard;
  const listedAt = new Date().toISOString();

  // Clients probe the root (GET or HEAD, which Fastify adds) to see whether an Ollama is there.
  app.get('/', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('Ollama is running'));

  app.get('/api/version', { schema: { response: { 200: OllamaVersion } } }, async () => ({ version: OLLAMA_API_VERSION }));

  app.get('/api/tags', { schema: { response: { 200: OllamaTagList } } }, async () => {
    await registry.refreshModels(AbortSignal.timeout(2_000));
    // The listing names the provider models first, in the registry's order, then routes and aliases.
    const models = registry.models();
    const names = clientModelNames(registry, aliases, router.routeNames());
    return { models: names.map(({ name }, i) => tagOf(name, models[i], listedAt)) };
  });

  app.post('/api/show', { schema: { body: OllamaShowRequest, response: { 200: OllamaShowResponse, ...errors } } }, async (request, reply) => {
    const name = request.body.model ?? request.body.name;
    if (name === undefined) throw new GatewayError('invalidRequest', 'model is required', { param: 'model' });
    const target = lookUpModel(name, { registry, router, aliases });
    if (target.provider.showModel === undefined) return showOf(target.info, listedAt);
    const signal = AbortSignal.any([abortSignalOf(requestContext(request, reply, 'ollama').signal), AbortSignal.timeout(DESCRIBE_TIMEOUT_MS)]);
    return (await target.provider.showModel(target.model, request.body.verbose === true, signal)) as OllamaShowResponse;
  });

  /**
   * What every upstream Ollama has loaded, under the names clients use here. Other providers
   * have no notion of a loaded model that the gateway can see, so they list nothing.
   */
  app.get('/api/ps', { schema: { response: { 200: OllamaRunningList } } }, async (request, reply) => {
    const signal = AbortSignal.any([abortSignalOf(requestContext(request, reply, 'ollama').signal), AbortSignal.timeout(DESCRIBE_TIMEOUT_MS)]);
    const models = registry.models();
    const listed = clientModelNames(registry, aliases);
    const names = new Map(models.map((model, i) => [`${model.provider}\u0000${model.id}`, listed[i]!.name]));
    const nameOf = (provider: string, id: string) => names.get(`${provider}\u0000${id}`) ?? names.get(`${provider}\u0000${id.replace(/:latest$/, '')}`) ?? `${provider}/${id}`;
    const lists = await Promise.all(
      registry.all().map(async (provider) => {
        if (provider.runningModels === undefined) return [];
        const running = await provider.runningModels(signal).catch(() => []);
        return running.map((entry) => {
          const id = String(entry.name ?? entry.model ?? '');
          const name = nameOf(provider.settings.name, id);
          return { ...entry, name, model: name };
        });
      }),
    );
    return { models: lists.flat() } as OllamaRunningList;
  });
};
