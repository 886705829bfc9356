// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Locals {
      /** The signed-in person, from the access token's claims (the APIs verify the token). */
      user: { userId: string; displayName: string } | null;
      accessToken: string | null;
      /** Correlation id of this request, sent to the APIs as X-Request-Id. */
      requestId: string;
      /** The browser's address, forwarded to the APIs so their per-address limits see people, not this server. */
      clientAddress: string;
    }
    interface Error {
      message: string;
      requestId?: string;
    }
    interface PageState {
      /** A title opened from a list without leaving it, restored by the back button. */
      selected?: string;
    }
  }
}

export {};
