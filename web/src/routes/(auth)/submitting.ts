import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhance` for the auth forms: `busy(true)` while the request is out (the button is disabled
 * so a double click cannot send it twice), then the first field the server marked gets focus.
 */
export function submitting(busy: (value: boolean) => void): SubmitFunction {
  return () => {
    busy(true);
    return async ({ update, formElement }) => {
      await update({ reset: false });
      busy(false);
      const invalid = formElement.querySelector<HTMLElement>('[aria-invalid="true"]');
      invalid?.focus();
    };
  };
}
