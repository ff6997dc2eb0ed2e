import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_STATUS, type ErrorCode, type Failure, type Result } from '../../shared/errors.js';

export function sendFailure(reply: FastifyReply, failure: Failure) {
  return reply.status(ERROR_STATUS[failure.code]).send({ error: { code: failure.code, message: failure.message, ...failure.extra } });
}

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, extra?: Record<string, unknown>) {
  return sendFailure(reply, { code, message, extra });
}

/** Sends the value of a successful result (through `present`) or the failure's code and status. */
export function sendResult<T>(reply: FastifyReply, result: Result<T>, present: (value: T) => unknown = (v) => v, status = 200) {
  if (!result.ok) return sendFailure(reply, result.error);
  return reply.status(status).send(present(result.value));
}

/** Every error that reaches Fastify becomes `{ error: { code, message } }`; faults are logged, never shown in detail. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const where = first?.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : error.validationContext;
    return sendError(reply, 'validation_failed', `${where ? where + ': ' : ''}${first?.message ?? 'invalid input'}`, {
      issues: error.validation.slice(0, 20).map((v) => ({ path: v.instancePath, message: v.message })),
    });
  }
  const status = error.statusCode ?? 500;
  if (status === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 'payload_too_large', 'The request body is too large');
  if (status === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 'unsupported_media_type', 'Unsupported content type');
  if (status === 429) return sendError(reply, 'rate_limited', 'Too many requests; try again shortly');
  if (status >= 400 && status < 500) return sendError(reply, 'validation_failed', error.message);
  request.log.error({ err: error }, 'request failed');
  return sendError(reply, 'internal_error', 'Something went wrong on our side; nothing was changed');
}
