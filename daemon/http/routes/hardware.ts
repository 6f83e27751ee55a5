import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import { HardwareReport } from '../../../shared/hardware/hardware-report';
import { MeasuredFigures, Recommendations } from '../../../shared/hardware/recommendations';
import type { HardwareService } from '../../hardware/hardware-service';

const ModelBody = Type.Object({ model: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const BenchmarkResponse = Type.Object({ measured: MeasuredFigures, recommendations: Recommendations });

/**
 * `GET /v1/switchyard/hardware`: what was detected, each figure with its source.
 * `GET /v1/switchyard/recommendations`: the models for this machine.
 * `POST /v1/switchyard/hardware/benchmark {model}`: benchmarks the model here (a `switchyard
 * bench` child process) and answers with the measured figures and updated recommendations.
 * `POST /v1/switchyard/hardware/pull {model}`: Ollama's pull progress, streamed as NDJSON.
 * Each calls the hardware service; the app owns it and closes it.
 */
export const hardwareRoutes: FastifyPluginAsync<{ hardware: HardwareService }> = async (app, { hardware }) => {
  app.addHook('onClose', async () => hardware.close());
  // Aborts when the client goes away before the response is done (as the request context does).
  const signalOf = (reply: FastifyReply) => {
    const controller = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) controller.abort(new DOMException('The client closed the connection.', 'AbortError'));
    });
    return controller.signal;
  };

  app.get('/v1/switchyard/hardware', { schema: { response: { 200: HardwareReport } } }, async (_request, reply) => hardware.hardware(signalOf(reply)));

  app.get('/v1/switchyard/recommendations', { schema: { response: { 200: Recommendations } } }, async (_request, reply) => hardware.recommendations(signalOf(reply)));

  app.post<{ Body: { model: string } }>('/v1/switchyard/hardware/benchmark', { schema: { body: ModelBody, response: { 200: BenchmarkResponse } } }, async (request, reply) =>
    hardware.benchmark(request.body.model, signalOf(reply)),
  );

  app.post<{ Body: { model: string } }>('/v1/switchyard/hardware/pull', { schema: { body: ModelBody } }, async (request, reply) => {
    const signal = signalOf(reply);
    // Validate and connect before the 200 goes out, so an unknown model is a plain error response.
    const entry = hardware.findCatalogModel(request.body.model);
    if (entry === undefined) return hardware.pull(request.body.model, signal, () => undefined);
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    try {
      await hardware.pull(entry.ollamaTag, signal, (progress) => reply.raw.write(`${JSON.stringify(progress)}\n`));
    } catch (error) {
      if (!signal.aborted) reply.raw.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
    }
    reply.raw.end();
  });
};
