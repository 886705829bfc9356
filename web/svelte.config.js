import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default {
  compilerOptions: { runes: true },
  kit: {
    adapter: adapter({ out: 'build', precompress: true }),
    // Forms post to the same origin only (SvelteKit's default CSRF check, stated so it stays on).
    csrf: { trustedOrigins: [] },
    // Scripts and styles come from this server only; TMDb serves the images.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'img-src': ['self', 'data:', 'https://image.tmdb.org'],
        'connect-src': ['self', 'ws:', 'wss:'],
        'style-src': ['self', 'unsafe-inline'],
        'script-src': ['self'],
        'frame-ancestors': ['none'],
        'form-action': ['self'],
        'base-uri': ['self'],
      },
    },
  },
};
