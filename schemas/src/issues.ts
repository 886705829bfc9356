import type { TLocalizedValidationError } from 'typebox/error';
import { TEXT_FORMAT, TEXT_FORMAT_MESSAGE } from './text.ts';

export type ValidationIssue = { path: string; message: string };

function pointerSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Turns TypeBox's raw errors into one issue per offending field, the shape an API error
 * (`errors[]`) and a log line want:
 * - `required` / `additionalProperties` point at the property itself, not its parent object;
 * - an `anyOf` (e.g. a nullable field) becomes one issue joining what each branch wanted,
 *   instead of one issue per branch plus the anyOf itself.
 */
export function toIssues(errors: readonly TLocalizedValidationError[]): ValidationIssue[] {
  const anyOfs = errors.filter((error) => error.keyword === 'anyOf');
  const branchMessages = new Map<TLocalizedValidationError, string[]>(anyOfs.map((error) => [error, []]));
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    const owner = anyOfs.find((anyOf) => anyOf !== error && error.schemaPath.startsWith(`${anyOf.schemaPath}/anyOf/`));
    if (owner !== undefined) {
      if (error.instancePath === owner.instancePath) branchMessages.get(owner)?.push(error.message);
      continue;
    }
    switch (error.keyword) {
      case 'required':
        for (const key of error.params.requiredProperties) {
          issues.push({ path: `${error.instancePath}/${pointerSegment(key)}`, message: 'is required' });
        }
        break;
      case 'additionalProperties':
        for (const key of error.params.additionalProperties) {
          issues.push({ path: `${error.instancePath}/${pointerSegment(key)}`, message: 'is not allowed' });
        }
        break;
      case 'boolean':
        // `additionalProperties: false` reports each extra key twice (here at the key, above at
        // its parent); keep both, as TypeBox's error cap (maxErrors) may cut off either one.
        issues.push({
          path: error.instancePath,
          message: error.schemaPath.endsWith('/additionalProperties') ? 'is not allowed' : error.message,
        });
        break;
      case 'anyOf': {
        const wanted = [...new Set(branchMessages.get(error))];
        issues.push({ path: error.instancePath, message: wanted.length > 0 ? wanted.join(' or ') : error.message });
        break;
      }
      case 'format':
        // TypeBox says `must match format "text"`; name what is wrong with the text instead.
        issues.push({ path: error.instancePath, message: error.params.format === TEXT_FORMAT ? TEXT_FORMAT_MESSAGE : error.message });
        break;
      default:
        issues.push({ path: error.instancePath, message: error.message });
    }
  }
  // One issue per field: a bad uuid fails both `format` and `pattern`, which says nothing new.
  const seen = new Set<string>();
  return issues.filter((issue) => (seen.has(issue.path) ? false : (seen.add(issue.path), true)));
}
