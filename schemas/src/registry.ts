import type { Static, TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { TitleImportedData, TitleUpdatedData } from './events/catalog.ts';
import { DiaryEntryRemovedData, TitleWatchedData } from './events/diary.ts';
import {
  ListCreatedData,
  ListDeletedData,
  ListDescriptionChangedData,
  ListItemAddedData,
  ListItemRemovedData,
  ListItemsReorderedData,
  ListRenamedData,
  ListVisibilityChangedData,
} from './events/lists.ts';
import {
  GenreDislikedData,
  GenreLikedData,
  GenreUndislikedData,
  GenreUnlikedData,
  LanguagePreferredData,
  LanguageUnpreferredData,
  MediaTypePreferredData,
  MediaTypeUnpreferredData,
  PersonLikedData,
  PersonUnlikedData,
} from './events/preferences.ts';
import { TitleRatedData, TitleRatedV1Data, TitleUnratedData, upcastTitleRatedV1 } from './events/ratings.ts';
import { UserErasedData, UserRegisteredData } from './events/users.ts';
import { ImportCompletedData, ImportFailedData, ImportProgressedData, ImportStartedData } from './events/imports.ts';
import { toIssues, type ValidationIssue } from './issues.ts';

/** Turns a payload of version N into version N + 1. */
type Upcaster<Old> = { schema: Old; up: (data: Static<Old & TSchema>) => unknown };

type EventDefinition<Schema extends TSchema, Old extends Record<number, TSchema>> = {
  version: number;
  schema: Schema;
  upcasters: { [V in keyof Old]: Upcaster<Old[V]> };
};

/**
 * `upcasters[n]` holds the schema of version n and the step to n + 1; `Old` is inferred from
 * those schemas so each `up` gets its input typed without annotations.
 */
function defineEvent<const Schema extends TSchema, const Old extends Record<number, TSchema> = Record<never, never>>(definition: {
  version: number;
  schema: Schema;
  upcasters?: { [V in keyof Old]: Upcaster<Old[V]> };
}): EventDefinition<Schema, Old> {
  return { ...definition, upcasters: definition.upcasters ?? ({} as EventDefinition<Schema, Old>['upcasters']) };
}

const v1 = <Schema extends TSchema>(schema: Schema) => defineEvent({ version: 1, schema });

/** The single source of event types, their current versions and their history. */
const definitions = {
  // users
  UserRegistered: v1(UserRegisteredData),
  UserErased: v1(UserErasedData),
  // catalog
  TitleImported: v1(TitleImportedData),
  TitleUpdated: v1(TitleUpdatedData),
  // lists
  ListCreated: v1(ListCreatedData),
  ListRenamed: v1(ListRenamedData),
  ListDescriptionChanged: v1(ListDescriptionChangedData),
  ListVisibilityChanged: v1(ListVisibilityChangedData),
  ListItemAdded: v1(ListItemAddedData),
  ListItemRemoved: v1(ListItemRemovedData),
  ListItemsReordered: v1(ListItemsReorderedData),
  ListDeleted: v1(ListDeletedData),
  // ratings
  TitleRated: defineEvent({
    version: 2,
    schema: TitleRatedData,
    upcasters: { 1: { schema: TitleRatedV1Data, up: upcastTitleRatedV1 } },
  }),
  TitleUnrated: v1(TitleUnratedData),
  // diary
  TitleWatched: v1(TitleWatchedData),
  DiaryEntryRemoved: v1(DiaryEntryRemovedData),
  // preferences
  GenreLiked: v1(GenreLikedData),
  GenreUnliked: v1(GenreUnlikedData),
  GenreDisliked: v1(GenreDislikedData),
  GenreUndisliked: v1(GenreUndislikedData),
  PersonLiked: v1(PersonLikedData),
  PersonUnliked: v1(PersonUnlikedData),
  LanguagePreferred: v1(LanguagePreferredData),
  LanguageUnpreferred: v1(LanguageUnpreferredData),
  MediaTypePreferred: v1(MediaTypePreferredData),
  MediaTypeUnpreferred: v1(MediaTypeUnpreferredData),
  // imports
  ImportStarted: v1(ImportStartedData),
  ImportProgressed: v1(ImportProgressedData),
  ImportCompleted: v1(ImportCompletedData),
  ImportFailed: v1(ImportFailedData),
};

type Definitions = typeof definitions;
export type EventType = keyof Definitions;
export type EventData<K extends EventType> = Static<Definitions[K]['schema']>;
export type ReelEvent = { [K in EventType]: { type: K; data: EventData<K> } }[EventType];

type CompiledStep = { validator: Validator; up: (data: never) => unknown };
type CompiledEvent = { version: number; validator: Validator; steps: CompiledStep[] };

function compileDefinition(type: string, definition: EventDefinition<TSchema, Record<number, TSchema>>): CompiledEvent {
  const { version, schema, upcasters } = definition;
  if (!Number.isInteger(version) || version < 1) throw new Error(`${type}: version must be an integer >= 1`);
  const steps: CompiledStep[] = [];
  for (let from = 1; from < version; from++) {
    const step = upcasters[from];
    if (step === undefined) throw new Error(`${type}: missing upcaster from version ${from}`);
    steps.push({ validator: Compile(step.schema), up: step.up });
  }
  const extra = Object.keys(upcasters).filter((key) => !(Number(key) >= 1 && Number(key) < version));
  if (extra.length > 0) throw new Error(`${type}: upcasters for versions ${extra.join(', ')} cannot exist at version ${version}`);
  return { version, validator: Compile(schema), steps };
}

// Compiled once at import: check() and upcast() sit on the append and read paths.
const compiled = new Map<string, CompiledEvent>(
  Object.entries(definitions).map(([type, definition]) => [type, compileDefinition(type, definition)]),
);
const typeNames = Object.keys(definitions) as EventType[];

function describe(data: unknown, validator: Validator): string {
  return toIssues(validator.Errors(data))
    .map((issue) => `${issue.path || '/'} ${issue.message}`)
    .join('; ');
}

export const eventRegistry = {
  /** The schema version new events of this type are written with; undefined for an unknown type. */
  currentVersion(type: string): number | undefined {
    return compiled.get(type)?.version;
  },

  /** Validates `data` against the current version of `type`. Empty = valid. */
  check(type: string, data: unknown): ValidationIssue[] {
    const event = compiled.get(type);
    if (event === undefined) return [{ path: '', message: `unknown event type "${type}"` }];
    // Check first: it is the fast path, Errors() walks the whole value to explain.
    if (event.validator.Check(data)) return [];
    return toIssues(event.validator.Errors(data));
  },

  /**
   * Brings a stored payload of `schemaVersion` to the current shape, one version at a time.
   * Throws for an unknown type or version, and for a payload that matches neither its stored
   * version nor (after upcasting) the current one: silently passing on a corrupt event would
   * only move the failure into some projection.
   */
  upcast(type: string, schemaVersion: number, data: unknown): unknown {
    const event = compiled.get(type);
    if (event === undefined) throw new Error(`Cannot upcast unknown event type "${type}"`);
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > event.version) {
      throw new Error(`Cannot upcast ${type}: unknown schema version ${schemaVersion} (current is ${event.version})`);
    }
    if (schemaVersion === event.version) return data;
    let value = data;
    for (let from = schemaVersion; from < event.version; from++) {
      const step = event.steps[from - 1]!;
      if (!step.validator.Check(value)) {
        throw new Error(`Cannot upcast ${type} v${from}: invalid payload (${describe(value, step.validator)})`);
      }
      value = step.up(value as never);
    }
    if (!event.validator.Check(value)) {
      throw new Error(
        `Upcasting ${type} v${schemaVersion} gave an invalid v${event.version} payload (${describe(value, event.validator)})`,
      );
    }
    return value;
  },

  /** Every known event type. */
  types(): EventType[] {
    return [...typeNames];
  },
};
