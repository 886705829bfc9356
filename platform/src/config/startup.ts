/*
 * A service whose variables are well formed can still fail to start because of where they point:
 * the database named in DATABASE_URL does not exist, refuses the password, or nothing listens at
 * the address. The person starting it can fix each of these, so they get one line saying what
 * is wrong and what to do, not a stack trace, as for a bad variable (`settingsOrExit`).
 */

type StartupError = { code?: unknown; message?: unknown; address?: unknown; port?: unknown; errors?: unknown; cause?: unknown };

/**
 * What to tell the person starting a service about `error`, or undefined for a failure that is a
 * bug. The driver's error may be wrapped (an event store's "unavailable" error keeps it as its
 * `cause`) or be one of several (a host name with several addresses fails once per address).
 */
export function startupProblem(error: unknown, depth = 0): string | undefined {
  const failure = (error ?? {}) as StartupError;
  const known = explain(failure, error);
  if (known !== undefined || depth > 5) return known;
  if (failure.cause !== undefined) return startupProblem(failure.cause, depth + 1);
  if (Array.isArray(failure.errors) && failure.errors.length > 0) return startupProblem(failure.errors[0], depth + 1);
  return undefined;
}

function explain(failure: StartupError, error: unknown): string | undefined {
  const message = typeof failure.message === 'string' ? failure.message : String(error);
  const where =
    typeof failure.address === 'string' ? `${failure.address}${typeof failure.port === 'number' ? `:${failure.port}` : ''}` : '';
  switch (failure.code) {
    case '3D000':
      return `${message} (PostgreSQL). Create it (createdb <name>), or point DATABASE_URL at a database that exists.`;
    case '28P01':
    case '28000':
      return `PostgreSQL refused the connection: ${message}. Check the user and password in DATABASE_URL.`;
    case 'ECONNREFUSED':
      return `nothing accepts connections at ${where || 'the configured address'}: is the server (PostgreSQL, NATS or EventStoreDB) running, and are DATABASE_URL, NATS_URL and EVENTSTORE_URL right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${message}: the host name in DATABASE_URL, NATS_URL or EVENTSTORE_URL does not resolve.`;
    default:
      return undefined;
  }
}

/**
 * For an entry point: what `start` resolves to, or, when it fails for a reason `startupProblem`
 * knows, `<service>: cannot start: <what to do>` on stderr and exit code 1. Anything else is
 * thrown as it is, stack trace and all: that one is a bug to report.
 */
export async function startedOrExit<T>(service: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const problem = startupProblem(error);
    if (problem === undefined) throw error;
    process.stderr.write(`${service}: cannot start: ${problem}\n`);
    process.exit(1);
  }
}
