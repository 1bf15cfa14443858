/**
 * The one decoder of a JSON column whose shape is owned above db/ (a run's
 * summary and evaluation are the pipeline's): the owner exports it, once,
 * and every read goes through it. A zod schema is one.
 */
export interface JsonCodec<T> {
  parse(value: unknown): T;
}
