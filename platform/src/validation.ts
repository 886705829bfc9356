import { compileValidator } from '@reeltime/schemas';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Fastify's validator for every route part, from the TypeBox schemas: like the type provider's
 * `TypeBoxValidatorCompiler`, but its errors are the schemas' issues (one per field, the branch a
 * tagged union meant, a readable reason for unstorable text), so an HTTP answer names the same
 * problem as the WebSocket does for the same schema.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validator = compileValidator(schema);
  return (value: unknown) => {
    // Querystring, params and headers arrive as strings: convert them as TypeBox's compiler does.
    const converted = httpPart === 'body' ? value : Value.Convert(schema, value);
    if (validator.Check(converted)) return { value: converted };
    const error: FastifySchemaValidationError[] = validator
      .Issues(converted)
      .map((issue) => ({ keyword: 'issue', instancePath: issue.path, schemaPath: '#', params: {}, message: issue.message }));
    return { error };
  };
};
