import { wrapLanguageModel, type LanguageModelMiddleware } from 'ai';
import { redactError, type Redactor } from './redact.ts';

type Model = Parameters<typeof wrapLanguageModel>[0]['model'];
type WrapGenerate = NonNullable<LanguageModelMiddleware['wrapGenerate']>;
type GenerateResult = Awaited<ReturnType<WrapGenerate>>;
type StreamResult = Awaited<ReturnType<NonNullable<LanguageModelMiddleware['wrapStream']>>>;
type StreamPart = StreamResult['stream'] extends ReadableStream<infer P> ? P : never;

/**
 * The model with secret values blanked out of everything it gives back: errors thrown by a call
 * (a provider's 401 body may quote the key), error parts of a stream, and whole texts of a
 * generate call. Every model the registry hands out is wrapped, so dry-runs, runs, judges,
 * helpers and drafting all get it without asking.
 *
 * Streamed text deltas pass as they come: holding text back until a key could no longer span two
 * deltas would delay every token (and skew time to first token) for a model that never saw the
 * key; what is stored or sent whole is redacted again downstream.
 */
export function redactingModel(model: Model, redact: Redactor): Model {
  const middleware: LanguageModelMiddleware = {
    specificationVersion: 'v3',
    async wrapGenerate({ doGenerate }) {
      let result: GenerateResult;
      try {
        result = await doGenerate();
      } catch (e) {
        throw redactError(e, redact);
      }
      return {
        ...result,
        content: result.content.map((part) =>
          part.type === 'text' || part.type === 'reasoning' ? { ...part, text: redact(part.text) } : part,
        ),
      };
    },
    async wrapStream({ doStream }) {
      let result: StreamResult;
      try {
        result = await doStream();
      } catch (e) {
        throw redactError(e, redact);
      }
      return { ...result, stream: redactStreamErrors(result.stream, redact) };
    },
  };
  return wrapLanguageModel({ model, middleware });
}

/** The same stream, with error parts and a failure of the stream itself redacted. */
function redactStreamErrors(stream: ReadableStream<StreamPart>, redact: Redactor): ReadableStream<StreamPart> {
  const reader = stream.getReader();
  return new ReadableStream<StreamPart>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value.type === 'error' ? { ...value, error: redactError(value.error, redact) } : value);
      } catch (e) {
        controller.error(redactError(e, redact));
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
